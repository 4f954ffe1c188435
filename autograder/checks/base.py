"""The shape every check has: a probe that runs learner code, a judge that decides.

A check is split in two so that grading can put the halves in different processes:

* ``probe(learner, seed)`` runs the learner's class on inputs drawn from ``seed`` and
  captures what came out (outputs, gradients, state after several steps, or the error
  raised) as plain data: a :class:`Probe`. It never compares anything.
* ``judge(probe)`` rebuilds the same inputs from the same seed, runs the reference
  (``nnfs_core``), compares, and, when something differs, diagnoses the mistake. It
  returns a :class:`CheckResult`.

While a learner studies alone both halves run in the notebook's kernel
(:meth:`Check.run`). At grading time only the probe runs in the kernel, which executes
untrusted code; its data leaves the kernel as an output of the test cell and the judge
runs in the grading process, where the submission cannot patch ``np.allclose``.

Probes travel as JSON: arrays are stored with dtype and shape (see ``encode_array``).
"""

from __future__ import annotations

import base64
import os
import traceback
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

import numpy as np

#: The mimetype under which a probe leaves the kernel during grading.
PROBE_MIMETYPE = "application/vnd.nnfs-course.probe+json"

PASS, FAIL, ERROR = "pass", "fail", "error"


@dataclass
class CheckResult:
    """What a check concluded, as data (for the grader) and as text (for a person).

    ``status`` is ``"pass"``, ``"fail"`` (ran, but wrong) or ``"error"`` (the learner's
    code raised or could not be probed). ``points`` is the share of ``max_points`` earned.
    ``diagnosis`` names a catalogued mistake (an id from the diagnosis catalogue) when the
    failure matches one, and ``message`` explains it in the learner's terms.
    """

    check: str
    status: str
    points: float
    max_points: float
    message: str
    diagnosis: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status == PASS

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """One line for the learner: mark, check and message, without points.

        Points belong to the graded cell (nbgrader's metadata), not to the check, so
        the learner-facing line leaves them out rather than show a misleading "1/1".
        """
        mark = "✓" if self.passed else "✗"
        return f"{mark} {self.check}: {self.message}"

    def __str__(self) -> str:
        return f"{self.summary()} [{self.points:g}/{self.max_points:g}]"


@dataclass
class Probe:
    """What the learner's code produced for one check and one seed, as plain data."""

    check: str
    seed: int
    captured: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "seed": self.seed,
            "captured": {key: encode_value(value) for key, value in self.captured.items()},
            "error": self.error,
        }

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> Probe:
        if not isinstance(payload, dict) or not isinstance(payload.get("check"), str):
            raise ValueError(f"not a probe payload: {str(payload)[:200]}")
        return cls(
            check=payload["check"],
            seed=int(payload["seed"]),
            captured={k: decode_value(v) for k, v in dict(payload.get("captured", {})).items()},
            error=payload.get("error"),
        )


def encode_value(value: Any) -> Any:
    """Arrays become ``{"__array__": base64, "dtype", "shape"}``; the rest must be JSON."""
    if isinstance(value, np.ndarray | np.generic):
        array = np.asarray(value)
        if array.dtype == object:
            return {"__repr__": repr(value)[:500]}
        return {
            "__array__": base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii"),
            "dtype": array.dtype.str,
            "shape": list(array.shape),
        }
    if isinstance(value, dict):
        return {str(k): encode_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode_value(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Unrepresentable):
        return {"__repr__": value.text[:500]}
    return {"__repr__": repr(value)[:500]}


def decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "__array__" in value:
        dtype = np.dtype(value["dtype"])
        if dtype.hasobject:
            raise ValueError("object arrays are not accepted in a probe")
        raw = base64.b64decode(value["__array__"])
        return np.frombuffer(raw, dtype=dtype).reshape(value["shape"]).copy()
    if isinstance(value, dict) and "__repr__" in value:
        return Unrepresentable(str(value["__repr__"]))
    if isinstance(value, dict):
        return {k: decode_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value


@dataclass(frozen=True)
class Unrepresentable:
    """Something the learner's code returned that is not an array or a number."""

    text: str


#: Frames in these places are never the learner's line: NumPy's Python wrappers (np.sum,
#: np.concatenate...), the checks that called the learner, and the reference package.
_LIBRARY_PATHS = tuple(
    f"{os.sep}{part}{os.sep}"
    for part in ("numpy", os.path.join("autograder", "checks"), "nnfs_core")
)


def learner_frame(error: BaseException) -> traceback.FrameSummary | None:
    """The deepest frame of ``error``'s traceback that is the learner's own code.

    An error raised inside ``np.sum`` or inside a reference layer the learner's code called
    is reported at the learner's line that made the call. Falls back to the deepest frame.
    """
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if not any(part in frame.filename for part in _LIBRARY_PATHS):
            return frame
    return frames[-1] if frames else None


def _safe_str(error: BaseException) -> str:
    try:
        return str(error)[:500]
    except Exception:  # a learner's exception class whose __str__ itself fails
        return "<message unavailable>"


def describe_exception(error: BaseException) -> str:
    """The learner-facing summary of an exception raised inside their code."""
    frame = learner_frame(error)
    where = f" (in {frame.name}, line {frame.lineno})" if frame is not None else ""
    return f"{type(error).__name__}: {_safe_str(error)}{where}"


def exception_record(error: BaseException, call: str = "") -> dict[str, Any]:
    """An exception as plain data, for a probe: ``describe_exception`` plus its parts.

    ``call`` says what the probe was calling, in the learner's terms (``"backward"``,
    ``"Layer_Dense(2, 4)"``); ``function`` and ``line`` locate the learner's line.
    """
    frame = learner_frame(error)
    return {
        "type": type(error).__name__,
        "message": _safe_str(error),
        "function": frame.name if frame is not None else None,
        "line": frame.lineno if frame is not None else None,
        # The text of that line (from linecache: notebook cells are there too), so a learner
        # sees which statement failed without a traceback through the course's code.
        "code": (frame.line or "")[:200] if frame is not None else "",
        "call": call,
        "text": describe_exception(error),
    }


class Check:
    """Base class: subclasses set ``name`` and ``title`` and implement the two halves.

    ``points`` is the default weight of the check in a graded cell. Subclasses must keep
    ``probe`` free of comparisons and ``judge`` free of learner code.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    points: ClassVar[float] = 1.0

    def probe(self, learner: Any, seed: int) -> Probe:  # pragma: no cover - abstract
        raise NotImplementedError

    def judge(self, probe: Probe, max_points: float | None = None) -> CheckResult:
        raise NotImplementedError  # pragma: no cover - abstract

    def run(self, learner: Any, seed: int = 0, max_points: float | None = None) -> CheckResult:
        """Probe and judge in one process: the learner's immediate feedback."""
        return self.judge(self.probe(learner, seed), max_points)
