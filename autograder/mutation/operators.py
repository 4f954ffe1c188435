"""Single-point AST edits a learner plausibly makes, one mutant per edit.

:func:`sites` walks one function's syntax tree and lists every place an operator applies, as
:class:`Site` records (the node's position in ``ast.walk`` order, the operator, a short label
such as ``"axis=0 -> axis=1"``); :func:`apply` makes a mutated copy of the tree for one site.
Positions in ``ast.walk`` order are stable on a ``copy.deepcopy`` of the tree, so a site found
on the original tree names the same node in its copy.

Each operator is a function ``node -> [(label, rebuild)]``: ``rebuild(node)`` receives the node
of the copy and returns its replacement (an expression, a statement, or ``None`` to delete a
statement). The catalogue of operators follows the mistakes learners of the book make: axis and
``keepdims``, transposes, signs, constant factors, sums against means, ``sqrt`` and epsilon,
Adam's two betas, ``iterations`` off by one, clip bounds, in-place changes to an input, one-hot
against sparse labels, a cache or mask not stored, comparisons at a kink.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Rebuild = Callable[[ast.AST], ast.AST | None]
Edit = tuple[str, Rebuild]


@dataclass(frozen=True)
class Site:
    """One mutant: operator ``operator`` applied to the ``index``-th node of ``ast.walk``."""

    index: int
    operator: str
    label: str
    line: int


def _src(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _call_name(node: ast.AST) -> str | None:
    """``"np.sum"`` for ``np.sum(...)``, ``".sum"`` for ``x.sum(...)``, ``"len"``..."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id in ("np", "numpy"):
            return f"np.{func.attr}"
        return f".{func.attr}"
    return None


def _keyword(node: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in node.keywords if k.arg == name), None)


# -- the operators ------------------------------------------------------------------------------


def axis_changed(node: ast.AST) -> list[Edit]:
    """``axis=0`` becomes ``axis=1`` (and back), ``axis=-1`` becomes ``axis=0``; or it goes."""
    if not isinstance(node, ast.Call):
        return []
    axis = _keyword(node, "axis")
    if axis is None:
        return []
    edits: list[Edit] = []
    value = axis.value
    number = None
    if isinstance(value, ast.Constant) and isinstance(value.value, int):
        number = value.value
    elif (
        isinstance(value, ast.UnaryOp)
        and isinstance(value.op, ast.USub)
        and isinstance(value.operand, ast.Constant)
    ):
        number = -value.operand.value
    if number is not None:
        other = {0: 1, 1: 0, -1: 0}.get(number, 0)

        def change(n, other=other):
            _keyword(n, "axis").value = ast.Constant(other)
            return n

        edits.append((f"axis={number} -> axis={other}", change))

    def drop(n):
        n.keywords = [k for k in n.keywords if k.arg != "axis"]
        return n

    edits.append((f"axis dropped from {_call_name(node) or 'call'}", drop))
    return edits


def keepdims_dropped(node: ast.AST) -> list[Edit]:
    if not isinstance(node, ast.Call) or _keyword(node, "keepdims") is None:
        return []

    def drop(n):
        n.keywords = [k for k in n.keywords if k.arg != "keepdims"]
        return n

    return [(f"keepdims dropped from {_call_name(node) or 'call'}", drop)]


def transpose_removed(node: ast.AST) -> list[Edit]:
    if isinstance(node, ast.Attribute) and node.attr == "T":
        return [(f"{_src(node)} -> {_src(node.value)} (.T removed)", lambda n: n.value)]
    return []


def _transposed(n: ast.expr) -> ast.expr:
    return ast.Attribute(value=n, attr="T", ctx=ast.Load())


def transpose_added(node: ast.AST) -> list[Edit]:
    """An operand of ``np.dot`` or ``@`` transposed; the operands of ``np.dot`` swapped."""
    edits: list[Edit] = []
    if _call_name(node) == "np.dot" and len(node.args) == 2:
        for i, arg in enumerate(node.args):
            if isinstance(arg, ast.Attribute) and arg.attr == "T":
                continue

            def add(n, i=i):
                n.args[i] = _transposed(n.args[i])
                return n

            edits.append((f"{_src(arg)} -> {_src(arg)}.T in np.dot", add))

        def swap(n):
            n.args = [n.args[1], n.args[0]]
            return n

        edits.append(("np.dot operands swapped", swap))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        for side in ("left", "right"):
            arg = getattr(node, side)
            if isinstance(arg, ast.Attribute) and arg.attr == "T":
                continue

            def add(n, side=side):
                setattr(n, side, _transposed(getattr(n, side)))
                return n

            edits.append((f"{_src(arg)} -> {_src(arg)}.T in @", add))
    return edits


def sign_flipped(node: ast.AST) -> list[Edit]:
    edits: list[Edit] = []
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        edits.append((f"-{_src(node.operand)} -> {_src(node.operand)} (sign)", lambda n: n.operand))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        new = ast.Sub if isinstance(node.op, ast.Add) else ast.Add

        def flip(n, new=new):
            n.op = new()
            return n

        symbol = "+ -> -" if new is ast.Sub else "- -> +"
        edits.append((f"{symbol} in {_src(node)}", flip))
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add | ast.Sub):
        new = ast.Sub if isinstance(node.op, ast.Add) else ast.Add

        def flip_aug(n, new=new):
            n.op = new()
            return n

        symbol = "+= -> -=" if new is ast.Sub else "-= -> +="
        edits.append((f"{symbol} on {_src(node.target)}", flip_aug))
    return edits


def operand_dropped(node: ast.AST) -> list[Edit]:
    """A factor, divisor, term or power dropped: ``a * b`` -> ``a`` or ``b``, ``a / n`` -> ``a``."""
    if not isinstance(node, ast.BinOp):
        return []
    op = node.op
    edits: list[Edit] = []
    if isinstance(op, ast.Mult | ast.Add):
        kind = "factor" if isinstance(op, ast.Mult) else "term"
        edits.append((f"{kind} {_src(node.right)} dropped", lambda n: n.left))
        edits.append((f"{kind} {_src(node.left)} dropped", lambda n: n.right))
    elif isinstance(op, ast.Div | ast.FloorDiv):
        edits.append((f"division by {_src(node.right)} dropped", lambda n: n.left))
    elif isinstance(op, ast.Sub):
        edits.append((f"term - {_src(node.right)} dropped", lambda n: n.left))
        if isinstance(node.left, ast.Constant):
            edits.append((f"{_src(node.left)} - dropped", lambda n: n.right))
    elif isinstance(op, ast.Pow):
        edits.append((f"power ** {_src(node.right)} dropped", lambda n: n.left))
    return edits


def _gradient_target(node: ast.AST) -> str | None:
    """The attribute a gradient or output assignment writes (``self.dinputs = ...``)."""
    if not isinstance(node, ast.Assign) or len(node.targets) != 1:
        return None
    target = node.targets[0]
    if isinstance(target, ast.Attribute) and (
        target.attr.startswith("d") or target.attr == "output"
    ):
        return _src(target)
    return None


def factor_added(node: ast.AST) -> list[Edit]:
    """A result scaled by 2 or divided by the batch size once more than it should be."""
    target = _gradient_target(node)
    if target is None:
        return []

    def times_two(n):
        n.value = ast.BinOp(left=ast.Constant(2), op=ast.Mult(), right=n.value)
        return n

    def per_sample(n):
        batch = ast.Call(func=ast.Name("len", ast.Load()), args=[n.value], keywords=[])
        n.value = ast.BinOp(left=n.value, op=ast.Div(), right=batch)
        return n

    return [(f"{target} scaled by 2", times_two), (f"{target} divided by len() again", per_sample)]


_SUM_MEAN = {"np.sum": "mean", "np.mean": "sum", ".sum": "mean", ".mean": "sum"}


def sum_mean_swapped(node: ast.AST) -> list[Edit]:
    name = _call_name(node)
    if name not in _SUM_MEAN:
        return []

    def swap(n, new=_SUM_MEAN[name]):
        n.func.attr = new
        return n

    return [(f"{name} -> {name[: name.rfind('.') + 1]}{_SUM_MEAN[name]}", swap)]


#: Calls whose first argument a learner may forget to wrap, or wrap wrongly.
_UNWRAPPED = {
    "np.sqrt": "sqrt dropped",
    "np.abs": "abs dropped",
    "np.log": "log dropped",
    "np.exp": "exp dropped",
    "np.sign": "sign dropped",
    "np.clip": "clip dropped",
    "np.copy": "copy dropped (the input is changed in place)",
    ".copy": "copy dropped (the input is changed in place)",
    "np.array": "np.array dropped",
    "np.maximum": "np.maximum dropped",
    "np.minimum": "np.minimum dropped",
}


def call_unwrapped(node: ast.AST) -> list[Edit]:
    name = _call_name(node)
    if name not in _UNWRAPPED:
        return []
    if name.startswith("."):
        return [(f"{_src(node)}: {_UNWRAPPED[name]}", lambda n: n.func.value)]
    if not node.args:
        return []
    if name in ("np.maximum", "np.minimum") and len(node.args) == 2:
        kept = 1 if isinstance(node.args[0], ast.Constant) else 0
        return [(f"{_src(node)}: {_UNWRAPPED[name]}", lambda n, k=kept: n.args[k])]
    return [(f"{_src(node)}: {_UNWRAPPED[name]}", lambda n: n.args[0])]


def sqrt_epsilon_moved(node: ast.AST) -> list[Edit]:
    """``np.sqrt(c) + eps`` <-> ``np.sqrt(c + eps)``: epsilon inside or outside the root."""
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Add)
        and _call_name(node.left) == "np.sqrt"
    ):

        def inside(n):
            root = n.left
            root.args = [ast.BinOp(left=root.args[0], op=ast.Add(), right=n.right)]
            return root

        return [(f"{_src(node.right)} moved inside np.sqrt", inside)]
    if (
        _call_name(node) == "np.sqrt"
        and node.args
        and isinstance(node.args[0], ast.BinOp)
        and isinstance(node.args[0].op, ast.Add)
    ):

        def outside(n):
            inner = n.args[0]
            n.args = [inner.left]
            return ast.BinOp(left=n, op=ast.Add(), right=inner.right)

        return [(f"{_src(node.args[0].right)} moved outside np.sqrt", outside)]
    return []


def beta_swapped(node: ast.AST) -> list[Edit]:
    if isinstance(node, ast.Attribute) and node.attr in ("beta_1", "beta_2"):
        other = "beta_2" if node.attr == "beta_1" else "beta_1"

        def swap(n, other=other):
            n.attr = other
            return n

        return [(f"{_src(node)} -> {other}", swap)]
    return []


def _is_iterations(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "iterations"


def iterations_off_by_one(node: ast.AST) -> list[Edit]:
    """``iterations + 1`` loses its ``+ 1``; a bare ``iterations`` read gains one."""
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Add)
        and _is_iterations(node.left)
        and isinstance(node.right, ast.Constant)
    ):
        return [(f"{_src(node)} -> {_src(node.left)}", lambda n: n.left)]
    if _is_iterations(node) and isinstance(node.ctx, ast.Load):
        return [
            (
                f"{_src(node)} -> {_src(node)} + 1",
                lambda n: ast.BinOp(left=n, op=ast.Add(), right=ast.Constant(1)),
            )
        ]
    return []


def range_off_by_one(node: ast.AST) -> list[Edit]:
    if _call_name(node) != "range" or len(node.args) != 1:
        return []
    edits: list[Edit] = []
    for op, sign in ((ast.Sub, "-"), (ast.Add, "+")):

        def shift(n, op=op):
            n.args = [ast.BinOp(left=n.args[0], op=op(), right=ast.Constant(1))]
            return n

        edits.append(
            (f"range({_src(node.args[0])}) -> range({_src(node.args[0])} {sign} 1)", shift)
        )
    return edits


def clip_bounds_changed(node: ast.AST) -> list[Edit]:
    if _call_name(node) != "np.clip" or len(node.args) != 3:
        return []

    def low(n):
        n.args[1] = ast.Constant(0)
        return n

    def high(n):
        n.args[2] = ast.Constant(1)
        return n

    return [
        (f"clip lower bound {_src(node.args[1])} -> 0", low),
        (f"clip upper bound {_src(node.args[2])} -> 1", high),
    ]


def labels_swapped(node: ast.AST) -> list[Edit]:
    """``len(y.shape) == 1`` <-> ``== 2``: one-hot and sparse label branches swapped."""
    if not (
        isinstance(node, ast.Compare)
        and _call_name(node.left) == "len"
        and len(node.comparators) == 1
        and isinstance(node.comparators[0], ast.Constant)
        and node.comparators[0].value in (1, 2)
    ):
        return []

    def swap(n):
        n.comparators = [ast.Constant(3 - n.comparators[0].value)]
        return n

    return [(f"{_src(node)}: one-hot and sparse branches swapped", swap)]


_COMPARE_FLIP = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt}
_SYMBOL = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<="}


def comparison_at_kink(node: ast.AST) -> list[Edit]:
    """``>`` <-> ``>=`` and ``<`` <-> ``<=``: the value exactly at a boundary."""
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return []
    op = type(node.ops[0])
    if op not in _COMPARE_FLIP:
        return []

    def flip(n, new=_COMPARE_FLIP[op]):
        n.ops = [new()]
        return n

    return [(f"{_SYMBOL[op]} -> {_SYMBOL[_COMPARE_FLIP[op]]} in {_src(node)}", flip)]


def _attribute_target(node: ast.AST) -> ast.Attribute | None:
    targets = (
        node.targets
        if isinstance(node, ast.Assign)
        else [node.target]
        if isinstance(node, ast.AugAssign)
        else []
    )
    for target in targets:
        if isinstance(target, ast.Attribute):
            return target
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute):
            return target.value
    return None


def store_removed(node: ast.AST) -> list[Edit]:
    """``self.x = ...`` or ``layer.cache += ...`` left out: a cache, mask or update not stored."""
    target = _attribute_target(node)
    if target is None:
        return []
    return [(f"{_src(node)} removed (not stored)", lambda n: None)]


def accumulate_replaced(node: ast.AST) -> list[Edit]:
    """``x += y`` -> ``x = y``: a running sum (a cache, a momentum) that forgets its past."""
    if not isinstance(node, ast.AugAssign) or not isinstance(node.op, ast.Add | ast.Sub):
        return []

    def replace(n):
        value = n.value if isinstance(n.op, ast.Add) else ast.UnaryOp(ast.USub(), n.value)
        return ast.Assign(targets=[n.target], value=value)

    return [(f"{_src(node.target)} {'+=' if isinstance(node.op, ast.Add) else '-='} -> =", replace)]


def input_updated_in_place(node: ast.AST) -> list[Edit]:
    """``self.x = arg <op> y`` -> ``arg <op>= y; self.x = arg``: an argument changed in place."""
    if not (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.value, ast.BinOp)
        and isinstance(node.value.left, ast.Name)
        and isinstance(node.value.op, ast.Add | ast.Sub | ast.Mult | ast.Div)
    ):
        return []

    def in_place(n):
        name = n.value.left.id
        update = ast.AugAssign(
            target=ast.Name(name, ast.Store()), op=n.value.op, value=n.value.right
        )
        assign = ast.Assign(targets=n.targets, value=ast.Name(name, ast.Load()))
        return ast.If(test=ast.Constant(True), body=[update, assign], orelse=[])

    left = node.value.left.id
    return [(f"{left} updated in place, then stored ({_src(node)})", in_place)]


def returned_pair_swapped(node: ast.AST) -> list[Edit]:
    """``return a, b`` -> ``return b, a``: two results handed back in the wrong order."""
    if not (
        isinstance(node, ast.Return)
        and isinstance(node.value, ast.Tuple | ast.List)
        and len(node.value.elts) == 2
    ):
        return []

    def swap(n):
        n.value.elts = [n.value.elts[1], n.value.elts[0]]
        return n

    return [(f"return {_src(node.value)}: the two results swapped", swap)]


_LIKE = {"np.ones_like": "zeros_like", "np.zeros_like": "ones_like"}


def like_swapped(node: ast.AST) -> list[Edit]:
    """``np.ones_like`` <-> ``np.zeros_like``: a derivative of 1 written as 0, or back."""
    name = _call_name(node)
    if name not in _LIKE:
        return []

    def swap(n, new=_LIKE[name]):
        n.func.attr = new
        return n

    return [(f"{name} -> np.{_LIKE[name]}", swap)]


OPERATORS: dict[str, Callable[[ast.AST], list[Edit]]] = {
    "axis": axis_changed,
    "keepdims": keepdims_dropped,
    "transpose-": transpose_removed,
    "transpose+": transpose_added,
    "sign": sign_flipped,
    "operand-": operand_dropped,
    "factor+": factor_added,
    "sum/mean": sum_mean_swapped,
    "unwrap": call_unwrapped,
    "sqrt/eps": sqrt_epsilon_moved,
    "beta": beta_swapped,
    "iterations": iterations_off_by_one,
    "range": range_off_by_one,
    "clip": clip_bounds_changed,
    "labels": labels_swapped,
    "compare": comparison_at_kink,
    "store-": store_removed,
    "accumulate": accumulate_replaced,
    "in-place": input_updated_in_place,
    "swap-returns": returned_pair_swapped,
    "like": like_swapped,
}


# -- finding and applying sites -----------------------------------------------------------------


def _body_nodes(function: ast.FunctionDef) -> Iterator[tuple[int, ast.AST]]:
    """Nodes of ``function``'s body (not its signature or decorators) with walk positions."""
    inside = {id(node) for stmt in function.body for node in ast.walk(stmt)}
    for index, node in enumerate(ast.walk(function)):
        if id(node) in inside:
            yield index, node


def _docstring(function: ast.FunctionDef) -> ast.AST | None:
    first = function.body[0] if function.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first
    return None


def sites(function: ast.FunctionDef, lines: set[int] | None = None) -> list[Site]:
    """Every single-point edit of ``function``'s body on a line in ``lines`` (all if None)."""
    skip = _docstring(function)
    skipped = {id(n) for n in ast.walk(skip)} if skip is not None else set()
    found: list[Site] = []
    for index, node in _body_nodes(function):
        line = getattr(node, "lineno", None)
        if line is None or id(node) in skipped or (lines is not None and line not in lines):
            continue
        for operator, make in OPERATORS.items():
            for label, _ in make(node):
                found.append(Site(index, operator, label, line))
    return found


def apply(tree: ast.Module, site: Site) -> ast.Module:
    """A copy of ``tree`` (holding one function) with ``site``'s edit made."""
    mutated = copy.deepcopy(tree)
    nodes = list(ast.walk(mutated.body[0]))
    target = nodes[site.index]
    edits = [rebuild for label, rebuild in OPERATORS[site.operator](target) if label == site.label]
    if not edits:
        raise ValueError(f"site {site} does not apply to {ast.dump(target)[:80]}")
    parents = {
        id(child): parent for parent in ast.walk(mutated) for child in ast.iter_child_nodes(parent)
    }
    parent = parents[id(target)]
    replacement = edits[0](target)
    if replacement is None:
        replacement = ast.Pass()
    for field, value in ast.iter_fields(parent):
        if value is target:
            setattr(parent, field, replacement)
            break
        if isinstance(value, list) and any(item is target for item in value):
            setattr(parent, field, [replacement if item is target else item for item in value])
            break
    ast.fix_missing_locations(mutated)
    for node in ast.walk(mutated):
        if hasattr(node, "lineno") and getattr(node, "lineno", None) is None:
            node.lineno = site.line
    return mutated


__all__ = ["OPERATORS", "Site", "apply", "sites"]
