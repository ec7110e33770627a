# verdict: wrong
# mistake: not a leaf
# requires_grad on a float32 tensor, then .double(): logits_t is a copy made by an operation.
logits_t = torch.tensor([0.0, 3.0, -2.0, 1.0], requires_grad=True).double()
loss_t = -torch.softmax(logits_t, dim=0)[3].log()
loss_t.backward()
