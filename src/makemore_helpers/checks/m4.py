"""Self-checks for makemore 4, becoming a backprop ninja: ``m4.check_e1()`` ... ``m4.check_e4()``.

- **The lecture's table.** Every row compares your gradient with autograd's on the notebook's
  minibatch (:func:`makemore_helpers.gradcheck.compare`): exact, approximate, maxdiff, and what
  the mistake looks like when it is wrong. A row still ``...`` reads "not written yet", and the
  check stops with :class:`ExerciseNotWritten` naming the first such row.
- **A formula, not a number.** A line can give the right numbers on one batch and still be
  wrong: a hard-coded 32 for ``n``, or a mean where a sum belongs in ``db1`` (BatchNorm removes
  any shift of its input, so the true ``db1`` is about 0 on every batch). So the cells you ran
  that assign the rows (read back by :mod:`makemore_helpers.checks.cells`, whatever the front
  end's history setting) are run again, statement by statement, in a namespace of the check's
  own: on this batch, on a second batch of :data:`SECOND_BATCH` rows (another seed), and, for
  the rows whose true gradient is about 0, with a random gradient sent into the tensor after
  them. Where a line reads another row's gradient it is given autograd's, so each row is judged
  on its own line. A written row whose line cannot be found says so, and under the test command
  (``MAKEMORE_STRICT=1``) that fails. Your cells and tensors are left as they were.
- **The first cause.** A row whose own line is right but whose value is wrong is marked
  "follows from d<row> above: fix that first", and the error names the first row whose own
  line is wrong.

The checks hold no answers: they compare with autograd, and diagnose with the shapes and
factors that wrong answers produce.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import sys
from dataclasses import dataclass, field
from types import CodeType
from typing import Any, Callable, Mapping, Sequence

import torch
import torch.nn.functional as F

from makemore_helpers.checks import CheckFailed, cells, closest_form, fail, passed, student_code
from makemore_helpers.exercise import ExerciseNotWritten
from makemore_helpers.gradcheck import Comparison, Diagnosis, GradientCheckError, compare, scale_factor

#: E1's rows, in the order of the backward pass: the gradient of each is ``d<row>``.
ROWS = ("logprobs", "probs", "counts_sum_inv", "counts_sum", "counts", "norm_logits", "logit_maxes", "logits",
        "h", "W2", "b2", "hpreact", "bngain", "bnbias", "bnraw", "bnvar_inv", "bnvar", "bndiff2", "bndiff",
        "bnmeani", "hprebn", "embcat", "W1", "b1", "emb", "C")
#: The parameters, in the order of ``init_params``'s list (E1's ``parameters``, E4's ``net``).
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
#: Names a line may use for the batch size: each batch gives them its own size. The lecture writes
#: ``n`` and ``batch_size``; ``bs``, ``B``, ``N`` count when the notebook holds the batch size in them.
BATCH_NAMES = ("n", "batch_size", "bs", "B", "N", "nb")


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
    """A batch on which the lines are run again, with the true gradient of every row.

    ``values`` are what the namespace gets (tensors, ``Xb``, ``Yb``, the batch size); ``grads``
    the true gradient of each row; ``cut`` names the tensor a random gradient was sent into
    instead of the loss's (None for the loss itself).
    """

    what: str
    n: int
    values: dict[str, Any]
    grads: dict[str, torch.Tensor]
    cut: str | None = None

    def namespace(self, base: Mapping[str, Any]) -> dict[str, Any]:
        """``base`` (the notebook's names), then copies of this world's tensors (``.grad`` set) and gradients."""
        env = dict(base)
        for k, v in self.values.items():
            env[k] = v
            if isinstance(v, torch.Tensor):
                env[k] = v.clone()
                if k in self.grads:
                    env[k].grad = self.grads[k].clone()
        batch = base.get("Yb")
        size = batch.shape[0] if isinstance(batch, torch.Tensor) and batch.dim() == 1 else None
        for name in BATCH_NAMES:  # the notebook's own names for its batch size take this batch's
            if type(base.get(name)) is int and base[name] == size:
                env[name] = self.n
        for row, gr in self.grads.items():
            env["d" + row] = gr.clone()
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
# The lines that assign the rows, as they ran, and running them again


def _walk_top(stmt: ast.stmt):
    """Every node of a top-level statement, without going into function, class or comprehension bodies."""
    scoped = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp,
              ast.DictComp, ast.GeneratorExp)
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        yield node
        if node is stmt or not isinstance(node, scoped):
            stack.extend(ast.iter_child_nodes(node))


def _base(node: ast.expr) -> ast.expr:
    while isinstance(node, (ast.Subscript, ast.Attribute, ast.Starred)):
        node = node.value
    return node


def writes(stmt: ast.stmt) -> tuple[set[str], set[str]]:
    """``(bound, changed)``: the names a statement binds afresh, and those it changes in place."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}, set()
    bound: set[str] = set()
    changed: set[str] = set()
    for node in _walk_top(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            if isinstance(_base(node), ast.Name):
                changed.add(_base(node).id)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            changed.add(node.target.id)  # x += ...: a change of x, which must already exist
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr.endswith("_"):
            if isinstance(_base(node.func.value), ast.Name):
                changed.add(_base(node.func.value).id)  # dC.index_add_(...): in place
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return bound - {n.target.id for n in _walk_top(stmt) if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)}, changed


@dataclass(frozen=True)
class Line:
    """One top-level statement of a cell that assigns a row's gradient."""

    cell: int
    node: ast.stmt
    bound: frozenset[str]
    changed: frozenset[str]
    reads: frozenset[str]
    code: CodeType

    @property
    def written(self) -> frozenset[str]:
        return self.bound | self.changed

    def rows(self, names: frozenset[str]) -> set[str]:
        """The rows among ``names`` (``d<row>`` names)."""
        return {r for r in ROWS if "d" + r in names}


def lines_of(sources: Sequence[str], rows: Sequence[str]) -> list[Line]:
    """The statements, in the order they ran, of every cell that assigns a ``d<row>`` of ``rows``.

    Statements that assign nothing (a ``cmp(...)`` or ``print`` line, a check call) are left out.
    """
    dnames = {"d" + r for r in rows}
    out: list[Line] = []
    for k, source in enumerate(sources):
        try:
            body = ast.parse(source).body
        except SyntaxError:
            continue
        stmts = []
        for s in body:
            bound, changed = writes(s)
            if bound | changed:
                used = {x.id for x in ast.walk(s) if isinstance(x, ast.Name) and isinstance(x.ctx, ast.Load)}
                code = compile(ast.Module(body=[s], type_ignores=[]), f"<your cell, line {s.lineno}>", "exec")
                stmts.append(Line(k, s, frozenset(bound), frozenset(changed), frozenset(used), code))
        if any(s.written & dnames for s in stmts):
            out.extend(stmts)
    return out


@dataclass
class Source:
    """A row's own lines (from its last fresh assignment on) and the other rows' gradients they read."""

    lines: list[int]
    grads_read: list[str]
    loop: bool


def sources_of(lines: Sequence[Line], rows: Sequence[str]) -> dict[str, Source]:
    """For each row of ``rows`` whose lines are there, its :class:`Source`."""
    found = {}
    for row in rows:
        d = "d" + row
        fresh = [i for i, s in enumerate(lines) if d in s.bound and d not in s.reads]
        if fresh:
            own = [i for i in range(fresh[-1], len(lines)) if d in lines[i].written]
            cells = {lines[i].cell for i in own}  # with the helper lines of their cells (onehot = ... then -onehot / n)
            names = set().union(*(s.reads for i, s in enumerate(lines)
                                  if i in own or (s.cell in cells and not s.rows(s.written))))
            found[row] = Source(own, [r for r in ROWS if r != row and "d" + r in names],
                                any(isinstance(lines[i].node, (ast.For, ast.While)) for i in own))
    return found


def replay(lines: Sequence[Line], world: World, base: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Run ``lines`` in order in a namespace made from ``world``; return each row's value and each row's error.

    A line that reads another row's gradient gets the world's true one (each row is judged on
    its own line), unless a later line of the same cell still adds to that row: then it reads
    the value its cell has built so far, as in the notebook. A row's value is taken after the
    last line that assigns it.
    """
    env = world.namespace(base)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    later: list[set[str]] = [set() for _ in lines]  # the rows later lines of the same cell assign
    for i in range(len(lines) - 2, -1, -1):
        if lines[i + 1].cell == lines[i].cell:
            later[i] = later[i + 1] | lines[i + 1].rows(lines[i + 1].written)
    with contextlib.redirect_stdout(io.StringIO()):
        for i, s in enumerate(lines):
            assigned = s.rows(s.written)
            given = s.rows(s.reads) - assigned - later[i]
            run = dict(env, **{"d" + r: world.grads[r].clone() for r in given}) if given else env
            try:
                exec(s.code, run)  # noqa: S102 - the student's own lines, in their own kernel
            except Exception as err:  # noqa: BLE001 - reported as the row's own failure
                for r in assigned:
                    errors[r] = f"{type(err).__name__}: {err}"
                continue
            if run is not env:
                env.update({k: run[k] for k in s.written if k in run})
            for r in assigned:
                v = env.get("d" + r)
                values[r] = v.clone() if isinstance(v, torch.Tensor) else v
                if "d" + r in s.bound and "d" + r not in s.reads:
                    errors.pop(r, None)
    return values, errors


# ---------------------------------------------------------------------------------------------
# Diagnoses: the known wrong forms, each named through checks.closest_form


def _same(got: torch.Tensor, value: torch.Tensor) -> bool:
    return value.shape == got.shape and bool(torch.allclose(got, value.to(got.dtype)))


def _named_factor(world_values: Mapping[str, Any], shape: torch.Size) -> Diagnosis:
    """A local derivative left out or put in twice: the gradient times one of the forward tensors."""
    candidates = [(k, v) for k, v in world_values.items()
                  if isinstance(v, torch.Tensor) and v.is_floating_point() and v.dim() >= 1 and k != "loss"]
    if "h" in world_values:
        candidates.append(("1 - h**2 (tanh's derivative)", 1 - world_values["h"] ** 2))

    def check(dt: torch.Tensor, g: torch.Tensor) -> str:
        fits = [(k, v) for k, v in candidates if v.dim() <= len(shape) and _broadcasts(v.shape, shape)]
        forms = []
        for k, v in fits:  # each form is (what yours times the factor gives, what it should give)
            forms.append((f"it is the true gradient divided by {k}: a factor of {k} is missing", lambda v=v: (dt * v, g)))
            forms.append((f"it is the true gradient times {k}: a factor of {k} is extra, or a division by it is missing",
                          lambda v=v: (dt, g * v)))
        return closest_form(None, forms, lambda _, pair: _same(*pair)) or ""
    return check


def _broadcasts(small: torch.Size, shape: torch.Size) -> bool:
    try:
        return torch.broadcast_shapes(small, shape) == shape
    except RuntimeError:
        return False


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
    p = F.softmax(logits, 1)
    forms = [
        ("softmax over dim 0, down the batch: each row's probabilities sum to 1 over the characters, so dim=1",
         lambda: (F.softmax(logits, 0) - onehot) / n),
        ("operator precedence: / n divides only the one-hot term; the whole difference is divided by n, so put it "
         "in parentheses: (F.softmax(logits, 1) - F.one_hot(Yb, vocab_size)) / n", lambda: p - onehot / n),
        ("the -1 at each row's label (the one-hot term) is missing", lambda: p / n),
        ("the -1 is subtracted from every entry, not only at the label",
         lambda: (p - onehot.sum(1, keepdim=True)) / n),
        ("the label's entry is set to -1 instead of having 1 subtracted (softmax - 1 there)",
         lambda: torch.where(onehot.bool(), -1.0, p) / n),
        ("log_softmax where softmax belongs", lambda: (F.log_softmax(logits, 1) - onehot) / n),
        ("sign flipped: it is softmax minus the one-hot rows, not the reverse", lambda: (onehot - p) / n),
    ]
    return lambda dt, g: closest_form(dt, forms, _same) or ""


#: E3's three terms, the sign each has in the true gradient, and how the term is said in a message.
_TERMS = (("dhpreact", 1.0), ("dhpreact.sum(0)/n", -1.0), ("bnraw*(dhpreact*bnraw).sum(0)/(n-1)", -1.0))


def _batchnorm_terms(values: Mapping[str, Any], dhpreact: torch.Tensor, n: int, n_first: int) -> Diagnosis:
    """E3's dhprebn as a sum of its three terms, each with bngain once, not at all or twice: name the term that is off.

    The true gradient is bngain*bnvar_inv * (g - g.sum(0)/n - bnraw*(g*bnraw).sum(0)/(n-1)), g = dhpreact.
    """
    gain, inv, raw = (values[k].double() for k in ("bngain", "bnvar_inv", "bnraw"))
    g = dhpreact.double()
    terms = [g, g.sum(0, keepdim=True).expand_as(g) / n, raw * (g * raw).sum(0, keepdim=True) / (n - 1)]
    columns = [(gain ** p * inv * t).reshape(-1) for p in (1, 0, 2) for t in terms]  # once, missing, twice
    basis = torch.stack(columns, 1)

    def term_forms(name: str, want: float) -> list[tuple[str, Callable[[], tuple[float, float, float]]]]:
        """What (gain once, gain missing, gain twice) coefficients each mistake in the term gives."""
        forms = [(f"bngain is missing from the term {name}", lambda: (0, want, 0)),
                 (f"bngain is applied twice in the term {name}: it multiplies each term once", lambda: (0, 0, want)),
                 (f"the term {name} is missing", lambda: (0, 0, 0)),
                 (f"the term {name} has the wrong sign", lambda: (-want, 0, 0))]
        if name.endswith("(n-1)"):
            forms += [(f"Bessel's factor is missing in the term {name}: it divides by n, the forward pass's variance "
                       "by n-1 (the n/(n-1) of the formula)", lambda: (want * (n - 1) / n, 0, 0)),
                      (f"Bessel's factor n/(n-1) is applied twice in the term {name}", lambda: (want * n / (n - 1), 0, 0))]
        if n != n_first:  # on the second batch: a batch size written as a number
            hard = {f"1/{n_first} where 1/n belongs": n / n_first,
                    f"1/{n_first - 1} where 1/(n-1) belongs": (n - 1) / (n_first - 1),
                    f"1/{n_first} where 1/(n-1) belongs": (n - 1) / n_first,
                    f"{n_first}/{n_first - 1} where n/(n-1) belongs": n_first * (n - 1) / ((n_first - 1) * n)}
            forms += [(f"the term {name} has a hard-coded {words}: write n so it holds for any batch",
                       lambda r=r: (want * r, 0, 0)) for words, r in hard.items()]
        return forms

    def close(coef: tuple[float, ...], target: tuple[float, ...]) -> bool:
        return all(abs(a - b) < 1e-3 * max(1.0, abs(b)) for a, b in zip(coef, target))

    def check(dt: torch.Tensor, gtrue: torch.Tensor) -> str:
        if dt.shape != gtrue.shape or dt.dim() != 2:
            return ""
        y = dt.double().reshape(-1)
        coef = torch.linalg.lstsq(basis, y.unsqueeze(1)).solution.squeeze(1).tolist()
        if (basis @ torch.tensor(coef, dtype=torch.float64) - y).abs().max().item() > 1e-5 * max(y.abs().max().item(), 1e-12):
            return ""  # not a combination of the three terms: no diagnosis from here
        problems = []
        for i, (name, want) in enumerate(_TERMS):
            mine = (coef[i], coef[3 + i], coef[6 + i])
            if close(mine, (want, 0, 0)):
                continue
            found = closest_form(mine, term_forms(name, want), close)
            if found is None and close(mine[1:], (0, 0)):
                found = f"the term {name} is {mine[0] / want:.4g} times what it should be"
            if found is None:
                return ""
            problems.append(found)
        if len(problems) == len(_TERMS) and all(p.startswith("bngain is applied twice") for p in problems):
            return ("bngain is applied twice in every term: the gradient at BatchNorm's output is multiplied by "
                    "bngain once (dbnraw = bngain * dhpreact), not again in front of the bracket")
        return "; ".join(problems)
    return check


def _hard_coded(n: int, n_first: int) -> Diagnosis:
    """A constant batch size in a line: right for the notebook's batch only."""
    forms = [(f"a hard-coded {n_first} where n belongs", lambda: n / n_first),
             (f"a hard-coded {n_first} where n belongs", lambda: n_first / n),
             (f"a hard-coded {n_first - 1} where n-1 belongs", lambda: (n - 1) / (n_first - 1)),
             (f"a hard-coded {n_first - 1} where n-1 belongs", lambda: (n_first - 1) / (n - 1)),
             (f"a hard-coded {n_first}/{n_first - 1} where n/(n-1) belongs", lambda: n_first * (n - 1) / ((n_first - 1) * n))]

    def check(dt: torch.Tensor, g: torch.Tensor) -> str:
        c = scale_factor(dt, g)
        words = closest_form(c, forms, lambda c, r: c is not None and abs(c - r) < 1e-3 * r)
        return f"{words}: write n (or n-1), so the line holds for a batch of any size" if words else ""
    return check


def _diagnoses(row: str, world: World, n_first: int) -> list[Diagnosis]:
    out: list[Diagnosis] = []
    if world.n != n_first:
        out.append(_hard_coded(world.n, n_first))
    if row == "C":
        out.append(_c_rows(world.values["Xb"]))
    if row == "logits" and world.cut is None:
        out.append(_softmax_forms(world.values, world.n))
    if row == "hprebn":
        out.append(_batchnorm_terms(world.values, world.grads["hpreact"], world.n, n_first))
    out.append(_named_factor(world.values, world.grads[row].shape))
    return out


# ---------------------------------------------------------------------------------------------
# Judging rows


#: What a written row whose line is not among the cells that ran says, and the summary counts.
UNREAD = "could not read your line for d{row} back: the second-batch check was skipped"


@dataclass
class Verdict:
    """One row: the comparison on the notebook's batch, and what the check concludes."""

    row: str
    here: Comparison
    status: str = "unwritten"  # unwritten | right | unread | own | follows | stale
    comment: str = ""
    cause: str | None = None

    @property
    def wrong(self) -> bool:
        return self.status in ("own", "follows", "stale")

    def line(self) -> str:
        return self.here.row(self.row) if self.status == "unwritten" else self.here.row(self.row, self.comment)


@dataclass
class Judgement:
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def first(self) -> Verdict | None:
        """The first row whose own line is wrong (or whose value is out of date)."""
        return next((v for v in self.verdicts if v.status in ("own", "stale")), None)

    def count(self, *statuses: str) -> int:
        return sum(v.status in statuses for v in self.verdicts)

    def summary(self) -> str:
        unread = self.count("unread")
        return (f"{self.count('right')} of {len(self.verdicts)} correct, {self.count('own', 'follows', 'stale')} wrong, "
                f"{self.count('unwritten')} not written yet" +
                (f", {unread} right on this batch but not read back (their second-batch check was skipped)"
                 if unread else ""))


def _world_failure(row: str, world: World, first_world: World) -> str:
    if world is first_world:
        return ""
    if world.cut is not None:
        return (f"right here only because {NEAR_ZERO[row][1]}; with a random gradient sent into {world.cut} "
                "it is wrong: ")
    return f"right on this batch, but wrong on {world.what}: "


def judge(rows: Sequence[str], ns: Mapping[str, Any], sources: Sequence[str], worlds: Sequence[World],
          *, allowed_reads: set[str] | None = None, exercise: str = "E1") -> Judgement:
    """Judge each row of ``rows`` in namespace ``ns`` (the notebook's), running the cells ``sources`` again in ``worlds``.

    ``worlds[0]`` must be the notebook's own batch. ``allowed_reads``: the rows whose gradient
    the lines may read (None: any); E2 and E3 ask for one expression of given tensors.
    """
    first_world = worlds[0]
    n_first = first_world.n
    lines = lines_of(sources, rows)
    srcs = sources_of(lines, rows)
    runs = [replay(lines, w, ns) for w in worlds] if srcs else []
    result = Judgement()
    by_row: dict[str, Verdict] = {}
    for row in rows:
        here = compare(row, ns.get("d" + row), first_world.grads[row], n=n_first,
                       diagnoses=_diagnoses(row, first_world, n_first))
        v = by_row[row] = Verdict(row, here)
        result.verdicts.append(v)
        src = srcs.get(row)
        if not here.written:
            continue
        if src is None:
            v.status = "unread" if here.ok else "own"
            v.comment = "; ".join(x for x in (here.note, UNREAD.format(row=row)) if x) if here.ok else here.problem
            continue
        extra = [r for r in src.grads_read if allowed_reads is not None and r not in allowed_reads]
        if extra:
            allowed = ", ".join("d" + r for r in sorted(allowed_reads or ())) or "no other gradient"
            v.status, v.comment = "own", (f"{exercise} asks for one expression; your lines read "
                                          f"{', '.join('d' + r for r in extra)} (E1's rows), where {allowed} may be used")
            continue
        for world, (values, errors) in zip(worlds, runs):
            if world.cut is not None and (NEAR_ZERO.get(row, (None,))[0] != world.cut or not src.grads_read):
                continue  # a random upstream gradient tests lines that read the gradient after them
            if world.cut is None and row in ZERO_ROWS and src.grads_read:
                continue  # rounding noise against rounding noise: judged with the random gradient instead
            if row in errors:
                numbers = [k for k in (n_first, n_first - 1) if re.search(rf"\b{k}\b", errors[row])]
                hint = f" (a hard-coded {numbers[0]} where n belongs?)" if world.n != n_first and numbers else ""
                v.status, v.comment = "own", (f"your lines for d{row} fail on {world.what}: {errors[row]}{hint}. "
                                              "Compute everything they use from the batch's tensors, in the same cell")
                break
            c = compare(row, values.get(row), world.grads[row], n=world.n, diagnoses=_diagnoses(row, world, n_first))
            if not c.ok:
                v.status = "own"
                v.comment = _world_failure(row, world, first_world) + (c.problem or "its values differ from autograd's")
                break
        else:
            if here.ok:
                v.status = "right"
                loop = "a Python loop gives it, slowly: index_add_ or a one-hot product does it in one call"
                v.comment = "; ".join(x for x in (here.note, loop if row == "C" and src.loop else "") if x)
            else:
                v.status = "follows"  # its own line is right: decided below, once the rows above are judged
    for v in result.verdicts:
        if v.status == "follows":
            v.cause = _first_cause(v.row, by_row, srcs)
            if v.cause is None:
                v.status = "stale"
                v.comment = (f"your line for d{v.row} is right, but d{v.row} does not hold what it computes: run its "
                             "cell again after the cells before it, and do not change it in place later (a name "
                             "assigned from it shares its memory: use .clone())")
            else:
                v.comment = f"follows from d{v.cause} above: fix that first (your own line for d{v.row} is right)"
    return result


def _first_cause(row: str, by_row: Mapping[str, Verdict], sources: Mapping[str, Source]) -> str | None:
    """The first row (in the table's order) above ``row``, through the gradients its lines read, whose own line is wrong."""
    seen: set[str] = set()
    todo = list(sources[row].grads_read)
    while todo:
        r = todo.pop()
        if r not in seen and r in by_row:
            seen.add(r)
            todo.extend(sources[r].grads_read if r in sources else ())
    wrong = [r for r in ROWS if r in seen and by_row[r].status in ("own", "stale")]
    earlier = [v.row for v in by_row.values() if v.status in ("own", "stale") and ROWS.index(v.row) < ROWS.index(row)]
    return (wrong or earlier or [None])[0]


def _report(exercise: str, judgement: Judgement, *, quiet: bool, passed_words: str, where: str) -> None:
    unwritten = [v.row for v in judgement.verdicts if v.status == "unwritten"]
    unread = [v.row for v in judgement.verdicts if v.status == "unread"]
    first = judgement.first or next((v for v in judgement.verdicts if v.wrong), None)
    if len(unwritten) < len(judgement.verdicts) and not quiet:  # a table of 26 "not written yet" says nothing
        for v in judgement.verdicts:
            print(v.line())
        if first or unwritten or unread:
            print(judgement.summary())
    if first is not None:
        followers = [v.row for v in judgement.verdicts if v.status == "follows" and v.cause == first.row]
        others = [v.row for v in judgement.verdicts if v.wrong and v is not first and v.row not in followers]
        msg = f"{exercise}: d{first.row} is the first wrong row: {first.comment}"
        if followers:
            msg += f". The rows {', '.join(followers)} follow from it"
        if others:
            msg += f". Also wrong: {', '.join(others)}"
        raise GradientCheckError(msg + ". Fix it and run this check again.")
    if unwritten:
        written = len(judgement.verdicts) - len(unwritten)
        done = f" ({written} of {len(judgement.verdicts)} written, right so far)" if written else ""
        raise ExerciseNotWritten(f"{exercise} is not written yet: d{unwritten[0]} is still ...{done}. Write it in "
                                 f"{where}, run that cell, then this check again.")
    if unread and cells.strict():
        raise CheckFailed(f"{exercise}: {UNREAD.format(row=unread[0])} ({', '.join('d' + r for r in unread)}: their "
                          f"lines are not among the cells this kernel ran; {cells.STRICT_VAR}=1 makes that a failure)")
    if unread:
        passed_words = (f"right on this batch; {', '.join('d' + r for r in unread)} could not be read back, so their "
                        "second-batch check was skipped (run their cells again, then this check)")
    if not quiet:
        passed(exercise, passed_words)


# ---------------------------------------------------------------------------------------------
# E1, E2, E3: the notebook's batch, a second one, random gradients


def notebook() -> tuple[dict[str, Any], list[str]]:
    """The running notebook's namespace and the cells it ran (see :mod:`cells`), or ``__main__``'s and []."""
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython is installed with Jupyter
        shell = None
    if shell is not None:
        return shell.user_ns, cells.sources(shell)
    return vars(sys.modules["__main__"]), []


def _need(ns: Mapping[str, Any], names: Sequence[str], exercise: str) -> None:
    missing = [k for k in names if k not in ns]
    if missing:
        fail(exercise, f"{', '.join(missing)} not defined: run the cells above this one first (Run All Above "
             "Selected Cell)")


def _first_world(ns: Mapping[str, Any], exercise: str) -> World:
    """The notebook's batch as a world, after checking that its tensors come from its parameters."""
    _need(ns, PARAMS + ("Xb", "Yb", "loss") + ROWS, exercise)
    world = make_world("this batch", {k: ns[k] for k in PARAMS}, ns["Xb"], ns["Yb"])
    stale = [r for r in ROWS if not isinstance(ns[r], torch.Tensor) or ns[r].shape != world.grads[r].shape]
    if stale or not torch.allclose(world.values["loss"], torch.as_tensor(ns["loss"]).detach().float()):
        fail(exercise, "the forward-pass tensors (" + ", ".join(stale[:3] or ["loss"]) + ") do not come from "
             "the current parameters and minibatch: run the cells from the Setup heading down to the forward "
             "pass again")
    return world


def _second_world(ns: Mapping[str, Any], exercise: str) -> World:
    _need(ns, ("Xtr", "Ytr"), exercise)
    ix = torch.randint(0, ns["Xtr"].shape[0], (SECOND_BATCH,), generator=torch.Generator().manual_seed(SECOND_SEED))
    return make_world(f"a second batch of {SECOND_BATCH} rows (seed {SECOND_SEED})", {k: ns[k] for k in PARAMS},
                      ns["Xtr"][ix], ns["Ytr"][ix], ix=ix)


def check_e1(ns: Mapping[str, Any] | None = None, sources: Sequence[str] | None = None, *, quiet: bool = False) -> None:
    """E1: every one of the 26 gradients, each row against autograd; see the module's docstring.

    Prints the table once a row is written. Raises :class:`ExerciseNotWritten` naming the first
    row still ``...``, or :class:`GradientCheckError` naming the first wrong row. ``ns`` and
    ``sources`` (the notebook's namespace and the cells it ran) default to the running notebook's.
    """
    if ns is None:
        ns, sources = notebook()
    first = _first_world(ns, "E1")
    params = {k: ns[k] for k in PARAMS}
    worlds = [first, _second_world(ns, "E1")] + [
        make_world(f"this batch with a random gradient into {cut}", params, ns["Xb"], ns["Yb"], cut=cut)
        for cut in sorted({c for c, _ in NEAR_ZERO.values()})]
    _report("E1", judge(ROWS, ns, sources or [], worlds), quiet=quiet, where="E1's cells above (YOUR CODE HERE (E1))",
            passed_words=(f"all {len(ROWS)} gradients agree with autograd on this batch and on a second batch of "
                          f"{SECOND_BATCH} rows (maxdiff about 1e-9 or smaller: float32 rounding)"))


def check_e2(ns: Mapping[str, Any] | None = None, sources: Sequence[str] | None = None, *, quiet: bool = False) -> None:
    """E2: dlogits in one expression of logits, Yb and n, on this batch and a second one."""
    if ns is None:
        ns, sources = notebook()
    judgement = judge(("logits",), ns, sources or [], [_first_world(ns, "E2"), _second_world(ns, "E2")],
                      allowed_reads=set(), exercise="E2")
    v = judgement.verdicts[0]
    _report("E2", judgement, quiet=quiet, where="the cell above (YOUR CODE HERE (E2))",
            passed_words=(f"dlogits agrees with autograd, maxdiff {v.here.maxdiff:.2g} (expect about 5e-9: one "
                          "expression rounds differently from eight steps, so exact is False), and on a second "
                          f"batch of {SECOND_BATCH} rows"))


def check_e3(ns: Mapping[str, Any] | None = None, sources: Sequence[str] | None = None, *, quiet: bool = False) -> None:
    """E3: dhprebn in one expression from dhpreact, on this batch and a second one."""
    if ns is None:
        ns, sources = notebook()
    judgement = judge(("hprebn",), ns, sources or [], [_first_world(ns, "E3"), _second_world(ns, "E3")],
                      allowed_reads={"hpreact"}, exercise="E3")
    v = judgement.verdicts[0]
    _report("E3", judgement, quiet=quiet, where="the cell above (YOUR CODE HERE (E3))",
            passed_words=(f"dhprebn agrees with autograd, maxdiff {v.here.maxdiff:.2g} (expect about 1e-9), and on "
                          f"a second batch of {SECOND_BATCH} rows"))


# ---------------------------------------------------------------------------------------------
# E4: a whole backward pass in a function, on E4's own network ``net``


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


def _step_once(step: Callable[..., Any], name: str, Xb: torch.Tensor, Yb: torch.Tensor, i: int, exercise: str) -> Any:
    net = (". It computes with E4's network: its first line unpacks net into C, W1, b1, W2, b2, bngain, bnbias, "
           "then it calls forward(Xb, Yb)")
    with student_code(exercise, f"{name} on step {i}", lambda err: net), torch.no_grad():
        out = step(Xb, Yb)
    if not (isinstance(out, (tuple, list)) and len(out) == 2 and isinstance(out[1], (tuple, list))
            and len(out[1]) == len(PARAMS)):
        fail(exercise, f"{name} must return (loss, [dC, dW1, db1, dW2, db2, dbngain, dbnbias])")
    return out


def check_e4_step(step: Callable[..., Any], ns: Mapping[str, Any] | None = None, *, steps: int = 1,
               quiet: bool = False, exercise: str = "E4") -> None:
    """Compare ``step(Xb, Yb)``'s loss and seven gradients with autograd on ``steps`` minibatches.

    Uses the notebook's E4 network ``net`` (the list ``init_params`` returned, which ``step``
    reads) and ``Xtr``, ``Ytr``, ``batch_size``. Between steps the parameters take an SGD step
    with your gradients; at the end they are put back as they were, so the check changes nothing.
    """
    if ns is None:
        ns, _ = notebook()
    _need(ns, ("net", "Xtr", "Ytr", "batch_size"), exercise)
    params = list(ns["net"])
    if len(params) != len(PARAMS) or not all(isinstance(p, torch.Tensor) for p in params):
        fail(exercise, "net must be the list init_params returns, [C, W1, b1, W2, b2, bngain, bnbias]: run the cell "
             "that sets it again")
    saved = [p.detach().clone() for p in params]
    gen = torch.Generator().manual_seed(E4_SEED)
    name = getattr(step, "__name__", "the step")
    worst = 0.0
    try:
        for i in range(steps):
            ix = torch.randint(0, ns["Xtr"].shape[0], (ns["batch_size"],), generator=gen)
            Xb, Yb = ns["Xtr"][ix], ns["Ytr"][ix]
            ref_loss, ref = _e4_reference(params, Xb, Yb)
            loss, grads = _step_once(step, name, Xb, Yb, i, exercise)
            grads = dict(zip(PARAMS, grads))
            if abs(float(loss) - ref_loss) > 1e-5 * max(1.0, abs(ref_loss)):
                fail(exercise, f"{name}'s loss is {float(loss):.6f}, autograd's {ref_loss:.6f} on the same batch: "
                     "forward() or the parameters differ from net's")
            results = {k: compare(k, grads[k], ref[k], n=Xb.shape[0], atol=_e4_atol(k, ref),
                                  diagnoses=[_c_rows(Xb)] if k == "C" else ())
                       for k in E4_ORDER}
            for k, c in list(results.items()):
                p = params[PARAMS.index(k)]
                if c.ok and c.note.startswith("right values in shape") and not _broadcasts(grads[k].shape, p.shape):
                    results[k] = Comparison("shape", problem=(  # the in-place update p.add_(grad) cannot take this shape
                        f"d{k} is {tuple(grads[k].shape)}, {k} is {tuple(p.shape)}: the update "
                        f"{k}.add_(d{k}) needs the parameter's own shape ({c.note})"))
            wrong = [k for k in E4_ORDER if not results[k].ok]
            if wrong:
                if not quiet:
                    print(f"step {i}: loss {float(loss):.4f}")
                    for k in E4_ORDER:
                        print(results[k].row(k))
                cause = _e4_first_cause(wrong)
                problem = results[wrong[0]].problem or "its values differ from autograd's (its row is above)"
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
    """E4: ``manual_step`` against autograd on the first ``steps`` steps from ``net``'s current values."""
    if ns is None:
        ns, _ = notebook()
    _need(ns, ("manual_step",), "E4")
    check_e4_step(ns["manual_step"], ns, steps=steps)


__all__ = ["ROWS", "PARAMS", "SECOND_BATCH", "check_e1", "check_e2", "check_e3", "check_e4", "check_e4_step",
           "forward_atoms", "judge", "lines_of", "make_world", "replay", "sources_of"]
