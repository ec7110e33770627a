# verdict: wrong
# mistake: does not require grad
# Without requires_grad, loss_t.backward() itself fails, so the student left it out.
logits_t = torch.tensor([0.0, 3.0, -2.0, 1.0], dtype=torch.float64)
loss_t = -torch.softmax(logits_t, dim=0)[3].log()
