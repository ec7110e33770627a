# verdict: correct
# As the lecture made its tensors: .double(), then requires_grad = True on the leaf.
logits_t = torch.Tensor([0.0, 3.0, -2.0, 1.0]).double()
logits_t.requires_grad = True
counts_t = logits_t.exp()
probs_t = counts_t / counts_t.sum()
loss_t = -probs_t[3].log()
loss_t.backward()
