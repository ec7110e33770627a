# verdict: wrong
# mistake: it is the loss of label 0|the label is 3
logits_t = torch.tensor([0.0, 3.0, -2.0, 1.0], dtype=torch.float64, requires_grad=True)
loss_t = -torch.softmax(logits_t, dim=0)[0].log()
loss_t.backward()
