"""makemore 5's self-checks (src/makemore_helpers/checks/m5.py) run on a corpus of answers.

Every answer below is written for this project in a form students write: the lecture's own code,
the biased or the unbiased variance, keepdim or not, a mean over (0, 1) as a tuple or as two
reductions, var_mean, reshape to 2-D, float64 inside, in-place running updates. Each starts with
its verdict and, for a wrong one, words its message must contain:

    # verdict: correct | wrong
    # mistake: <words>

E01 answers are the body of ``BatchNorm1d.__call__`` (the given ``__init__`` is the lecture's);
E02 answers define ``FlattenConsecutive`` and ``Sequential`` and build ``model``, with the lecture's
``Embedding``, ``Linear``, ``BatchNorm1d`` and ``Tanh`` in scope.
"""

from __future__ import annotations

import re
import textwrap

import pytest
import torch

from makemore_helpers import ExerciseNotWritten, todo, vocab_size
from makemore_helpers.checks import CheckFailed, m5

# ---------------------------------------------------------------------------- the lecture's given code

GIVEN = '''
g = torch.Generator().manual_seed(2147483647)

class Linear:
    def __init__(self, fan_in, fan_out, bias=True):
        self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5
        self.bias = torch.zeros(fan_out) if bias else None
    def __call__(self, x):
        self.out = x @ self.weight
        if self.bias is not None:
            self.out += self.bias
        return self.out
    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])

class Tanh:
    def __call__(self, x):
        self.out = torch.tanh(x)
        return self.out
    def parameters(self):
        return []

class Embedding:
    def __init__(self, num_embeddings, embedding_dim):
        self.weight = torch.randn((num_embeddings, embedding_dim), generator=g)
    def __call__(self, IX):
        self.out = self.weight[IX]
        return self.out
    def parameters(self):
        return [self.weight]

class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps = eps
        self.momentum = momentum
        self.training = True
        self.gamma = torch.ones(dim)
        self.beta = torch.zeros(dim)
        self.running_mean = torch.zeros(dim)
        self.running_var = torch.ones(dim)
    def __call__(self, x):
{body}
    def parameters(self):
        return [self.gamma, self.beta]
'''

LECTURE_BN = '''
if self.training:
    dim = 0 if x.ndim == 2 else (0, 1)
    xmean = x.mean(dim, keepdim=True)
    xvar = x.var(dim, keepdim=True)
else:
    xmean = self.running_mean
    xvar = self.running_var
xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
self.out = self.gamma * xhat + self.beta
if self.training:
    with torch.no_grad():
        self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
        self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
return self.out
'''


def scope(bn_body: str = LECTURE_BN) -> dict:
    """Run the given code with ``bn_body`` as BatchNorm1d.__call__; return the namespace."""
    ns = {"torch": torch, "vocab_size": vocab_size, "todo": todo}
    exec(GIVEN.format(body=textwrap.indent(textwrap.dedent(bn_body).strip("\n"), " " * 8)), ns)
    return ns


def header(src: str) -> tuple[str, str | None]:
    verdict = re.search(r"^# verdict: (\w+)", src, re.M)[1]
    mistake = re.search(r"^# mistake: (.+)$", src, re.M)
    return verdict, mistake[1].strip() if mistake else None


# ---------------------------------------------------------------------------- E01 corpus

E01 = {
    "lecture": "# verdict: correct\n" + LECTURE_BN,
    "biased_variance": '''
        # verdict: correct
        if self.training:
            dims = (0, 1) if x.ndim == 3 else 0
            xmean = x.mean(dims, keepdim=True)
            xvar = x.var(dims, keepdim=True, unbiased=False)   # as torch normalises
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out
    ''',
    "torch_exactly": '''
        # verdict: correct
        # biased variance to normalise, unbiased one in running_var: what torch.nn.BatchNorm1d does
        dims = tuple(range(x.ndim - 1))
        if self.training:
            m = x[..., 0].numel()
            xmean = x.mean(dims)
            xvar = ((x - xmean) ** 2).mean(dims)
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar * m / (m - 1)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        return self.out
    ''',
    "no_keepdim": '''
        # verdict: correct
        if self.training:
            dim = [0, 1] if x.dim() == 3 else [0]
            xmean = x.mean(dim)            # shape (C,): broadcasts over the last dim
            xvar = x.var(dim)
        else:
            xmean = self.running_mean
            xvar = self.running_var
        xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
        self.out = self.gamma * xhat + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out
    ''',
    "two_reductions": '''
        # verdict: correct
        if self.training:
            if x.ndim == 3:
                xmean = x.mean(0, keepdim=True).mean(1, keepdim=True)
                m = x.shape[0] * x.shape[1]
                xvar = ((x - xmean) ** 2).sum(0, keepdim=True).sum(1, keepdim=True) / (m - 1)
            else:
                xmean = x.mean(0, keepdim=True)
                xvar = x.var(0, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * ((x - xmean) / torch.sqrt(xvar + self.eps)) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = self.running_mean * (1 - self.momentum) + xmean * self.momentum
                self.running_var = self.running_var * (1 - self.momentum) + xvar * self.momentum
        return self.out
    ''',
    "reshape_to_2d": '''
        # verdict: correct
        if self.training:
            flat = x.reshape(-1, x.shape[-1])     # every position of every example is a row
            xmean = flat.mean(0)
            xvar = flat.var(0)
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = (x - xmean) * torch.rsqrt(xvar + self.eps) * self.gamma + self.beta
        return self.out
    ''',
    "var_mean_correction": '''
        # verdict: correct
        if self.training:
            dim = (0, 1) if x.ndim == 3 else (0,)
            xvar, xmean = torch.var_mean(x, dim=dim, correction=1, keepdim=True)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * xmean.view(-1))
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * xvar.view(-1))
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / (xvar + self.eps).sqrt() + self.beta
        return self.out
    ''',
    "lerp_and_float64": '''
        # verdict: correct
        if self.training:
            dim = (0, 1) if x.ndim == 3 else 0
            xd = x.double()
            xmean, xvar = xd.mean(dim), xd.var(dim)
            with torch.no_grad():
                self.running_mean = torch.lerp(self.running_mean, xmean.float(), self.momentum)
                self.running_var = torch.lerp(self.running_var, xvar.float(), self.momentum)
            self.out = (self.gamma * (xd - xmean) / torch.sqrt(xvar + self.eps) + self.beta).float()
        else:
            self.out = self.gamma * (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) + self.beta
        return self.out
    ''',
    "dim0_only": '''
        # verdict: wrong
        # mistake: dim 0 only
        if self.training:
            xmean = x.mean(0, keepdim=True)   # the lecture's first version: wrong for (N, L, C)
            xvar = x.var(0, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out
    ''',
    "always_01": '''
        # verdict: wrong
        # mistake: for 2-D input (N, C) you normalised over every value
        if self.training:
            xmean = x.mean((0, 1), keepdim=True)
            xvar = x.var((0, 1), keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out
    ''',
    "torch_layout_dims": '''
        # verdict: wrong
        # mistake: dims (0, 2)
        if self.training:
            dim = 0 if x.ndim == 2 else (0, 2)    # torch's (N, C, L) layout, but x is (N, L, C)
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        return self.out
    ''',
    "running_not_updated": '''
        # verdict: wrong
        # mistake: did not change in training mode
        if self.training:
            dim = 0 if x.ndim == 2 else (0, 1)
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)
        else:
            xmean = self.running_mean
            xvar = self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        return self.out
    ''',
    "momentum_swapped": '''
        # verdict: wrong
        # mistake: weights swapped
        if self.training:
            dim = 0 if x.ndim == 2 else (0, 1)
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * xmean
                self.running_var = self.momentum * self.running_var + (1 - self.momentum) * xvar
        return self.out
    ''',
    "momentum_wrong_value": '''
        # verdict: wrong
        # mistake: momentum 0.01 instead of
        if self.training:
            dim = 0 if x.ndim == 2 else (0, 1)
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = 0.99 * self.running_mean + 0.01 * xmean
                self.running_var = 0.99 * self.running_var + 0.01 * xvar
        return self.out
    ''',
    "running_replaced": '''
        # verdict: wrong
        # mistake: replaced by the batch statistic
        if self.training:
            dim = 0 if x.ndim == 2 else (0, 1)
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)
            self.running_mean, self.running_var = xmean.detach(), xvar.detach()
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        return self.out
    ''',
    "no_no_grad": '''
        # verdict: wrong
        # mistake: gradient history
        if self.training:
            dim = 0 if x.ndim == 2 else (0, 1)
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        return self.out
    ''',
    "eval_uses_batch_stats": '''
        # verdict: wrong
        # mistake: in eval mode (layer.training = False) the layer normalised with the statistics of the batch
        dim = 0 if x.ndim == 2 else (0, 1)
        xmean = x.mean(dim, keepdim=True)
        xvar = x.var(dim, keepdim=True)
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out
    ''',
    "eps_missing": '''
        # verdict: wrong
        # mistake: eps is missing
        if self.training:
            dim = 0 if x.ndim == 2 else (0, 1)
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out
    ''',
    "std_plus_eps": '''
        # verdict: wrong
        # mistake: eps is outside the square root
        if self.training:
            dim = 0 if x.ndim == 2 else (0, 1)
            xmean = x.mean(dim, keepdim=True)
            xstd = x.std(dim, keepdim=True)
        else:
            xmean, xstd = self.running_mean, self.running_var.sqrt()
        self.out = self.gamma * (x - xmean) / (xstd + self.eps) + self.beta
        return self.out
    ''',
    "no_gamma_beta": '''
        # verdict: wrong
        # mistake: not scaled and shifted
        if self.training:
            dim = 0 if x.ndim == 2 else (0, 1)
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = (x - xmean) / torch.sqrt(xvar + self.eps)
        return self.out
    ''',
    "eval_updates_running": '''
        # verdict: wrong
        # mistake: changed in eval mode
        dim = 0 if x.ndim == 2 else (0, 1)
        if self.training:
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        with torch.no_grad():   # updates in eval mode too, towards the batch's statistics
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * x.mean(dim, keepdim=True)
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * x.var(dim, keepdim=True)
        return self.out
    ''',
    "not_written": '''
        # verdict: not written
        todo("E01", "BatchNorm1d.__call__")
    ''',
}


@pytest.mark.parametrize("name", E01)
def test_e01_corpus(name, capsys):
    src = textwrap.dedent(E01[name])
    verdict, mistake = header(src)
    BatchNorm1d = scope(src)["BatchNorm1d"]
    if verdict == "correct":
        diffs = m5.check_e01(BatchNorm1d)
        assert "E01 looks right" in capsys.readouterr().out
        assert max(diffs.values()) < m5.TOL
    elif verdict == "wrong":
        with pytest.raises(CheckFailed) as err:
            m5.check_e01(BatchNorm1d)
        assert str(err.value).startswith("E01: ") and mistake in str(err.value), str(err.value)
    else:
        with pytest.raises(ExerciseNotWritten, match="^E01 is not written yet"):
            m5.check_e01(BatchNorm1d)


def test_e01_states_the_variance_convention(capsys):
    m5.check_e01(scope()["BatchNorm1d"])
    out = capsys.readouterr().out
    assert "unbiased variance, as the lecture's x.var" in out and "running_var kept with the unbiased variance" in out
    m5.check_e01(scope(textwrap.dedent(E01["biased_variance"]))["BatchNorm1d"])
    out = capsys.readouterr().out
    assert "Normalised with the biased variance, as torch" in out and "running_var kept with the biased variance" in out


def test_e01_diffs_are_float32_rounding():
    diffs = m5.check_e01(scope()["BatchNorm1d"])
    assert set(diffs) == {"train", "running_mean", "running_var", "eval"}
    assert 0 < max(diffs.values()) < 1e-5


def test_e01_bad_input():
    with pytest.raises(TypeError, match=r"takes the class itself"):
        m5.check_e01(scope()["BatchNorm1d"](5))


# ---------------------------------------------------------------------------- E02 corpus

LECTURE_FLATTEN = '''
class FlattenConsecutive:
    def __init__(self, n):
        self.n = n
    def __call__(self, x):
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze(1)
        self.out = x
        return self.out
    def parameters(self):
        return []
'''

LECTURE_SEQUENTIAL = '''
class Sequential:
    def __init__(self, layers):
        self.layers = layers
    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        self.out = x
        return self.out
    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]
'''

LECTURE_MODEL = '''
n_embd, n_hidden = 24, 128
model = Sequential([
    Embedding(vocab_size, n_embd),
    FlattenConsecutive(2), Linear(n_embd * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    Linear(n_hidden, vocab_size),
])
'''


def flatten_with(call_body: str) -> str:
    return LECTURE_FLATTEN.replace('''        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze(1)
''', textwrap.indent(textwrap.dedent(call_body).strip("\n"), " " * 8) + "\n")


E02 = {
    "lecture": ("# verdict: correct", LECTURE_FLATTEN, LECTURE_SEQUENTIAL, LECTURE_MODEL),
    "reshape_and_index": ("# verdict: correct", flatten_with('''
        B, T, C = x.shape
        x = x.reshape(B, -1, self.n * C)
        if x.shape[1] == 1:
            x = x[:, 0]
    '''), '''
class Sequential:
    def __init__(self, layers):
        self.layers = list(layers)
    def __call__(self, x):
        out = x
        for layer in self.layers:
            out = layer(out)
        return out
    def parameters(self):
        params = []
        for layer in self.layers:
            params += layer.parameters()
        return params
''', LECTURE_MODEL),
    "model_in_a_loop": ("# verdict: correct", LECTURE_FLATTEN, LECTURE_SEQUENTIAL, '''
layers = [Embedding(vocab_size, 24)]
fan_in = 24 * 2
for _ in range(3):
    layers += [FlattenConsecutive(2), Linear(fan_in, 128, bias=False), BatchNorm1d(128), Tanh()]
    fan_in = 128 * 2
layers.append(Linear(128, vocab_size))
model = Sequential(layers)
'''),
    "transposed_view": ("# verdict: wrong\n# mistake: the right numbers in the wrong order", flatten_with('''
        B, T, C = x.shape
        x = x.transpose(1, 2).reshape(B, T // self.n, C * self.n)   # mixes channels of different positions
        if x.shape[1] == 1:
            x = x.squeeze(1)
    '''), LECTURE_SEQUENTIAL, LECTURE_MODEL),
    "view_channels_first": ("# verdict: wrong\n# mistake: dims are in the wrong order", flatten_with('''
        B, T, C = x.shape
        x = x.view(B, C * self.n, T // self.n)
        if x.shape[2] == 1:
            x = x.squeeze(2)
    '''), LECTURE_SEQUENTIAL, LECTURE_MODEL),
    "squeeze_everything": ("# verdict: wrong\n# mistake: x.squeeze(1), not x.squeeze()", flatten_with('''
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n).squeeze()   # also drops a batch of 1, or a last dim of 1
    '''), LECTURE_SEQUENTIAL, LECTURE_MODEL),
    "squeeze_everything_when_one": ("# verdict: wrong\n# mistake: a squeeze removed a dim of size 1", flatten_with('''
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze()
    '''), LECTURE_SEQUENTIAL, LECTURE_MODEL),
    "no_squeeze": ("# verdict: wrong\n# mistake: when one position is left", flatten_with('''
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
    '''), LECTURE_SEQUENTIAL, LECTURE_MODEL),
    "always_pairs": ("# verdict: wrong\n# mistake: merge n = self.n", flatten_with('''
        B, T, C = x.shape
        x = x.view(B, T // 2, C * 2)
        if x.shape[1] == 1:
            x = x.squeeze(1)
    '''), LECTURE_SEQUENTIAL, LECTURE_MODEL),
    "biases_before_batchnorm": ("# verdict: wrong\n# mistake: 384 = 3 x 128 too many", LECTURE_FLATTEN, LECTURE_SEQUENTIAL,
                                LECTURE_MODEL.replace(", bias=False", "")),
    "missing_tanh": ("# verdict: wrong\n# mistake: layer 8 is a FlattenConsecutive, the lecture's model has a Tanh",
                     LECTURE_FLATTEN, LECTURE_SEQUENTIAL,
                     LECTURE_MODEL.replace("BatchNorm1d(n_hidden), Tanh(),\n    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),\n    Linear",
                                           "BatchNorm1d(n_hidden),\n    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),\n    Linear")),
    "hidden_100": ("# verdict: wrong\n# mistake: layer 2 (Linear) outputs (4, 4, 100)", LECTURE_FLATTEN, LECTURE_SEQUENTIAL,
                   LECTURE_MODEL.replace("n_hidden = 24, 128", "n_hidden = 24, 100")),
    "parameters_of_last_layer": ("# verdict: wrong\n# mistake: collect the parameters of every layer", LECTURE_FLATTEN,
                                 LECTURE_SEQUENTIAL.replace("[p for layer in self.layers for p in layer.parameters()]",
                                                            "self.layers[-1].parameters()"), LECTURE_MODEL),
    "call_does_not_chain": ("# verdict: wrong\n# mistake: must pass each layer's output to the next layer", LECTURE_FLATTEN,
                            LECTURE_SEQUENTIAL.replace("            x = layer(x)\n        self.out = x",
                                                       "            out = layer(x)\n        self.out = out"), LECTURE_MODEL),
    "flatten_not_written": ("# verdict: not written", LECTURE_FLATTEN.replace(
        "        B, T, C = x.shape", '        todo("E02", "FlattenConsecutive.__call__")\n        B, T, C = x.shape'),
        LECTURE_SEQUENTIAL, LECTURE_MODEL),
}


@pytest.mark.parametrize("name", E02)
def test_e02_corpus(name, capsys):
    head, *parts = E02[name]
    verdict, mistake = header(head)
    ns = scope()
    for part in parts:
        exec(textwrap.dedent(part), ns)
    model = ns["model"]
    X = torch.tensor([[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 5],
                      [0, 0, 0, 0, 0, 0, 5, 13], [0, 0, 0, 0, 0, 5, 13, 13]])  # ........ -> e, m, m, a
    if verdict == "correct":
        assert m5.check_e02(model, X) == 76_579
        assert "E02 looks right" in capsys.readouterr().out
    elif verdict == "wrong":
        with pytest.raises(CheckFailed) as err:
            m5.check_e02(model, X)
        assert str(err.value).startswith("E02: ") and mistake in str(err.value), str(err.value)
    else:
        with pytest.raises(ExerciseNotWritten, match="^E02 is not written yet"):
            m5.check_e02(model, X)


def test_e02_leaves_the_model_alone():
    ns = scope()
    exec(LECTURE_FLATTEN + LECTURE_SEQUENTIAL + LECTURE_MODEL, ns)
    model = ns["model"]
    bn = model.layers[3]
    before = [t.clone() for t in (bn.running_mean, bn.running_var)]
    X = torch.zeros(4, 8, dtype=torch.long)
    m5.check_e02(model, X)
    model(X)  # after a forward pass the layers hold .out tensors with a graph: the check must still copy the model
    bn.running_mean, bn.running_var = before
    m5.check_e02(model, X)
    assert torch.equal(bn.running_mean, before[0]) and torch.equal(bn.running_var, before[1])


def test_e02_bad_input():
    ns = scope()
    exec(LECTURE_FLATTEN + LECTURE_SEQUENTIAL + LECTURE_MODEL, ns)
    with pytest.raises(TypeError, match=r"batch of 4 contexts of 8 character indices"):
        m5.check_e02(ns["model"], torch.zeros(32, 8, dtype=torch.long))
    with pytest.raises(CheckFailed, match="model should be a Sequential"):
        m5.check_e02(ns["model"].layers, torch.zeros(4, 8, dtype=torch.long))


# ---------------------------------------------------------------------------- E03

SEARCH = {"lecture recipe": 2.061, "linear decay": 2.052, "batch 128, lr 0.4": 2.036}


def test_e03_full_length(monkeypatch, capsys):
    monkeypatch.delenv("MAKEMORE_SCALE", raising=False)
    m5.check_e03(SEARCH, 1.975)
    out = capsys.readouterr().out
    assert "E03 looks right" in out and out.index("batch 128") < out.index("lecture recipe"), "sorted by dev loss"
    with pytest.raises(CheckFailed, match="does not beat the lecture's 1.993"):
        m5.check_e03(SEARCH, 1.993)


def test_e03_scaled_run_is_not_held_to_1993(monkeypatch, capsys):
    monkeypatch.setenv("MAKEMORE_SCALE", "0.01")
    m5.check_e03(SEARCH, torch.tensor(2.4))
    assert "only at full length" in capsys.readouterr().out


@pytest.mark.parametrize("search, mistake", [
    ({"a": 2.1, "b": 2.0}, "at least three"),
    ({"a": 2.1, "b": 2.0, "c": float("nan")}, "diverge"),
])
def test_e03_wrong(search, mistake):
    with pytest.raises(CheckFailed, match=mistake):
        m5.check_e03(search, 1.9)


def test_e03_bad_input():
    with pytest.raises(TypeError, match=r"dict \{setting description: dev loss\}"):
        m5.check_e03([2.0, 2.1, 2.2], 1.9)
