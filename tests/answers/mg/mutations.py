"""The micrograd corpus's wrong answers that are a right answer with a line or two changed.

Each row is one wrong answer, written as the change that makes it: the right answer ``base`` (a
file of this folder), the ``old`` text in it (which must occur there exactly once) and the ``new``
text that replaces it. tests/test_checks_mg.py builds the answer (its header: ``# verdict:``,
``# mistake:`` and the ``note`` as a comment; then the base's code with the change) and judges it
as it judges a file; the row's ``name`` is the case's id. The words of ``mistake`` (split at ``|``)
must each be in the check's message. Wrong answers that are code of their own stay files.
"""

MUTATIONS = [
    dict(
        name='e04_backward_no_seed', base='e04_lecture.py', verdict='wrong',
        mistake='backward()|self.grad = 1.0',
        old='        self.grad = 1.0\n',
        new='',
    ),
    dict(
        name='e04_exp_assigns', base='e04_lecture.py', verdict='wrong',
        mistake='exp|with = instead of adding to it with +=',
        old='            self.grad += out.data * out.grad\n',
        new='            self.grad = out.data * out.grad\n',
    ),
    dict(
        name='e04_exp_not_a_child', base='e04_direct_ops.py', verdict='wrong',
        mistake='exp|does not list a among the children',
        old="        out = Value(math.exp(self.data), (self,), 'exp')\n",
        new="        out = Value(math.exp(self.data), _op='exp')\n",
    ),
    dict(
        name='e04_exp_uses_input', base='e04_direct_ops.py', verdict='wrong',
        mistake='exp|uses the input where it needs the output|not self.data',
        old='            self.grad += out.grad * out.data\n',
        new='            self.grad += self.data * out.grad\n',
    ),
    dict(
        name='e04_exp_without_out_grad', base='e04_lecture.py', verdict='wrong',
        mistake='exp|out.grad is missing',
        old='            self.grad += out.data * out.grad\n',
        new='            self.grad += out.data\n',
    ),
    dict(
        name='e04_log10', base='e04_lecture.py', verdict='wrong',
        mistake='log|base-10 log',
        old="        out = Value(math.log(x), (self,), 'log')\n",
        new="        out = Value(math.log10(x), (self,), 'log')\n",
    ),
    dict(
        name='e04_log_without_inverse', base='e04_direct_ops.py', verdict='wrong',
        mistake='log|the 1/x is missing',
        note="The mistake seen in public attempts: log's backward passes out.grad on without the 1/x.",
        old='            self.grad += out.grad / self.data\n',
        new='            self.grad += out.grad\n',
    ),
    dict(
        name='e04_mul_assigns', base='e04_direct_ops.py', verdict='wrong',
        mistake='__mul__|with = instead of adding to it with +=',
        note='The mistake seen in public attempts: = instead of += in a backward; right for a Value used once.',
        old=('            self.grad += out.grad * other.data\n'
             '            other.grad += out.grad * self.data\n'),
        new=('            self.grad = out.grad * other.data\n'
             '            other.grad = out.grad * self.data\n'),
    ),
    dict(
        name='e04_mul_number_not_wrapped', base='e04_direct_ops.py', verdict='wrong',
        mistake='__mul__|A plain number has no .data: wrap it first',
        old=('    def __mul__(self, other):\n'
             '        if not isinstance(other, Value):\n'
             '            other = Value(other)\n'
             "        out = Value(self.data * other.data, (self, other), '*')\n"),
        new=('    def __mul__(self, other):\n'
             "        out = Value(self.data * other.data, (self, other), '*')\n"),
    ),
    dict(
        name='e04_no_radd', base='e04_lecture.py', verdict='wrong',
        mistake='__radd__ is missing|sum() starts from 0',
        note='The mistake seen in public attempts: no __radd__, so sum(counts) fails at 0 + Value.',
        old=('\n'
             '    def __radd__(self, other):  # other + self\n'
             '        return self + other\n'),
        new='',
    ),
    dict(
        name='e04_no_rmul', base='e04_lecture.py', verdict='wrong',
        mistake='__rmul__ is missing',
        old=('\n'
             '    def __rmul__(self, other):  # other * self\n'
             '        return self * other\n'),
        new='',
    ),
    dict(
        name='e04_no_rsub', base='e04_direct_ops.py', verdict='wrong',
        mistake='__rsub__ is missing|other - self',
        old=('    def __rsub__(self, other):\n'
             '        return Value(other) - self\n'
             '\n'),
        new='',
    ),
    dict(
        name='e04_pow_exponent_not_lowered', base='e04_direct_ops.py', verdict='wrong',
        mistake='__pow__|the exponent must drop by one',
        old='            self.grad += n * self.data ** (n - 1) * out.grad\n',
        new='            self.grad += n * self.data ** n * out.grad\n',
    ),
    dict(
        name='e04_pow_value_exponent', base='e04_lecture.py', verdict='wrong',
        mistake='__pow__|a Value exponent where only numbers are supported',
        note='__pow__ in the style of the other operators: the exponent wrapped in a Value, then treated as a constant.',
        old=('        assert isinstance(other, (int, float)), "only supporting int/float powers for now"\n'
             "        out = Value(self.data**other, (self,), f'**{other}')\n"
             '\n'
             '        def _backward():\n'
             '            self.grad += (other * self.data**(other - 1)) * out.grad\n'),
        new=('        other = other if isinstance(other, Value) else Value(other)\n'
             "        out = Value(self.data**other.data, (self, other), f'**{other.data}')\n"
             '\n'
             '        def _backward():\n'
             '            self.grad += (other.data * self.data**(other.data - 1)) * out.grad\n'),
    ),
    dict(
        name='e04_rsub_reversed', base='e04_lecture.py', verdict='wrong',
        mistake='__rsub__|it computes self - other|must return other - self',
        old='        return other + (-self)\n',
        new='        return self - other\n',
    ),
    dict(
        name='e04_topo_no_visited', base='e04_lecture.py', verdict='wrong',
        mistake='backward()|no visited set',
        old=('            if v not in visited:\n'
             '                visited.add(v)\n'
             '                for child in v._prev:\n'
             '                    build_topo(child)\n'
             '                topo.append(v)\n'),
        new=('            for child in v._prev:\n'
             '                build_topo(child)\n'
             '            topo.append(v)\n'),
    ),
    dict(
        name='e04_topo_node_before_children', base='e04_lecture.py', verdict='wrong',
        mistake='backward()|AFTER visiting its children',
        note='build_topo appends a node before visiting its children.',
        old=('                for child in v._prev:\n'
             '                    build_topo(child)\n'
             '                topo.append(v)\n'),
        new=('                topo.append(v)\n'
             '                for child in v._prev:\n'
             '                    build_topo(child)\n'),
    ),
    dict(
        name='e04_topo_not_reversed', base='e04_direct_ops.py', verdict='wrong',
        mistake='backward()|reversed(topo)',
        old='        for node in reversed(topo):\n',
        new='        for node in topo:\n',
    ),
    dict(
        name='e04_truediv_both', base='e04_direct_ops.py', verdict='wrong',
        mistake='__truediv__|out.grad is added to both operands',
        note="The mistake seen in public attempts: division's backward passes out.grad on to both operands, as addition does.",
        old=('            self.grad += out.grad / other.data\n'
             '            other.grad += -self.data / other.data**2 * out.grad\n'),
        new=('            self.grad += out.grad\n'
             '            other.grad += out.grad\n'),
    ),
    dict(
        name='e04_truediv_denominator_sign', base='e04_direct_ops.py', verdict='wrong',
        mistake="__truediv__|the denominator's gradient has the wrong sign",
        old='            other.grad += -self.data / other.data**2 * out.grad\n',
        new='            other.grad += self.data / other.data**2 * out.grad\n',
    ),
    dict(
        name='e04_truediv_numerator_only', base='e04_direct_ops.py', verdict='wrong',
        mistake='__truediv__|only the numerator gets a gradient',
        old='            other.grad += -self.data / other.data**2 * out.grad\n',
        new='',
    ),
]
