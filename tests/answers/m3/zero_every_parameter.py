# verdict: wrong
# mistake: gamma
def zero_init(layers):
    with torch.no_grad():
        for layer in layers:
            for p in layer.parameters():   # BatchNorm's gamma and beta too
                p.zero_()
