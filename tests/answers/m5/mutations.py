"""makemore 5's E02 wrong answers that are a right answer with a line or two changed.

Each row is one answer, written as the change that makes it: the right answer ``base`` (a file of
this folder), the ``old`` text in it (which must occur there exactly once) and the ``new`` text
that replaces it. tests/test_checks_m5.py builds the answer (its header ``# verdict:`` and
``# mistake:``, then the base's code with the change) and judges it as it judges a file; the row's
``name`` is the case's id. ``mistake`` must be in the check's message. Wrong answers that are code
of their own stay files.
"""

MUTATIONS = [
    dict(
        name='e02_always_pairs', base='e02_lecture.py', verdict='wrong',
        mistake='merge n = self.n',
        old='        x = x.view(B, T // self.n, C * self.n)\n',
        new='        x = x.view(B, T // 2, C * 2)\n',
    ),
    dict(
        name='e02_biases_before_batchnorm', base='e02_lecture.py', verdict='wrong',
        mistake='384 = 3 x 128 too many',
        old=('    FlattenConsecutive(2), Linear(n_embd * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),\n'
             '    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),\n'
             '    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),\n'),
        new=('    FlattenConsecutive(2), Linear(n_embd * 2, n_hidden), BatchNorm1d(n_hidden), Tanh(),\n'
             '    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden), BatchNorm1d(n_hidden), Tanh(),\n'
             '    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden), BatchNorm1d(n_hidden), Tanh(),\n'),
    ),
    dict(
        name='e02_call_does_not_chain', base='e02_lecture.py', verdict='wrong',
        mistake="must pass each layer's output to the next layer",
        old=('            x = layer(x)\n'
             '        self.out = x\n'),
        new=('            out = layer(x)\n'
             '        self.out = out\n'),
    ),
    dict(
        name='e02_flatten_not_written', base='e02_lecture.py', verdict='not written',
        old=('    def __call__(self, x):\n'
             '        B, T, C = x.shape\n'),
        new=('    def __call__(self, x):\n'
             '        todo("E02", "FlattenConsecutive.__call__")\n'
             '        B, T, C = x.shape\n'),
    ),
    dict(
        name='e02_hidden_100', base='e02_lecture.py', verdict='wrong',
        mistake='layer 2 (Linear) outputs (4, 4, 100)',
        old='n_embd, n_hidden = 24, 128\n',
        new='n_embd, n_hidden = 24, 100\n',
    ),
    dict(
        name='e02_missing_tanh', base='e02_lecture.py', verdict='wrong',
        mistake="layer 8 is a FlattenConsecutive, the lecture's model has a Tanh",
        old=('    FlattenConsecutive(2), Linear(n_embd * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),\n'
             '    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),\n'
             '    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),\n'),
        new=('    FlattenConsecutive(2), Linear(n_embd * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),\n'
             '    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden),\n'
             '    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),\n'),
    ),
    dict(
        name='e02_no_squeeze', base='e02_lecture.py', verdict='wrong',
        mistake='when one position is left',
        old=('        if x.shape[1] == 1:\n'
             '            x = x.squeeze(1)\n'),
        new='',
    ),
    dict(
        name='e02_parameters_of_last_layer', base='e02_lecture.py', verdict='wrong',
        mistake='collect the parameters of every layer',
        old='        return [p for layer in self.layers for p in layer.parameters()]\n',
        new='        return self.layers[-1].parameters()\n',
    ),
    dict(
        name='e02_squeeze_everything', base='e02_lecture.py', verdict='wrong',
        mistake='x.squeeze(1), not x.squeeze()',
        old=('        x = x.view(B, T // self.n, C * self.n)\n'
             '        if x.shape[1] == 1:\n'
             '            x = x.squeeze(1)\n'),
        new='        x = x.view(B, T // self.n, C * self.n).squeeze()   # also drops a batch of 1, or a last dim of 1\n',
    ),
    dict(
        name='e02_squeeze_everything_when_one', base='e02_lecture.py', verdict='wrong',
        mistake='a squeeze removed a dim of size 1',
        old='            x = x.squeeze(1)\n',
        new='            x = x.squeeze()\n',
    ),
    dict(
        name='e02_transposed_view', base='e02_lecture.py', verdict='wrong',
        mistake='the right numbers in the wrong order',
        old='        x = x.view(B, T // self.n, C * self.n)\n',
        new='        x = x.transpose(1, 2).reshape(B, T // self.n, C * self.n)   # mixes channels of different positions\n',
    ),
    dict(
        name='e02_view_channels_first', base='e02_lecture.py', verdict='wrong',
        mistake='dims are in the wrong order',
        old=('        x = x.view(B, T // self.n, C * self.n)\n'
             '        if x.shape[1] == 1:\n'
             '            x = x.squeeze(1)\n'),
        new=('        x = x.view(B, C * self.n, T // self.n)\n'
             '        if x.shape[2] == 1:\n'
             '            x = x.squeeze(2)\n'),
    ),
]
