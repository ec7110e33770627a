# verdict: correct
logits_t = torch.tensor([[0.0, 3.0, -2.0, 1.0]], dtype=torch.double, requires_grad=True)
loss_t = -torch.log_softmax(logits_t, dim=1)[0, 3]
loss_t.backward()
