# verdict: correct
import torch.nn.functional as F

logits_t = torch.tensor([0.0, 3.0, -2.0, 1.0], dtype=torch.float64, requires_grad=True)
loss_t = F.cross_entropy(logits_t.view(1, -1), torch.tensor([3]))
loss_t.backward()
