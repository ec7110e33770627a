# verdict: wrong
# mistake: twice the gradient|ran twice
# The cell run twice from its middle: the second backward adds the gradient again.
logits_t = torch.tensor([0.0, 3.0, -2.0, 1.0], dtype=torch.float64, requires_grad=True)
loss_t = -torch.softmax(logits_t, dim=0)[3].log()
loss_t.backward()
loss_t = -torch.softmax(logits_t, dim=0)[3].log()
loss_t.backward()
