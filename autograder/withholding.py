"""The reference is not there for what a notebook grades: nnfs_core without those pieces.

A submission could otherwise earn the points of a component without writing it: import the
reference class (caught by the judge), subclass it, rename its module, or compute the values
the probes record with it. Inside the grading sandbox, nnfs_core is replaced by a copy in which
the *graded* components have no implementation: each of their functions raises
:class:`ReferenceWithheld` with a sentence saying why. Everything else, earlier chapters'
components included, is the real code, so a chapter that builds on them still runs.

:func:`targets` turns a notebook's trusted test cells (``check("dense_backward", Layer_Dense)``)
into what to withhold: the reference twin of each graded learner class (``nnfs_core.book``'s
name, or the course's own pieces in ``nnfs_core.calculus``, ``splits``...) as a whole class,
except where a chapter grades only some methods of a class that other chapters use whole
(:data:`METHODS_ONLY`). :func:`withheld_package` writes the copy (cached by content) and the
sandbox binds it over the real package, read-only.
"""

from __future__ import annotations

import ast
import compileall
import hashlib
import os
import re
import tempfile
from pathlib import Path

CHECK_CALL = re.compile(r'\bcheck\(\s*"(?P<name>\w+)"\s*,\s*(?P<learner>\w+)')

#: Learner classes of the course's own pieces, and where their reference lives.
COURSE_PIECES = {
    "RandomSearch": "nnfs_core.random_search.RandomSearch",
    "ForwardDifference": "nnfs_core.calculus.ForwardDifference",
    "CentralDifference": "nnfs_core.calculus.CentralDifference",
    "Polynomial": "nnfs_core.calculus.Polynomial",
    "TangentLine": "nnfs_core.calculus.TangentLine",
    "Sum": "nnfs_core.calculus.Sum",
    "Product": "nnfs_core.calculus.Product",
    "Max": "nnfs_core.calculus.Max",
    "ReLUFunction": "nnfs_core.calculus.ReLUFunction",
    "NumericalGradient": "nnfs_core.calculus.NumericalGradient",
    "Chain": "nnfs_core.calculus.Chain",
    "HoldOut": "nnfs_core.splits.HoldOut",
    "KFold": "nnfs_core.splits.KFold",
    "MinMaxScaler": "nnfs_core.scaling.MinMaxScaler",
    "Batcher": "nnfs_core.batching.Batcher",
    "Confusion_Matrix": "nnfs_core.metrics.confusion_matrix",
}

#: Checks that grade a few methods of a class that other chapters use whole.
METHODS_ONLY = {
    "regularization_loss": ["nnfs_core.losses.Loss.regularization_loss"],
    "accuracy_accumulated": [
        "nnfs_core.accuracy.Accuracy.calculate_accumulated",
        "nnfs_core.accuracy.Accuracy.new_pass",
    ],
    "model_evaluate": ["nnfs_core.model.Model.evaluate"],
    "dense_parameters": [
        "nnfs_core.layers.Dense.get_parameters",
        "nnfs_core.layers.Dense.set_parameters",
    ],
    "model_parameters": [
        f"nnfs_core.model.Model.{name}"
        for name in ("get_parameters", "set_parameters", "save_parameters", "load_parameters")
    ],
    "model_predict": ["nnfs_core.model.Model.predict"],
}


#: Reference pieces that the probes of these checks use inside the kernel (to build a model
#: around the learner's class, say), so they stay available in that notebook although another
#: of its checks grades them. These few can still be delegated to; the export does not catch it.
_MODEL_PROBES = ["nnfs_core.accuracy.CategoricalAccuracy", "nnfs_core.accuracy.RegressionAccuracy"]
KEPT_FOR_PROBES = {
    "chain_rule": ["nnfs_core.calculus.ReLUFunction"],
    "model_finalize": _MODEL_PROBES,
    "model_forward_chain": _MODEL_PROBES,
    "model_backward_paths": _MODEL_PROBES,
    "model_train": _MODEL_PROBES,
    "model_parameters": [
        "nnfs_core.layers.Dense.get_parameters",
        "nnfs_core.layers.Dense.set_parameters",
    ],
}


class ReferenceWithheld(RuntimeError):
    """Raised by a reference function that is withheld while its chapter is graded."""


def graded_checks(cells: list[dict]) -> list[tuple[str, str]]:
    """(check, learner class) of each ``check(...)`` line in the given (trusted) cells."""
    found = []
    for cell in cells:
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        found += [(m["name"], m["learner"]) for m in CHECK_CALL.finditer(source)]
    return found


def _reference_of(learner: str) -> str | None:
    if learner in COURSE_PIECES:
        return COURSE_PIECES[learner]
    import nnfs_core.book as book

    twin = getattr(book, learner, None)
    if isinstance(twin, type) and twin.__module__.startswith("nnfs_core"):
        return f"{twin.__module__}.{twin.__qualname__}"
    return None


def targets(checks: list[tuple[str, str]]) -> list[str]:
    """Dotted names to withhold (a module's class or function, or a class's method)."""
    chosen: set[str] = set()
    kept: set[str] = set()
    for check, learner in checks:
        kept.update(KEPT_FOR_PROBES.get(check, []))
        if check in METHODS_ONLY:
            chosen.update(METHODS_ONLY[check])
            continue
        reference = _reference_of(learner)
        if reference is not None:
            chosen.add(reference)
    return sorted(chosen - kept)


def _package_dir() -> Path:
    import nnfs_core

    return Path(nnfs_core.__file__).resolve().parent


def _stub(name: str) -> list[ast.stmt]:
    message = (
        f"nnfs_core's {name} is not available while this notebook is graded: the graded"
        " components must be your own code (calling or subclassing the reference earns"
        " nothing)."
    )
    tree = ast.parse(
        f"from nnfs_core._withheld import ReferenceWithheld\nraise ReferenceWithheld({message!r})"
    )
    return tree.body


def _withhold_in(tree: ast.Module, module: str, wanted: set[str]) -> int:
    """Replace the bodies of the wanted functions of ``tree``; returns how many."""
    done = 0
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if f"{module}.{node.name}" in wanted:
                node.body = _stub(f"{node.name}()")
                done += 1
        elif isinstance(node, ast.ClassDef):
            whole = f"{module}.{node.name}" in wanted
            for item in node.body:
                if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                method = f"{module}.{node.name}.{item.name}"
                public = not item.name.startswith("_") or item.name == "__init__"
                if method in wanted or (whole and public):
                    item.body = _stub(f"{node.name}.{item.name}")
                    done += 1
    return done


#: Part of a copy's cache key: a new value makes copies made by older code be made again
#: (2: with bytecode).
COPY_FORMAT = 2


def withheld_package(names: list[str], cache: Path | None = None) -> Path:
    """A copy of nnfs_core with ``names`` withheld; made once per content, then reused."""
    source = _package_dir()
    files = sorted(p for p in source.glob("**/*.py") if "__pycache__" not in p.parts)
    digest = hashlib.sha256(f"{COPY_FORMAT}\0".encode() + "\0".join(names).encode())
    for path in files:
        digest.update(path.read_bytes())
    cache = cache or Path(tempfile.gettempdir())
    target = cache / f"nnfs-withheld-{digest.hexdigest()[:16]}" / "nnfs_core"
    if target.is_dir():
        return target
    staging = Path(tempfile.mkdtemp(prefix="nnfs-withheld-", dir=cache))
    os.chmod(staging, 0o755)
    wanted = set(names)
    for path in files:
        relative = path.relative_to(source)
        module = "nnfs_core." + ".".join(relative.with_suffix("").parts)
        module = module.removesuffix(".__init__")
        text = path.read_text(encoding="utf-8")
        if any(name.startswith(module + ".") for name in wanted):
            tree = ast.parse(text)
            if _withhold_in(tree, module, wanted):
                text = ast.unparse(tree) + "\n"
        out = staging / "nnfs_core" / relative
        out.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
        out.write_text(text, encoding="utf-8")
    (staging / "nnfs_core" / "_withheld.py").write_text(
        '"""What a withheld reference function raises while its chapter is graded."""\n\n\n'
        "class ReferenceWithheld(RuntimeError):\n"
        '    """A reference implementation not available while this chapter is graded."""\n'
    )
    # Byte-compiled once here: the sandbox binds the copy read-only and its kernel writes no
    # bytecode, so without this every kernel compiled the package's modules again (about
    # 0.1 s of CPU per submission). The .pyc files carry the sources' times and sizes, which
    # the bind keeps; an interpreter of another version ignores them.
    compileall.compile_dir(staging, quiet=1)
    for folder, _, names_in in os.walk(staging):
        os.chmod(folder, 0o755)
        for name in names_in:
            os.chmod(os.path.join(folder, name), 0o644)
    final = target.parent
    try:
        staging.rename(final)
    except OSError:  # another process made it meanwhile
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
    return target
