"""Self-checks for makemore 4, becoming a backprop ninja: ``m4.check_e1()`` ... ``m4.check_e4()``.

Each check cell of the notebook is one call. What the checks do:

- **The lecture's table.** Every row compares your gradient with autograd's on the
  notebook's minibatch (:func:`makemore_helpers.gradcheck.compare`): exact, approximate,
  maxdiff, and what the mistake looks like when it is wrong.
- **A formula, not a number.** A line can give the right numbers on one batch and still
  be wrong: a hard-coded 32 for ``n``, or a mean where a sum belongs for a gradient that
  happens to be about 0 (``db1``: BatchNorm removes any shift of its input, so the true
  ``db1`` is about 0 on every batch). So each row's own lines, as you last ran them, are
  read back from the notebook's input history and run again with autograd's gradients
  as their inputs: on this batch, on a second batch of another size
  (:data:`SECOND_BATCH` rows, another seed), and, for the rows whose true gradient is
  about 0, with a random gradient sent into the tensor after them. Your cells stay as
  you wrote them; nothing in the notebook is changed.
- **The first cause.** A row whose own line is right but whose value is wrong is marked
  "follows from d<row> above: fix that first", and the error names the first row whose
  own line is wrong.

The checks hold no answers: they compare with autograd, and diagnose with the shapes
and factors that wrong answers produce.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import torch
import torch.nn.functional as F

from makemore_helpers.checks import fail, passed
from makemore_helpers.gradcheck import Comparison, Diagnosis, GradientCheckError, compare, scale_factor

#: E1's rows, in the order of the backward pass: the gradient of each is ``d<row>``.
ROWS = ("logprobs", "probs", "counts_sum_inv", "counts_sum", "counts", "norm_logits", "logit_maxes", "logits",
        "h", "W2", "b2", "hpreact", "bngain", "bnbias", "bnraw", "bnvar_inv", "bnvar", "bndiff2", "bndiff",
        "bnmeani", "hprebn", "embcat", "W1", "b1", "emb", "C")
#: The parameters, in the order of the notebook's ``parameters`` list.
PARAMS = ("C", "W1", "b1", "W2", "b2", "bngain", "bnbias")
#: The size of the second batch every formula is also run on: neither 32 nor 31.
SECOND_BATCH = 27
SECOND_SEED = 2147483647 + 1
UPSTREAM_SEED = 2147483647 + 2
E4_SEED = 2147483647 + 3
#: Rows whose true gradient is about 0 on every batch, and the tensor after them into which
#: a random gradient is sent to test their lines.
NEAR_ZERO = {
    "logit_maxes": ("norm_logits", "the true dlogit_maxes is about 0 on every batch (softmax does not change "
                                   "when a row of logits is shifted)"),
    "logits": ("norm_logits", "the branch of dlogits through logit_maxes is about 0 on every batch"),
    "b1": ("hprebn", "the true db1 is about 0 on every batch (BatchNorm removes any shift of hprebn)"),
}
#: Of those, the rows whose whole gradient is about 0: on the loss's own gradient a line that
#: reads gradients cannot be judged (rounding noise against rounding noise), only with a random one.
ZERO_ROWS = ("logit_maxes", "b1")
#: E4's gradients in the order the backward pass computes them, and the order ``manual_step`` returns them.
E4_ORDER = ("W2", "b2", "bngain", "bnbias", "W1", "b1", "C")
#: Names besides the rows' tensors that each world gives its own value.
WORLD_NAMES = ("Xb", "Yb", "n", "batch_size", "ix", "loss")


# ---------------------------------------------------------------------------------------------
# The forward pass, on any batch


def forward_atoms(params: Mapping[str, torch.Tensor], Xb: torch.Tensor, Yb: torch.Tensor) -> dict[str, torch.Tensor]:
    """The lecture's forward pass in atomic steps; returns every named tensor and ``loss``."""
    C, W1, b1, W2, b2, bngain, bnbias = (params[k] for k in PARAMS)
    n = Xb.shape[0]
    t: dict[str, torch.Tensor] = {}
    t["emb"] = C[Xb]
    t["embcat"] = t["emb"].view(n, -1)
    t["hprebn"] = t["embcat"] @ W1 + b1
    t["bnmeani"] = 1 / n * t["hprebn"].sum(0, keepdim=True)
    t["bndiff"] = t["hprebn"] - t["bnmeani"]
    t["bndiff2"] = t["bndiff"] ** 2
    t["bnvar"] = 1 / (n - 1) * t["bndiff2"].sum(0, keepdim=True)
    t["bnvar_inv"] = (t["bnvar"] + 1e-5) ** -0.5
    t["bnraw"] = t["bndiff"] * t["bnvar_inv"]
    t["hpreact"] = bngain * t["bnraw"] + bnbias
    t["h"] = torch.tanh(t["hpreact"])
    t["logits"] = t["h"] @ W2 + b2
    t["logit_maxes"] = t["logits"].max(1, keepdim=True).values
    t["norm_logits"] = t["logits"] - t["logit_maxes"]
    t["counts"] = t["norm_logits"].exp()
    t["counts_sum"] = t["counts"].sum(1, keepdim=True)
    t["counts_sum_inv"] = t["counts_sum"] ** -1
    t["probs"] = t["counts"] * t["counts_sum_inv"]
    t["logprobs"] = t["probs"].log()
    t["loss"] = -t["logprobs"][range(n), Yb].mean()
    return t


@dataclass
class World:
    """A batch on which every row's line is run again, with the true gradient of every row.

    ``values`` are what the namespace gets (tensors, ``Xb``, ``Yb``, ``n``, ``batch_size``);
    ``grads`` the true gradient of each row; ``cut`` names the tensor a random gradient was
    sent into instead of the loss's (None for the loss itself).
    """

    what: str
    n: int
    values: dict[str, Any]
    grads: dict[str, torch.Tensor]
    cut: str | None = None

    def namespace(self, base: Mapping[str, Any], leave_out: str) -> dict[str, Any]:
        """A fresh namespace: ``base``, then copies of this world's tensors and every gradient but ``leave_out``'s."""
        env = dict(base)
        for k, v in self.values.items():
            if isinstance(v, torch.Tensor):
                c = v.clone()
                if k in self.grads:
                    c.grad = self.grads[k].clone()
                env[k] = c
            else:
                env[k] = v
        for row, gr in self.grads.items():
            env["d" + row] = gr.clone()
        env.pop("d" + leave_out, None)
        return env


def make_world(what: str, params: Mapping[str, torch.Tensor], Xb: torch.Tensor, Yb: torch.Tensor, *,
               cut: str | None = None, ix: torch.Tensor | None = None) -> World:
    """Run the forward pass on ``(Xb, Yb)`` and autograd backward, from the loss or from a random gradient at ``cut``."""
    leaves = {k: params[k].detach().clone().requires_grad_(True) for k in PARAMS}
    t = forward_atoms(leaves, Xb, Yb)
    tensors = [leaves[r] if r in leaves else t[r] for r in ROWS]
    if cut is None:
        grads = torch.autograd.grad(t["loss"], tensors)
    else:
        scale = torch.autograd.grad(t["loss"], t[cut], retain_graph=True)[0].std()
        upstream = torch.randn(t[cut].shape, generator=torch.Generator().manual_seed(UPSTREAM_SEED)) * scale
        grads = torch.autograd.grad(t[cut], tensors, grad_outputs=upstream, allow_unused=True)
    n = Xb.shape[0]
    values: dict[str, Any] = {k: v.detach() for k, v in t.items()}
    values.update({k: v.detach() for k, v in leaves.items()})
    values.update(Xb=Xb, Yb=Yb, n=n, batch_size=n)
    if ix is not None:
        values["ix"] = ix
    return World(what, n, values, {r: torch.zeros_like(x) if gr is None else gr
                                   for r, x, gr in zip(ROWS, tensors, grads)}, cut)


# ---------------------------------------------------------------------------------------------
# Reading a row's lines back from the notebook's input history


def _scoped(node: ast.AST) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda,
                             ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))


def _base(node: ast.expr) -> ast.expr:
    while isinstance(node, (ast.Subscript, ast.Attribute, ast.Starred)):
        node = node.value
    return node


def _walk_top(stmt: ast.stmt) -> Iterable[ast.AST]:
    """Every node of a top-level statement, without going into function, class or comprehension bodies."""
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        yield node
        if node is not stmt and _scoped(node):
            continue
        stack.extend(ast.iter_child_nodes(node))


def writes(stmt: ast.stmt) -> tuple[set[str], set[str]]:
    """``(bound, changed)``: the names a statement binds afresh, and those it changes in place."""
    bound: set[str] = set()
    changed: set[str] = set()
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}, set()
    for node in _walk_top(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            base = _base(node)
            if isinstance(base, ast.Name):
                changed.add(base.id)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            changed.add(node.target.id)  # x += ...: a change of x, which must already exist
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr.endswith("_"):
            base = _base(node.func.value)
            if isinstance(base, ast.Name):
                changed.add(base.id)  # dC.index_add_(...): in place
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    bound -= {n.target.id for n in _walk_top(stmt) if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)}
    return bound, changed


def reads(stmts: Iterable[ast.stmt]) -> set[str]:
    """Every name the statements read."""
    return {node.id for s in stmts for node in ast.walk(s) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


@dataclass
class RowSource:
    """The lines that compute one gradient, as last run, with what they read."""

    stmts: list[ast.stmt]
    grads_read: list[str]  # rows whose gradient these lines read, in the order of ROWS
    loop: bool  # a Python for loop is among them

    def code(self, filename: str) -> Any:
        return compile(ast.Module(body=self.stmts, type_ignores=[]), filename, "exec")


def _parse(cell: str) -> list[ast.stmt] | None:
    try:
        return ast.parse(cell).body
    except SyntaxError:
        return None


@dataclass(frozen=True)
class _Stmt:
    node: ast.stmt
    bound: frozenset[str]
    changed: frozenset[str]
    reads: frozenset[str]

    @property
    def written(self) -> frozenset[str]:
        return self.bound | self.changed


def _statements(cells: Sequence[str]) -> list[list[_Stmt]]:
    out = []
    for cell in cells:
        body = _parse(cell) or []
        out.append([_Stmt(s, frozenset(b), frozenset(c), frozenset(reads([s]))) for s in body for b, c in [writes(s)]])
    return out


def find_sources(cells: Sequence[str], rows: Sequence[str]) -> dict[str, RowSource]:
    """For each row, the statements of the cells last run that compute ``d<row>``.

    ``cells`` are the sources in the order they ran (IPython's ``In``). The lines of a row
    are those of the latest cell that assigns ``d<row>``, from its last fresh assignment on
    (an earlier cell too if the latest only changes it, with ``+=`` say), together with the
    lines of the same cells that compute what they read, except other rows' gradients,
    which the check supplies.
    """
    history = _statements(cells)
    dnames = {"d" + r for r in ROWS}
    provided = set(ROWS) | set(WORLD_NAMES)  # every world has its own values for these
    found: dict[str, RowSource] = {}
    for row in rows:
        dname = "d" + row
        picked: list[ast.stmt] = []
        need: set[str] = set()
        pending = True  # still looking for the assignment that gives dname a fresh value
        for body in reversed(history):
            if not pending:
                break
            if not any(dname in s.written for s in body):
                continue
            chunk: list[ast.stmt] = []
            for s in reversed(body):
                if not pending and not need:
                    break
                if pending and dname in s.written:
                    chunk.append(s.node)
                    need = (need - s.bound) | (s.reads - s.bound - provided - {dname})
                    if dname in s.bound and dname not in s.reads:
                        pending = False  # dname = <something that does not read dname>
                elif s.written & need and not s.written & dnames:
                    chunk.append(s.node)  # a helper line the row's lines read (other rows' gradients come from the check)
                    need = (need - s.bound) | (s.reads - s.bound - provided)
            picked = chunk[::-1] + picked
        if picked and not pending:
            names = reads(picked)
            found[row] = RowSource(picked, [r for r in ROWS if r != row and "d" + r in names],
                                   any(isinstance(s, (ast.For, ast.While)) for s in picked))
    return found


def _rerun(src: RowSource, world: World, base: Mapping[str, Any], row: str) -> Any:
    """Run a row's lines in a fresh namespace made from ``world``; return the gradient they compute."""
    env = world.namespace(base, leave_out=row)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(src.code(f"<your lines for d{row}>"), env)  # noqa: S102 - the student's own lines, in their own kernel
    return env.get("d" + row)


# ---------------------------------------------------------------------------------------------
# Diagnoses that need the lecture's tensors


def _named_factor(world_values: Mapping[str, Any], shape: torch.Size) -> Diagnosis:
    """A local derivative left out or put in twice: the gradient times one of the forward tensors."""
    candidates: list[tuple[str, torch.Tensor]] = [
        (k, v) for k, v in world_values.items()
        if isinstance(v, torch.Tensor) and v.is_floating_point() and v.dim() >= 1 and k != "loss"]
    if "h" in world_values:
        candidates.append(("1 - h**2 (tanh's derivative)", 1 - world_values["h"] ** 2))

    def check(dt: torch.Tensor, g: torch.Tensor) -> str:
        for k, v in candidates:
            try:
                if torch.broadcast_shapes(v.shape, shape) != shape:
                    continue
            except RuntimeError:
                continue
            if torch.allclose(dt * v, g):
                return f"it is the true gradient divided by {k}: a factor of {k} is missing"
            if torch.allclose(dt, g * v):
                return f"it is the true gradient times {k}: a factor of {k} is extra, or a division by it is missing"
        return ""
    return check


def _c_rows(Xb: torch.Tensor) -> Diagnosis:
    """dC written with ``=`` (a loop, or ``dC[Xb] += ...``): rows used more than once keep one contribution."""
    uses = torch.bincount(Xb.reshape(-1), minlength=1)

    def check(dt: torch.Tensor, g: torch.Tensor) -> str:
        if dt.dim() != 2 or uses.numel() > dt.shape[0]:
            return ""
        used = torch.zeros(dt.shape[0], dtype=torch.long)
        used[: uses.numel()] = uses
        bad = ~torch.isclose(dt, g).all(1)
        if bad.any() and (used[bad] >= 2).all() and not bad[used == 1].any():
            return ("rows of C used more than once are not accumulated: each row of dC must add up the demb of "
                    "every position that used it (+= in the loop, or index_add_), not keep the last one")
        return ""
    return check


def _softmax_forms(values: Mapping[str, Any], n: int) -> Diagnosis:
    """Wrong forms of E2's dlogits, recognised by value."""
    logits, Yb = values["logits"], values["Yb"]
    onehot = F.one_hot(Yb, num_classes=logits.shape[1]).to(logits.dtype)
    forms = [
        ((F.softmax(logits, 0) - onehot) / n,
         "softmax over dim 0, down the batch: each row's probabilities sum to 1 over the characters, so dim=1"),
        (F.softmax(logits, 1) / n, "the -1 at each row's label (the one-hot term) is missing"),
        ((F.softmax(logits, 1) - onehot.sum(1, keepdim=True)) / n,
         "the -1 is subtracted from every entry, not only at the label"),
        ((torch.where(onehot.bool(), -1.0, F.softmax(logits, 1))) / n,
         "the label's entry is set to -1 instead of having 1 subtracted (softmax - 1 there)"),
        ((F.log_softmax(logits, 1) - onehot) / n, "log_softmax where softmax belongs"),
        ((onehot - F.softmax(logits, 1)) / n, "sign flipped: it is softmax minus the one-hot rows, not the reverse"),
    ]

    def check(dt: torch.Tensor, g: torch.Tensor) -> str:
        for form, words in forms:
            if form.shape == dt.shape and torch.allclose(dt, form):
                return words
        return ""
    return check


def _batchnorm_terms(values: Mapping[str, Any], dhpreact: torch.Tensor, n: int, n_first: int) -> Diagnosis:
    """E3's dhprebn as a sum of its three terms, each with or without bngain: name the term that is off.

    The true gradient is bngain*bnvar_inv * (g - g.sum(0)/n - bnraw*(g*bnraw).sum(0)/(n-1)), g = dhpreact.
    """
    gain, inv, raw = values["bngain"], values["bnvar_inv"], values["bnraw"]
    g = dhpreact.double()
    terms = {
        "dhpreact": g,
        "dhpreact.sum(0)/n": g.sum(0, keepdim=True).expand_as(g) / n,
        "bnraw*(dhpreact*bnraw).sum(0)/(n-1)": raw.double() * (g * raw.double()).sum(0, keepdim=True) / (n - 1),
    }
    truth_coef = {"dhpreact": 1.0, "dhpreact.sum(0)/n": -1.0, "bnraw*(dhpreact*bnraw).sum(0)/(n-1)": -1.0}
    with_gain = [(gain.double() * inv.double() * t).reshape(-1) for t in terms.values()]
    without = [(inv.double() * t).reshape(-1) for t in terms.values()]
    basis = torch.stack(with_gain + without, 1)
    hard = {n / n_first: f"1/{n_first} where 1/n belongs", (n - 1) / (n_first - 1): f"1/{n_first - 1} where 1/(n-1) belongs",
            (n - 1) / n_first: f"1/{n_first} where 1/(n-1) belongs",
            n_first * (n - 1) / ((n_first - 1) * n): f"{n_first}/{n_first - 1} where n/(n-1) belongs",
            } if n != n_first else {}

    def check(dt: torch.Tensor, gtrue: torch.Tensor) -> str:
        if dt.shape != gtrue.shape or dt.dim() != 2:
            return ""
        y = dt.double().reshape(-1)
        coef = torch.linalg.lstsq(basis, y.unsqueeze(1)).solution.squeeze(1)
        if (basis @ coef - y).abs().max().item() > 1e-5 * max(y.abs().max().item(), 1e-12):
            return ""  # not a combination of the three terms: no diagnosis from here
        k = len(terms)
        problems = []
        for i, (term, want) in enumerate(truth_coef.items()):
            a, b = coef[i].item(), coef[k + i].item()
            close = lambda x, y: abs(x - y) < 1e-3 * max(1.0, abs(y))  # noqa: E731
            if close(a, want) and close(b, 0):
                continue
            if close(a, 0) and close(b, want):
                problems.append(f"bngain is missing from the term {term}")
            elif close(a, 0) and close(b, 0):
                problems.append(f"the term {term} is missing")
            elif close(a, -want) and close(b, 0):
                problems.append(f"the term {term} has the wrong sign")
            elif close(b, 0) and term.endswith("(n-1)") and close(a / want, (n - 1) / n):
                problems.append(f"Bessel's factor is missing in the term {term}: it divides by n, the forward "
                                "pass's variance by n-1 (the n/(n-1) of the formula)")
            elif close(b, 0) and term.endswith("(n-1)") and close(a / want, n / (n - 1)):
                problems.append(f"Bessel's factor n/(n-1) is applied twice in the term {term}")
            elif close(b, 0) and any(close(a / want, r) for r in hard):
                words = next(w for r, w in hard.items() if close(a / want, r))
                problems.append(f"the term {term} has a hard-coded {words}: write n so it holds for any batch")
            elif close(b, 0):
                problems.append(f"the term {term} is {a / want:.4g} times what it should be")
            else:
                return ""
        return "; ".join(problems)
    return check


def _hard_coded(n: int, n_first: int) -> Diagnosis:
    """A constant batch size in a line: right for the notebook's batch only."""
    ratios = {n / n_first: f"a hard-coded {n_first} where n belongs",
              n_first / n: f"a hard-coded {n_first} where n belongs",
              (n - 1) / (n_first - 1): f"a hard-coded {n_first - 1} where n-1 belongs",
              (n_first - 1) / (n - 1): f"a hard-coded {n_first - 1} where n-1 belongs",
              n_first * (n - 1) / ((n_first - 1) * n): f"a hard-coded {n_first}/{n_first - 1} where n/(n-1) belongs"}

    def check(dt: torch.Tensor, g: torch.Tensor) -> str:
        c = scale_factor(dt, g)
        for r, words in ratios.items():
            if c is not None and abs(c - r) < 1e-3 * r:
                return f"{words}: write n (or n-1), so the line holds for a batch of any size"
        return ""
    return check


def _diagnoses(row: str, world: World, n_first: int, dhpreact: torch.Tensor) -> list[Diagnosis]:
    out: list[Diagnosis] = []
    if world.n != n_first:
        out.append(_hard_coded(world.n, n_first))
    if row == "C":
        out.append(_c_rows(world.values["Xb"]))
    if row == "logits" and world.cut is None:
        out.append(_softmax_forms(world.values, world.n))
    if row == "hprebn":
        out.append(_batchnorm_terms(world.values, dhpreact, world.n, n_first))
    shape = world.grads[row].shape
    out.append(_named_factor(world.values, shape))
    return out


# ---------------------------------------------------------------------------------------------
# Judging rows


@dataclass
class Verdict:
    """One row: the comparison on the notebook's batch, and what the check concludes."""

    row: str
    here: Comparison
    status: str = "unwritten"  # unwritten | right | own | follows | stale
    comment: str = ""
    cause: str | None = None

    @property
    def wrong(self) -> bool:
        return self.status in ("own", "follows", "stale")

    def line(self) -> str:
        if self.status == "unwritten":
            return self.here.row(self.row)
        return self.here.row(self.row, self.comment)


@dataclass
class Judgement:
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def first(self) -> Verdict | None:
        """The first row whose own line is wrong (or whose value is out of date)."""
        return next((v for v in self.verdicts if v.status in ("own", "stale")), None)

    def summary(self) -> str:
        right = sum(v.status == "right" for v in self.verdicts)
        wrong = sum(v.wrong for v in self.verdicts)
        unwritten = sum(v.status == "unwritten" for v in self.verdicts)
        return f"{right} of {len(self.verdicts)} correct, {wrong} wrong, {unwritten} not written yet"


def _world_failure(row: str, world: World, first_world: World) -> str:
    if world is first_world:
        return ""
    if world.cut is not None:
        return (f"right here only because {NEAR_ZERO[row][1]}; with a random gradient sent into {world.cut} "
                "it is wrong: ")
    return f"right on this batch, but wrong on {world.what}: "


def judge(rows: Sequence[str], ns: Mapping[str, Any], sources: Mapping[str, RowSource], worlds: Sequence[World],
          *, allowed_reads: set[str] | None = None, exercise: str = "E1") -> Judgement:
    """Judge each row of ``rows`` in namespace ``ns`` (the notebook's), re-running its lines in ``worlds``.

    ``worlds[0]`` must be the notebook's own batch. ``allowed_reads``: the rows whose gradient
    the lines may read (None: any); E2 and E3 ask for one expression of given tensors.
    """
    first_world = worlds[0]
    n_first = first_world.n
    result = Judgement()
    by_row: dict[str, Verdict] = {}
    for row in rows:
        t = ns[row]
        dt = ns.get("d" + row)
        here = compare(row, dt, t.grad, n=n_first,
                       diagnoses=_diagnoses(row, first_world, n_first, _dhpreact(ns, first_world)))
        v = Verdict(row, here)
        by_row[row] = v
        result.verdicts.append(v)
        if not here.written:
            continue
        src = sources.get(row)
        if src is None:
            v.status = "right" if here.ok else "own"
            v.comment = ((here.note + "; " if here.note else "") +
                         f"checked on this batch only: the line that computes d{row} was not found in this "
                         "notebook's input history") if here.ok else here.problem
            continue
        if allowed_reads is not None:
            extra = [r for r in src.grads_read if r not in allowed_reads]
            if extra:
                v.status = "own"
                allowed = ", ".join("d" + r for r in sorted(allowed_reads)) or "no other gradient"
                v.comment = (f"{exercise} asks for one expression; your lines read "
                             f"{', '.join('d' + r for r in extra)} (E1's rows), where {allowed} may be used")
                continue
        own_problem = None
        for world in worlds:
            if world.cut is not None and (NEAR_ZERO.get(row, (None,))[0] != world.cut or not src.grads_read):
                continue  # a random upstream gradient tests lines that read the gradient after them
            if world.cut is None and row in ZERO_ROWS and src.grads_read:
                continue  # rounding noise against rounding noise: judged with the random gradient instead
            try:
                value = _rerun(src, world, ns, row)
            except Exception as err:  # the student's line failed on this batch: say how
                numbers = [k for k in (n_first, n_first - 1) if re.search(rf"\b{k}\b", str(err))]
                hint = (f" (a hard-coded {numbers[0]} where n belongs?)" if world.n != n_first and numbers else "")
                own_problem = (f"your lines for d{row} fail on {world.what}: {type(err).__name__}: {err}{hint}. "
                               "Compute everything they use from the batch's tensors, in the same cell")
                break
            c = compare(row, value, world.grads[row], n=world.n,
                        diagnoses=_diagnoses(row, world, n_first, world.grads["hpreact"]))
            if not c.ok:
                what = c.problem or "its values differ from autograd's"
                own_problem = _world_failure(row, world, first_world) + what
                break
        if own_problem is not None:
            v.status, v.comment = "own", own_problem
        elif here.ok:
            v.status = "right"
            notes = [here.note] if here.note else []
            if row == "C" and src.loop:
                notes.append("a Python loop gives it, slowly: index_add_ or a one-hot product does it in one call")
            v.comment = "; ".join(notes)
        elif _replays(src, ns, row, dt):
            v.status = "follows"  # its line, run on the notebook's own gradients, gives its (wrong) value
        else:
            v.status = "stale"
            v.comment = (f"your line for d{row} is right, but d{row} does not hold what it computes: run its cell "
                         "again after the cells before it, and do not change it in place later (a name "
                         "assigned from it shares its memory: use .clone())")
    for v in result.verdicts:
        if v.status == "follows":
            v.cause = _first_cause(v.row, by_row, sources)
            if v.cause is None:  # nothing above is wrong: judge it by its own value
                v.status, v.comment = "own", v.here.problem or "its values differ from autograd's"
            else:
                v.comment = f"follows from d{v.cause} above: fix that first (your own line for d{v.row} is right)"
    return result


def _replays(src: RowSource, ns: Mapping[str, Any], row: str, value: torch.Tensor) -> bool:
    """Whether the row's lines, run on the notebook's current tensors and gradients, give ``value`` again."""
    env = {k: v.clone() if isinstance(v, torch.Tensor) and (k in ROWS or k[1:] in ROWS) else v for k, v in ns.items()}
    env.pop("d" + row, None)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(src.code(f"<your lines for d{row}>"), env)  # noqa: S102
        again = env.get("d" + row)
        return isinstance(again, torch.Tensor) and again.shape == value.shape and bool(
            torch.allclose(again.to(value.dtype), value, rtol=1e-6, atol=1e-12))
    except Exception:  # noqa: BLE001 - cannot be replayed: treat as out of date
        return False


def _first_cause(row: str, by_row: Mapping[str, Verdict], sources: Mapping[str, RowSource]) -> str | None:
    """The first row (in the table's order) above ``row``, through the gradients its lines read, whose own line is wrong."""
    seen: set[str] = set()
    todo = list(sources[row].grads_read) if row in sources else []
    while todo:
        r = todo.pop()
        if r in seen or r not in by_row:
            continue
        seen.add(r)
        if r in sources:
            todo.extend(sources[r].grads_read)
    wrong = [r for r in ROWS if r in seen and by_row[r].status in ("own", "stale")]
    if wrong:
        return wrong[0]
    earlier = [v.row for v in by_row.values() if v.status in ("own", "stale") and ROWS.index(v.row) < ROWS.index(row)]
    return earlier[0] if earlier else None


def _dhpreact(ns: Mapping[str, Any], world: World) -> torch.Tensor:
    h = ns.get("hpreact")
    return h.grad if isinstance(h, torch.Tensor) and h.grad is not None else world.grads["hpreact"]


def _report(exercise: str, judgement: Judgement, *, quiet: bool, passed_words: str,
            require_complete: bool = False) -> None:
    if not quiet:
        for v in judgement.verdicts:
            print(v.line())
    first = judgement.first or next((v for v in judgement.verdicts if v.wrong), None)
    if first is not None:
        followers = [v.row for v in judgement.verdicts if v.status == "follows" and v.cause == first.row]
        others = [v.row for v in judgement.verdicts if v.wrong and v is not first and v.row not in followers]
        msg = f"{exercise}: d{first.row} is the first wrong row: {first.comment}"
        if followers:
            msg += f". The rows {', '.join(followers)} follow from it"
        if others:
            msg += f". Also wrong: {', '.join(others)}"
        if not quiet:
            print(judgement.summary())
        raise GradientCheckError(msg + ". Fix it and run this check again.")
    unwritten = [v.row for v in judgement.verdicts if v.status == "unwritten"]
    if unwritten:
        if not quiet:
            print(judgement.summary())
        if require_complete:
            fail(exercise, f"not written yet: {', '.join('d' + r for r in unwritten)}")
        return
    if not quiet:
        passed(exercise, passed_words)


# ---------------------------------------------------------------------------------------------
# The notebook's namespace and input history


def notebook() -> tuple[dict[str, Any], list[str]]:
    """The running notebook's namespace and its input history (the cells as they ran), or ``__main__``'s."""
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython is installed with Jupyter
        shell = None
    if shell is not None:
        return shell.user_ns, [c for c in shell.user_ns.get("In", []) if isinstance(c, str)]
    return vars(sys.modules["__main__"]), []


def _need(ns: Mapping[str, Any], names: Iterable[str], exercise: str) -> None:
    missing = [k for k in names if k not in ns]
    if missing:
        fail(exercise, f"{', '.join(missing)} not defined: run the notebook's cells from the top (Run All Above)")


def _first_world(ns: Mapping[str, Any], exercise: str) -> World:
    """The notebook's batch as a world, after checking that its tensors come from its parameters."""
    _need(ns, PARAMS + ("Xb", "Yb", "loss") + ROWS, exercise)
    params = {k: ns[k] for k in PARAMS}
    world = make_world("this batch", params, ns["Xb"], ns["Yb"])
    stale = [r for r in ROWS if not isinstance(ns[r], torch.Tensor) or ns[r].grad is None
             or ns[r].shape != world.grads[r].shape]
    if stale or not torch.allclose(world.values["loss"], torch.as_tensor(ns["loss"]).detach().float()):
        fail(exercise, "the forward-pass tensors (" + ", ".join(stale[:3] or ["loss"]) + ") do not come from "
             "the current parameters and minibatch, or have no .grad (later cells, E4's among them, reuse these "
             "names): run the cells from the top down to this one again")
    return world


def _second_world(ns: Mapping[str, Any], exercise: str) -> World:
    _need(ns, ("Xtr", "Ytr"), exercise)
    gen = torch.Generator().manual_seed(SECOND_SEED)
    ix = torch.randint(0, ns["Xtr"].shape[0], (SECOND_BATCH,), generator=gen)
    params = {k: ns[k] for k in PARAMS}
    return make_world(f"a second batch of {SECOND_BATCH} rows (seed {SECOND_SEED})", params,
                      ns["Xtr"][ix], ns["Ytr"][ix], ix=ix)


def _e1_worlds(ns: Mapping[str, Any]) -> list[World]:
    first = _first_world(ns, "E1")
    params = {k: ns[k] for k in PARAMS}
    worlds = [first, _second_world(ns, "E1")]
    for cut in sorted({c for c, _ in NEAR_ZERO.values()}):
        worlds.append(make_world(f"this batch with a random gradient into {cut}", params, ns["Xb"], ns["Yb"], cut=cut))
    return worlds


def check_e1(ns: Mapping[str, Any] | None = None, cells: Sequence[str] | None = None, *,
             quiet: bool = False, require_complete: bool = False) -> None:
    """E1: every one of the 26 gradients, each row against autograd; see the module's docstring.

    Prints the table; rows not written yet say so and do not raise. Raises
    :class:`GradientCheckError` naming the first wrong row. ``ns`` and ``cells`` (the
    notebook's namespace and input history) default to the running notebook's.
    """
    if ns is None:
        ns, cells = notebook()
    judgement = judge(ROWS, ns, find_sources(cells or [], ROWS), _e1_worlds(ns))
    _report("E1", judgement, quiet=quiet, require_complete=require_complete,
            passed_words=(f"all {len(ROWS)} gradients agree with autograd on this batch and on a second batch of "
                          f"{SECOND_BATCH} rows (maxdiff about 1e-9 or smaller: float32 rounding)"))


def check_e2(ns: Mapping[str, Any] | None = None, cells: Sequence[str] | None = None, *, quiet: bool = False) -> None:
    """E2: dlogits in one expression of logits, Yb and n, on this batch and a second one."""
    if ns is None:
        ns, cells = notebook()
    worlds = [_first_world(ns, "E2"), _second_world(ns, "E2")]
    judgement = judge(("logits",), ns, find_sources(cells or [], ("logits",)), worlds, allowed_reads=set(),
                      exercise="E2")
    v = judgement.verdicts[0]
    _report("E2", judgement, quiet=quiet,
            passed_words=(f"dlogits agrees with autograd, maxdiff {v.here.maxdiff:.2g} (expect about 5e-9: one "
                          "expression rounds differently from eight steps, so exact is False), and on a second "
                          f"batch of {SECOND_BATCH} rows"))


def check_e3(ns: Mapping[str, Any] | None = None, cells: Sequence[str] | None = None, *, quiet: bool = False) -> None:
    """E3: dhprebn in one expression from dhpreact, on this batch and a second one."""
    if ns is None:
        ns, cells = notebook()
    worlds = [_first_world(ns, "E3"), _second_world(ns, "E3")]
    judgement = judge(("hprebn",), ns, find_sources(cells or [], ("hprebn",)), worlds, allowed_reads={"hpreact"},
                      exercise="E3")
    v = judgement.verdicts[0]
    _report("E3", judgement, quiet=quiet,
            passed_words=(f"dhprebn agrees with autograd, maxdiff {v.here.maxdiff:.2g} (expect about 1e-9), and on "
                          f"a second batch of {SECOND_BATCH} rows"))


# ---------------------------------------------------------------------------------------------
# E4: a whole backward pass in a function


def _e4_reference(params: Sequence[torch.Tensor], Xb: torch.Tensor, Yb: torch.Tensor) -> tuple[float, dict[str, torch.Tensor]]:
    leaves = {k: p.detach().clone().requires_grad_(True) for k, p in zip(PARAMS, params)}
    t = forward_atoms(leaves, Xb, Yb)
    grads = torch.autograd.grad(t["loss"], list(leaves.values()))
    return t["loss"].item(), dict(zip(PARAMS, grads))


def _e4_first_cause(wrong: list[str]) -> str:
    """Which of the backward pass's shared gradients the pattern of wrong parameters points at."""
    w = set(wrong)
    if {"W2", "W1", "C"} <= w:
        return "dlogits (every gradient depends on it: E2's line)"
    if {"bngain", "W1", "C"} <= w and "W2" not in w:
        return "dh or dhpreact (the gradients after tanh depend on them)"
    if {"W1", "C"} <= w and not w & {"W2", "b2", "bngain", "bnbias"}:
        return "dhprebn (W1, b1 and C depend on it: E3's line)"
    return ""


def _e4_atol(k: str, ref: Mapping[str, torch.Tensor]) -> float:
    """The tolerance for d<k> in E4: float32 rounding summed over the batch grows with the gradient.

    Each gradient is judged to 1e-6 of its largest entry, except b1's: before BatchNorm its true
    gradient is 0 in exact arithmetic, so what autograd and a correct formula give is rounding
    left from summing dhprebn over the batch (a few 1e-9 on a trained net). It is judged against
    W1's gradient, which is built from the same dhprebn over the same batch.
    """
    size = ref[k].abs().max().item()
    if k == "b1":
        size = max(size, ref["W1"].abs().max().item())
    return max(1e-8, 1e-6 * size)


def check_step(step: Callable[..., Any], ns: Mapping[str, Any] | None = None, *, steps: int = 1,
               quiet: bool = False, exercise: str = "E4") -> None:
    """Compare ``step(Xb, Yb)``'s loss and seven gradients with autograd on ``steps`` minibatches.

    Uses the notebook's current ``parameters`` (the globals ``step`` reads) and ``Xtr``,
    ``Ytr``, ``batch_size``. Between steps the parameters take an SGD step with your
    gradients; at the end they are put back as they were, so the check changes nothing.
    """
    if ns is None:
        ns, _ = notebook()
    _need(ns, PARAMS + ("parameters", "Xtr", "Ytr", "batch_size"), exercise)
    params = [ns[k] for k in PARAMS]
    if len(ns["parameters"]) != len(PARAMS) or any(a is not b for a, b in zip(params, ns["parameters"])):
        fail(exercise, "C, W1, b1, W2, b2, bngain, bnbias are not the tensors in `parameters`: run the cell that "
             "unpacks `parameters` into them again")
    saved = [p.detach().clone() for p in params]
    gen = torch.Generator().manual_seed(E4_SEED)
    name = getattr(step, "__name__", "the step")
    worst = 0.0
    try:
        for i in range(steps):
            ix = torch.randint(0, ns["Xtr"].shape[0], (ns["batch_size"],), generator=gen)
            Xb, Yb = ns["Xtr"][ix], ns["Ytr"][ix]
            ref_loss, ref = _e4_reference(params, Xb, Yb)
            with torch.no_grad():
                out = step(Xb, Yb)
            if not (isinstance(out, (tuple, list)) and len(out) == 2 and len(out[1]) == len(PARAMS)):
                fail(exercise, f"{name} must return (loss, [dC, dW1, db1, dW2, db2, dbngain, dbnbias])")
            loss, grads = out[0], dict(zip(PARAMS, out[1]))
            if abs(float(loss) - ref_loss) > 1e-5 * max(1.0, abs(ref_loss)):
                fail(exercise, f"{name}'s loss is {float(loss):.6f}, autograd's {ref_loss:.6f} on the same batch: "
                     "forward() or the parameters differ from the notebook's")
            results = {k: compare(k, grads[k], ref[k], n=Xb.shape[0], atol=_e4_atol(k, ref),
                                  diagnoses=[_c_rows(Xb)] if k == "C" else ())
                       for k in E4_ORDER}
            for k, c in list(results.items()):
                p = params[PARAMS.index(k)]
                if c.ok and c.note.startswith("right values in shape"):
                    try:
                        fits = torch.broadcast_shapes(p.shape, grads[k].shape) == p.shape
                    except RuntimeError:
                        fits = False
                    if not fits:  # the in-place update p.add_(grad) cannot take this shape
                        results[k] = Comparison("shape", problem=(
                            f"d{k} is {tuple(grads[k].shape)}, {k} is {tuple(p.shape)}: the update "
                            f"{k}.add_(d{k}) needs the parameter's own shape ({c.note})"))
            wrong = [k for k in E4_ORDER if not results[k].ok]
            if wrong:
                if not quiet:
                    print(f"step {i}: loss {float(loss):.4f}")
                    for k in E4_ORDER:
                        print(results[k].row(k))
                cause = _e4_first_cause(wrong)
                first = results[wrong[0]]
                problem = first.problem or "its values differ from autograd's (its row is above)"
                msg = f"{exercise}: d{wrong[0]} from {name} is wrong on step {i}: {problem}"
                if cause:
                    msg += f". {', '.join('d' + k for k in wrong)} are wrong together: look first at {cause}"
                raise GradientCheckError(msg)
            worst = max(worst, max(c.maxdiff for c in results.values()))
            if not quiet and steps > 1:
                print(f"step {i}: loss {float(loss):.4f} (autograd {ref_loss:.4f}); all seven gradients agree with "
                      f"autograd, largest maxdiff {max(c.maxdiff for c in results.values()):.2g}")
            with torch.no_grad():
                for k, p in zip(PARAMS, params):
                    p.add_(grads[k].reshape(p.shape).to(p.dtype), alpha=-0.1)
    finally:
        with torch.no_grad():
            for p, s in zip(params, saved):
                p.copy_(s)
    if not quiet:
        passed(exercise, f"{name} agrees with autograd on {steps} step{'s' if steps > 1 else ''}: loss and the seven "
                         f"gradients (largest maxdiff {worst:.2g}; expect a few 1e-8 at most: float32 rounding summed over "
                         "the batch, judged to 1e-6 of each gradient's largest entry; b1's, 0 but for rounding, to 1e-6 of W1's)")


def check_e4(ns: Mapping[str, Any] | None = None, *, steps: int = 3) -> None:
    """E4: ``manual_step`` against autograd on the first ``steps`` steps from the current parameters."""
    if ns is None:
        ns, _ = notebook()
    _need(ns, ("manual_step",), "E4")
    check_step(ns["manual_step"], ns, steps=steps)


__all__ = ["ROWS", "PARAMS", "SECOND_BATCH", "check_e1", "check_e2", "check_e3", "check_e4", "check_step",
           "find_sources", "forward_atoms", "judge", "make_world"]
