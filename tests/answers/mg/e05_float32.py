# verdict: wrong
# mistake: float32|float64
logits_t = torch.tensor([0.0, 3.0, -2.0, 1.0], requires_grad=True)
loss_t = -torch.softmax(logits_t, dim=0)[3].log()
loss_t.backward()
