"""The learner's own library: the classes they got right, carried from chapter to chapter.

A chapter's exercise classes whose graded checks pass in the learner's workspace become the
learner's version of those components. Later chapters' imports cells ask for each earlier
component with one call::

    Layer_Dense, Activation_ReLU = components("Layer_Dense", "Activation_ReLU", chapter="ch10")
    # prints: your Layer_Dense (ch09), your Activation_ReLU (ch09)

and get the learner's class where it is there and passing, the reference (``nnfs_core.book``)
otherwise, with one line saying which is which. ``use_reference()`` switches the rest of a
notebook to the reference entirely (for a learner who is stuck, or wants to compare).

**Exporting.** ``python3 course.py progress`` (and chapter 1's progress cell) already runs every
workspace notebook in a kernel of its own; after each run :func:`export_chapter` writes what
passed into ``WORKSPACE/my_nnfs/``: one module per chapter (``ch09.py``), holding the source of
each passing class exactly as the learner's notebook defines it last (a class that grows
across sections, like chapter 10's ``Optimizer_SGD``, is taken from its final cell), and
``manifest.json`` recording for each chapter the notebook, its content hash, and for each
component the cell and the checks it passed. A class passes when every test cell that checks
it after its last definition passes; a class with no test of its own (chapter 9's ``Loss``
base) goes with the tested classes of its cell. A chapter that is run again is exported again:
a class that stopped passing leaves the library, one that passes again comes back with its new
source. The source is copied from the notebook, never typed twice, and the module files are
written for reading; the notebook stays the place to change them. A check passing in the
learner's own kernel exports nothing by itself (only a run of the whole notebook sees every
test of a class pass together); instead the line under the imports says when a chapter's
notebook changed, or was never checked, since the library was last updated.

**Which chapter's version.** A component comes from the most recent chapter *before* the
asking one whose notebook defines that class (chapter 18 gets ``Layer_Dense`` from chapter 14,
which added regularization, not from chapter 9). If the learner's class in that chapter does
not pass, the reference is used, never an older chapter's version that lacks what later
chapters need. A class written on top of the reference (chapters 20 to 22 have the learner
write ``class Model(book.Model)`` with one method) is an exercise on the reference's class, not
a component of the learner's own: it is exported, but later chapters take the latest class the
learner wrote whole (the ``Model`` of chapter 18).

**Your class on top of the reference.** The book's later chapters extend earlier classes with
methods no exercise here asks for (``predictions`` of the activations, the accumulated loss,
``forward(inputs, training)``). So a learner class is given the reference class as a second
base: the methods the learner wrote come first; what they never wrote comes from the
reference. A method is called the way the reference's callers call it: the reference's
defaults fill what a caller leaves out, a ``forward`` written before ``training`` is called
without it, and a caller asking for more than the learner's method does (``train(...,
batch_size=32)``) gets the reference's method for that call. ``forward`` and ``backward``
return what they set (the reference's ``Model`` chains the returned values); chapter 14's
``regularization_loss(layer)`` also answers without a layer (every layer the loss remembered);
a constructor argument only the reference takes (chapter 17's ``weight_scale``) builds that
object with the reference's constructor. A method whose parameters clash otherwise keeps the
reference's version, and the line says so ("your X (ch09; calculate from the reference)").
The reference's instances count as instances of the learner's classes, so a learner's
``Model`` recognises the reference's softmax in the checks. The names a learner class uses
(``Loss`` as a base, the ``Layer_Input`` a ``Model`` creates) are resolved the same way, so
the learner's ``Model`` builds the learner's layers.

**Grading never uses it.** Under grading (``NNFS_GRADING=1`` in the sandbox, or any nbgrader
run: ``NBGRADER_EXECUTION`` during autograde, ``NBGRADER_VALIDATING`` during validate) every
component is the reference: a submission is graded on its own, whatever library lies beside
it. Outside a workspace (the repository's source notebooks, the tests) it is the reference too.

Only the learner's own notebooks are read and executed here, in the learner's own kernel or in
the progress run's kernels; never a submission.
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import json
import linecache
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # (Windows: the threads' lock alone)
    fcntl = None

import numpy as np

from .workspace import STATE_DIR, content_hash

LIBRARY_DIR = "my_nnfs"
MANIFEST = "manifest.json"
FORMAT = 1
CHAPTER = re.compile(r"^ch\d\d$")
CHECK_CALL = re.compile(r'check\(\s*"(?P<check>\w+)"\s*,\s*(?P<name>[A-Za-z_]\w*)\s*[,)]')

#: Environment variables that mean "this kernel is being graded or validated by nbgrader".
GRADING_VARIABLES = ("NNFS_GRADING", "NBGRADER_EXECUTION", "NBGRADER_VALIDATING")


# -- reading a notebook ------------------------------------------------------------------------


@dataclass
class ClassDefinition:
    name: str
    source: str  # the class statement, as the learner wrote it
    cell: str  # grade_id of the solution cell
    index: int  # the cell's position in the notebook
    tests: list[tuple[str, str]] = field(default_factory=list)  # (grade_id, check) after it
    on_reference: bool = False  # `class Model(book.Model)`: an exercise on the reference's class


def _meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def definitions(notebook: dict) -> dict[str, ClassDefinition]:
    """The last definition of each class in the notebook's solution cells, with the test
    cells that check it after that definition.

    A cell that does not parse (the learner is halfway through a line) defines nothing.
    """
    found: dict[str, ClassDefinition] = {}
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        meta = _meta(cell)
        source = _source(cell)
        if meta.get("solution"):
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    segment = ast.get_source_segment(source, node, padded=False) or ""
                    # decorators are not part of the segment; the course's classes have none
                    found[node.name] = ClassDefinition(
                        node.name,
                        _without_markers(segment),
                        str(meta.get("grade_id", "")),
                        index,
                        on_reference=_extends_book(node),
                    )
        elif meta.get("grade"):
            for match in CHECK_CALL.finditer(source):
                target = found.get(match["name"])
                if target is not None:
                    target.tests.append((str(meta.get("grade_id", "")), match["check"]))
    return found


def _extends_book(node: ast.ClassDef) -> bool:
    return any(
        isinstance(base, ast.Attribute)
        and isinstance(base.value, ast.Name)
        and base.value.id == "book"
        for base in node.bases
    )


def _without_markers(source: str) -> str:
    """nbgrader's solution markers mean nothing in the library."""
    markers = {"### BEGIN SOLUTION", "### END SOLUTION"}
    return "\n".join(line for line in source.splitlines() if line.strip() not in markers)


def passing(defined: dict[str, ClassDefinition], passed: dict[str, bool]) -> list[str]:
    """The classes whose every test after their last definition passed (``passed`` maps a
    test cell's grade_id to its verdict), plus the untested classes of a cell whose tested
    classes all passed. In notebook order."""
    good = {
        name
        for name, definition in defined.items()
        if definition.tests and all(passed.get(grade_id, False) for grade_id, _ in definition.tests)
    }
    for name, definition in defined.items():
        if definition.tests:
            continue
        neighbours = [d for d in defined.values() if d.cell == definition.cell and d.tests]
        if neighbours and all(d.name in good for d in neighbours):
            good.add(name)
    return sorted(good, key=lambda name: (defined[name].index, name))


# -- the library on disk -----------------------------------------------------------------------


def library_folder(workspace: Path) -> Path:
    return Path(workspace) / LIBRARY_DIR


def load_manifest(workspace: Path) -> dict:
    try:
        manifest = json.loads((library_folder(workspace) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": FORMAT, "chapters": {}}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("chapters"), dict):
        return {"format": FORMAT, "chapters": {}}
    return manifest


#: Threads of this process that change the manifest, one at a time (``course.py progress``
#: runs two chapters at once); the file lock below does the same across processes.
_MANIFEST_WRITERS = threading.Lock()


@contextmanager
def _manifest_changing(folder: Path) -> Iterator[None]:
    """Hold while reading, changing and writing the manifest: two chapters exported at once
    would otherwise each write the manifest they read, and one chapter's entry would be
    lost (the next progress run then ran that chapter again)."""
    folder.mkdir(parents=True, exist_ok=True)
    with _MANIFEST_WRITERS, open(folder / f".{MANIFEST}.lock", "a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)  # (released when the file is closed)
        yield


def _write(path: Path, text: str) -> None:
    """Atomically: a kernel reading the library never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)


def _module_text(chapter: str, notebook: str, defined: dict, names: list[str]) -> str:
    lines = [
        f'"""Your components from {notebook}, exported when their checks passed.',
        "",
        "Written by the course (autograder.library) from your notebook's cells. To change a",
        "class, change it in the notebook, run its test cell, then `python3 course.py progress`.",
        "Names a class uses that are not defined here (a base class, another component) are",
        "given to it when it is loaded: yours where yours passes, the reference otherwise.",
        '"""',
        "",
        "import numpy as np",
        "",
        "from nnfs_core import book",
    ]
    for name in names:
        definition = defined[name]
        checks = ", ".join(check for _, check in definition.tests) or "with its cell's classes"
        lines += ["", "", f"# cell {definition.cell}; checks passed: {checks}", definition.source]
    return "\n".join(lines) + "\n"


def export_chapter(
    workspace: Path, notebook_path: Path, notebook: dict, passed: dict[str, bool]
) -> list[str]:
    """Write the passing classes of one chapter notebook into the learner's library.

    ``notebook``: the notebook as it was run (its cells' sources are what passed);
    ``passed``: each graded test cell's grade_id and whether it passed in that run.
    Returns the exported class names. The chapter's previous export is replaced: a class
    that no longer passes is no longer in the library.
    """
    workspace = Path(workspace)
    notebook_path = Path(notebook_path)
    chapter = notebook_path.parent.name
    if not CHAPTER.match(chapter):
        raise ValueError(
            f"export_chapter: received {notebook_path}, whose folder is not a chapter folder; "
            "expected WORKSPACE/chNN/NAME.ipynb. Fix: pass a notebook of the workspace."
        )
    defined = definitions(notebook)
    names = passing(defined, passed)
    folder = library_folder(workspace)
    with _manifest_changing(folder):
        return _export_locked(workspace, folder, notebook_path, defined, names, chapter)


def _export_locked(
    workspace: Path,
    folder: Path,
    notebook_path: Path,
    defined: dict,
    names: list[str],
    chapter: str,
) -> list[str]:
    manifest = load_manifest(workspace)
    relative = notebook_path.relative_to(workspace).as_posix()
    module = folder / f"{chapter}.py"
    if names:
        _write(module, _module_text(chapter, relative, defined, names))
    elif module.exists():
        module.unlink()
    manifest["format"] = FORMAT
    manifest["chapters"][chapter] = {
        "notebook": relative,
        "notebook_hash": content_hash(notebook_path),
        "module": module.name if names else None,
        "defines": sorted(name for name in defined if not defined[name].on_reference),
        "components": {
            name: {
                "cell": defined[name].cell,
                "checks": [check for _, check in defined[name].tests],
                "on_reference": defined[name].on_reference,
            }
            for name in names
        },
        "not_passing": sorted(set(defined) - set(names)),
    }
    _write(folder / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return names


def export_from_run(workspace: Path, notebook_path: Path, notebook: dict, pieces) -> list[str]:
    """:func:`export_chapter` for a progress run: ``pieces`` are its graded pieces."""
    passed = {piece.grade_id: piece.passed for piece in pieces}
    return export_chapter(workspace, notebook_path, notebook, passed)


def learner_components(workspace: Path) -> dict[str, list[str]]:
    """The library's content: each component's name and the chapters that hold a passing
    version of it, from the manifest (for the progress table)."""
    found: dict[str, list[str]] = {}
    for chapter, entry in sorted(load_manifest(workspace).get("chapters", {}).items()):
        for name, component in entry.get("components", {}).items():
            if not component.get("on_reference"):
                found.setdefault(name, []).append(chapter)
    return found


# -- resolving a component ---------------------------------------------------------------------


def grading() -> bool:
    """Is this kernel graded or validated (the sandbox, nbgrader autograde or validate)?"""
    return os.environ.get("NNFS_GRADING") == "1" or any(
        os.environ.get(name) for name in ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING")
    )


def find_workspace(start: Path | None = None) -> Path | None:
    """The workspace a notebook runs in: the folder above the chapter folder, if it is one."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, folder.parent):
        if (candidate / STATE_DIR).is_dir():
            return candidate
    return None


def _reference(name: str) -> Any:
    import nnfs_core.book as book

    if not hasattr(book, name):
        raise NameError(
            f"components: received the name {name!r}, which is neither a class of the course "
            "nor in nnfs_core.book. Fix: use the book's name of an earlier component, "
            "e.g. 'Layer_Dense' or 'Optimizer_Adam'."
        )
    return getattr(book, name)


def _definers(workspace: Path, manifest: dict) -> dict[str, list[str]]:
    """For each class name, the chapters whose notebook defines it (from the manifest and the
    workspace's notebooks: a chapter never run still says what it defines)."""
    found: dict[str, set[str]] = {}
    for chapter, entry in manifest.get("chapters", {}).items():
        for name in entry.get("defines", []):
            found.setdefault(name, set()).add(chapter)
    for path in sorted(Path(workspace).glob("ch*/*.ipynb")):
        chapter = path.parent.name
        if not CHAPTER.match(chapter) or ".release-" in path.name:
            continue
        for name in _defined_in(str(path), path.stat().st_mtime_ns):
            found.setdefault(name, set()).add(chapter)
    return {name: sorted(chapters) for name, chapters in found.items()}


@functools.lru_cache(maxsize=64)
def _defined_in(path: str, _mtime: int) -> tuple[str, ...]:
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    return tuple(name for name, d in definitions(notebook).items() if not d.on_reference)


@dataclass
class Origin:
    name: str
    chapter: str | None  # None: the reference
    why: str = ""  # why the reference, or which methods of the reference a learner class uses
    note: str = ""

    def describe(self) -> str:
        if self.chapter is None:
            return self.name
        extra = f"; {self.note}" if self.note else ""
        return f"your {self.name} ({self.chapter}{extra})"


class Resolver:
    """Builds each component once per kernel and asking chapter, so that every name a
    notebook and its learner classes use is one and the same object (the ``isinstance``
    checks of a Model see the classes the notebook passes it)."""

    def __init__(self, workspace: Path | None, chapter: str, *, reference: bool) -> None:
        self.workspace = workspace
        self.chapter = chapter
        self.reference = reference or workspace is None
        self.manifest = load_manifest(workspace) if workspace else {"chapters": {}}
        self.definers = _definers(workspace, self.manifest) if workspace else {}
        self.built: dict[str, Any] = {}
        self.origins: dict[str, Origin] = {}
        self.sources: dict[str, dict[str, str]] = {}
        self.checked: set[str] = set()
        self.out_of_date: set[str] = set()  # chapters changed or never run since the export
        self.failed_to_load: set[str] = set()

    def _source_of(self, chapter: str, name: str) -> str | None:
        if chapter not in self.sources:
            entry = self.manifest["chapters"].get(chapter, {})
            module = entry.get("module")
            classes: dict[str, str] = {}
            if module:
                try:
                    text = (library_folder(self.workspace) / module).read_text(encoding="utf-8")
                    tree = ast.parse(text)
                    for node in tree.body:
                        if isinstance(node, ast.ClassDef):
                            classes[node.name] = ast.get_source_segment(text, node) or ""
                except (OSError, SyntaxError):
                    classes = {}
            self.sources[chapter] = classes
        return self.sources[chapter].get(name)

    def resolve(self, name: str) -> Any:
        if name in self.built:
            return self.built[name]
        chapters = [c for c in self.definers.get(name, []) if c < self.chapter]
        if self.reference or not chapters:
            return self._use_reference(name, "")
        latest = chapters[-1]
        entry = self.manifest["chapters"].get(latest)
        self._check_current(latest, entry)
        source = self._source_of(latest, name) if entry else None
        if entry is None or source is None or name not in entry.get("components", {}):
            why = "not run yet" if entry is None else "its checks do not pass"
            return self._use_reference(name, f"{latest}: {why}")
        try:
            built, note = self._build(name, latest, source)
        except Exception as error:  # the learner's class cannot even be defined here
            message = f"yours of {latest} fails to load: {type(error).__name__}: {error}"
            self.built.pop(name, None)
            self.failed_to_load.add(name)
            return self._use_reference(name, message[:120])
        self.origins[name] = Origin(name, latest, note=note)
        return built

    def _check_current(self, chapter: str, entry: dict | None) -> None:
        """Note a chapter whose notebook changed (or never ran) since the library was
        written: the line then says how to bring the library up to date."""
        if chapter in self.checked:
            return
        self.checked.add(chapter)
        if entry is None:
            self.out_of_date.add(chapter)
            return
        path = Path(self.workspace) / str(entry.get("notebook", ""))
        if path.is_file() and content_hash(path) != entry.get("notebook_hash"):
            self.out_of_date.add(chapter)

    def _use_reference(self, name: str, why: str) -> Any:
        value = _reference(name)
        self.built[name] = value
        self.origins[name] = Origin(name, None, why=why)
        return value

    def _build(self, name: str, chapter: str, source: str) -> tuple[type, str]:
        tree = ast.parse(source)
        node = tree.body[0]
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        namespace: dict[str, Any] = {
            "__name__": f"{LIBRARY_DIR}.{chapter}",
            "np": np,
            "book": _book(),
        }
        # Bases first (they are needed to define the class), the other names afterwards:
        # methods look their globals up when they run, so two classes may name each other.
        base_names = {
            n.id for base in node.bases for n in ast.walk(base) if isinstance(n, ast.Name)
        }
        for other in sorted(base_names - set(namespace) - {name}):
            if self._resolvable(other):
                namespace[other] = self.resolve(other)
        filename = f"{library_folder(self.workspace) / (chapter + '.py')} ({name})"
        # Tracebacks through the learner's class show its lines, as in the notebook.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), namespace)
        learner = namespace[name]
        completed, note = _on_reference(learner, name)
        self.built[name] = completed
        for other in sorted(used - set(namespace) - set(dir(builtins))):
            if self._resolvable(other):
                namespace[other] = self.resolve(other)
        namespace[name] = completed
        return completed, note

    def _resolvable(self, name: str) -> bool:
        import nnfs_core.book as book

        return hasattr(book, name) or name in self.definers


def _book():
    import nnfs_core.book as book

    return book


def _parameters(function: Any) -> tuple[set[str], set[str], bool]:
    """A method's parameter names, those of them without a default, and whether it takes
    ``**kwargs``."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return set(), set(), True
    parameters = [p for p in signature.parameters.values() if p.name != "self"]
    names = {p.name for p in parameters}
    required = {
        p.name
        for p in parameters
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    flexible = any(p.kind is p.VAR_KEYWORD for p in parameters)
    return names, required, flexible


def _on_reference(learner: type, name: str) -> tuple[type, str]:
    """The learner's class with the reference class as a second base (see the module
    docstring); returns the class and a note naming the reference methods it uses instead
    of the learner's."""
    import nnfs_core.book as book

    reference = getattr(book, name, None)
    if not isinstance(reference, type) or issubclass(learner, reference):
        return learner, ""
    extra: dict[str, Any] = {"__module__": learner.__module__, "__doc__": learner.__doc__}
    kept = []
    for attribute in dir(learner):
        if attribute.startswith("__"):
            continue  # the learner's constructor, with the book's signature, builds the object
        mine = getattr(learner, attribute, None)
        theirs = getattr(reference, attribute, None)
        if not (inspect.isfunction(mine) and inspect.isfunction(theirs)):
            continue
        wanted, wanted_required, _ = _parameters(theirs)
        have, required, flexible = _parameters(mine)
        # Callers written for the reference pass what it takes and may leave out what it
        # gives a default; the learner's method must accept the one and not need the other.
        adapter = _ADAPTERS.get(attribute)
        if flexible or (wanted <= have and not (required - wanted_required)):
            method = mine
        elif adapter is not None and adapter[0](wanted, have):
            method = adapter[1](mine)
        elif have <= wanted:  # called as the reference is, with its defaults, by name
            method = _called_as(mine, theirs, have)
        else:
            extra[attribute] = theirs
            kept.append(attribute)
            continue
        if attribute in _RETURNS:
            method = _returning(method, _RETURNS[attribute])
        if method is not mine:
            extra[attribute] = method
    constructor = _constructor(learner, reference)
    if constructor is not None:
        extra["__init__"] = constructor
    extra["__reference__"] = reference
    try:
        completed = _metaclass(type(reference))(name, (learner, reference), extra)
    except TypeError:
        return learner, ""
    completed.__qualname__ = name
    note = f"{', '.join(kept)} from the reference" if kept else ""
    return completed, note


@functools.cache
def _metaclass(base: type) -> type:
    """Classes for which the reference's instances count as instances too.

    The checks build a learner's ``Model`` with the reference's layers; a ``Model`` that asks
    ``isinstance(self.layers[-1], Activation_Softmax)``, with ``Activation_Softmax`` now the
    learner's, must still recognise the reference's softmax as a softmax.
    """

    def __instancecheck__(cls, instance):
        if base.__instancecheck__(cls, instance):
            return True
        reference = cls.__dict__.get("__reference__")
        return reference is not None and isinstance(instance, reference)

    return type(
        f"YoursOr{base.__name__.capitalize()}", (base,), {"__instancecheck__": __instancecheck__}
    )


def _constructor(learner: type, reference: type):
    """A constructor that is the learner's, except when a caller passes an argument only the
    reference's takes (chapter 17's ``weight_scale``): then the reference's builds the object,
    with the book's attribute names, which the learner's methods then use."""
    mine = learner.__init__
    if not inspect.isfunction(mine):
        return None
    have, _, flexible = _parameters(mine)
    wanted, _, _ = _parameters(reference.__init__)
    if flexible or wanted <= have:
        return None

    @functools.wraps(mine)
    def __init__(self, *args, **kwargs):
        if set(kwargs) - have:
            reference.__init__(self, *args, **kwargs)
        else:
            mine(self, *args, **kwargs)

    return __init__


#: The book's passes set an attribute; the reference's Model chains what they return.
_RETURNS = {"forward": "output", "backward": "dinputs"}


def _returning(method, attribute: str):
    """``method``, returning ``self.<attribute>`` when the learner's code returns nothing."""

    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        result = method(self, *args, **kwargs)
        return getattr(self, attribute, None) if result is None else result

    return wrapped


def _called_as(mine, theirs, have: set[str]):
    """The learner's method, called the way callers call the reference's: the reference's
    defaults fill what is left out (``training=False``), and a ``training`` flag the
    learner's ``forward`` predates is not passed. A caller that asks for anything else the
    learner's method does not do gets the reference's method for that call."""
    signature = inspect.signature(theirs)

    @functools.wraps(mine)
    def wrapped(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        asked = set(bound.arguments) - have - {"self", "training"}
        if asked:  # e.g. train(..., batch_size=32) of a Model written before batches
            return theirs(self, *args, **kwargs)
        bound.apply_defaults()
        given = {key: value for key, value in bound.arguments.items() if key in have}
        return mine(self, **given)

    return wrapped


def _penalty_of_remembered_layers(regularization_loss):
    @functools.wraps(regularization_loss)
    def wrapped(self, layer=None):
        # Chapter 18's Model asks the loss for the penalty of every trainable layer it
        # remembered; the learner's chapter 14 method computes it one layer at a time.
        if layer is not None:
            return regularization_loss(self, layer)
        return sum(
            (regularization_loss(self, each) for each in getattr(self, "trainable_layers", [])),
            0.0,
        )

    return wrapped


#: Methods the book extends after the learner wrote them: (applies, adapter).
_ADAPTERS = {
    "regularization_loss": (lambda wanted, have: have == {"layer"}, _penalty_of_remembered_layers),
}


# -- the calls notebooks make ------------------------------------------------------------------

_REFERENCE_ONLY = False
_RESOLVERS: dict[tuple, Resolver] = {}
_GIVEN: list[
    tuple[dict, tuple[str, ...], str]
] = []  # (namespace, names, chapter) for use_reference


def components(*names: str, chapter: str, quiet: bool = False, reference: bool = False):
    """Each named earlier component: the learner's passing class, or the reference.

    ``chapter``: the asking notebook's chapter (``"ch10"``); components come from chapters
    before it. ``reference=True`` (or an earlier ``use_reference()`` in this kernel) gives
    the reference for all. Prints one line saying which are the learner's, unless ``quiet``.
    Returns the class for one name, a tuple for several, in the order asked.
    """
    if not names:
        raise TypeError(
            "components: received no names; expected the book's names of earlier components, "
            "e.g. components('Layer_Dense', 'Activation_ReLU', chapter='ch10')."
        )
    if not (isinstance(chapter, str) and CHAPTER.match(chapter)):
        raise ValueError(
            f"components: received chapter={chapter!r}; expected the asking notebook's chapter "
            "as 'chNN', e.g. chapter='ch10'."
        )
    resolver = _resolver(chapter, reference=reference)
    values = tuple(resolver.resolve(name) for name in names)
    if not quiet:
        print(summary(resolver, names))
    _remember(names, chapter)
    return values[0] if len(values) == 1 else values


def _resolver(chapter: str, *, reference: bool) -> Resolver:
    workspace = None if grading() else find_workspace()
    reference = reference or _REFERENCE_ONLY or grading()
    manifest_stamp = None
    if workspace is not None:
        try:
            manifest_stamp = (library_folder(workspace) / MANIFEST).stat().st_mtime_ns
        except OSError:
            manifest_stamp = 0
    key = (str(workspace), chapter, reference, manifest_stamp)
    if key not in _RESOLVERS:
        _RESOLVERS[key] = Resolver(workspace, chapter, reference=reference)
    return _RESOLVERS[key]


def summary(resolver: Resolver, names) -> str:
    """The one line under an imports cell."""
    origins = [resolver.origins[name] for name in names]
    mine = [origin.describe() for origin in origins if origin.chapter]
    theirs = [
        f"{origin.name} ({origin.why})" if origin.name in resolver.failed_to_load else origin.name
        for origin in origins
        if not origin.chapter
    ]
    parts = []
    if mine:
        parts.append(", ".join(mine))
    if theirs:
        parts.append("reference: " + ", ".join(theirs))
    line = "; ".join(parts)
    if grading():
        return f"{line} (grading: every earlier component is the reference)"
    if resolver.workspace is None:
        return f"{line} (not in a course workspace)"
    if resolver.reference:
        return f"{line} (use_reference() is on)"
    if resolver.out_of_date:
        changed = ", ".join(sorted(resolver.out_of_date))
        return (
            f"{line} ({changed} changed or not checked since your library was updated: "
            "`python3 course.py progress` or the table of chapter 1 brings it up to date)"
        )
    return line


def _remember(names: tuple[str, ...], chapter: str) -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the course
        return
    shell = get_ipython()
    if shell is not None:
        _GIVEN.append((shell.user_ns, names, chapter))


def use_reference(on: bool = True) -> None:
    """Switch this notebook to the reference for every earlier component (``on=False``:
    back to yours). In a notebook it replaces the names the imports cell gave at once; run
    the cells below again to use them."""
    global _REFERENCE_ONLY
    _REFERENCE_ONLY = bool(on)
    seen = set()
    for namespace, names, chapter in list(_GIVEN):
        key = (id(namespace), names, chapter)
        if key in seen:
            continue
        seen.add(key)
        resolver = _resolver(chapter, reference=False)
        for name in names:
            namespace[name] = resolver.resolve(name)
        print(summary(resolver, names))


__all__ = [
    "LIBRARY_DIR",
    "components",
    "definitions",
    "export_chapter",
    "learner_components",
    "passing",
    "use_reference",
]
