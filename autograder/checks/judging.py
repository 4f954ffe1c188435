"""The judge side: rebuild the inputs, run the reference, compare, explain.

Nothing here calls learner code. A :class:`StagedCheck` describes a check as

* ``build(seed)``: the inputs, hyperparameters and indices, drawn from
  ``np.random.RandomState(seed)``; probe and judge both call it, so they agree;
* ``exercise(recorder, learner, spec)``: the probe body (learner code, no comparisons);
* ``expect(spec)``: the reference's values, by key (``nnfs_core`` only);
* ``quantities(spec)``: what to compare, in the order a learner should fix things.

The judge walks the quantities in order and collects every failure (an error that
stopped the stage producing a quantity, or a value that differs), asks the diagnosis
catalogue about them, and writes one message: the catalogued mistake when one matches,
otherwise a precise generic sentence (which attribute, shapes, the worst index, both values).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from . import tolerances
from .base import ERROR, FAIL, PASS, Check, CheckResult, Probe, Unrepresentable, describe_exception
from .capture import Recorder, is_missing, run_probe, skip_reason
from .shared import Context, Failure, Quantity, diagnose
from .tolerances import Tolerance

# -- comparing one quantity ----------------------------------------------------------------


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _shape(shape: tuple[int, ...]) -> str:
    return str(tuple(int(n) for n in shape))


def compare(quantity: Quantity, received: Any, expected: np.ndarray, tol: Tolerance):
    """A :class:`Failure` when ``received`` does not match ``expected``, else ``None``."""
    label, after = quantity.label, quantity.after
    expected = np.asarray(expected)
    shape = _shape(expected.shape)
    what = "a number" if expected.ndim == 0 else f"an array of shape {shape}"
    if is_missing(received):
        return Failure(quantity, "missing", f"{label} was never set ({after}); expected {what}.")
    if received is None:
        return Failure(
            quantity,
            "none",
            f"{label} is None ({after}); expected {what}. Did the method return its result "
            f"instead of storing it, or forget to return it?",
        )
    if isinstance(received, Unrepresentable) or not isinstance(received, np.ndarray):
        if isinstance(received, Unrepresentable):
            description = received.text[:200]
        else:
            description = f"a {type(received).__name__} ({repr(received)[:80]})"
        return Failure(quantity, "type", f"{label} is {description} ({after}); expected {what}.")
    if received.dtype.kind not in "biuf":
        return Failure(
            quantity, "type", f"{label} has dtype {received.dtype} ({after}); expected numbers."
        )
    if expected.ndim == 0 and received.size == 1:
        received = received.reshape(())
    if received.shape != expected.shape:
        hint = ""
        if received.ndim == 2 and received.shape[::-1] == expected.shape:
            hint = " It looks transposed."
        elif received.size == expected.size:
            hint = " Same number of values, different arrangement (a missing keepdims=True?)."
        return Failure(
            quantity,
            "shape",
            f"{label} has shape {_shape(received.shape)} ({after}); expected {shape}.{hint}",
        )
    if quantity.shape_only:
        return None
    received64 = received.astype(np.float64)
    expected64 = expected.astype(np.float64)
    bad = ~tol.close(received64, expected64)
    if not bad.any():
        return None
    difference = np.abs(received64 - expected64)
    worst = np.where(bad, np.nan_to_num(difference, nan=np.inf, posinf=np.inf), -1.0)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(worst)), bad.shape))
    e, r = float(expected64[index]), float(received64[index])
    where = f" at index {index}" if expected.ndim else ""
    if quantity.mutation:
        text = (
            f"{label} was changed by your code ({after}){where}: it held {_fmt(e)}, now "
            f"{_fmt(r)}. Leave the arrays you are given untouched; work on a copy."
        )
        return Failure(quantity, "mutated", text, index=index, expected_value=e, received_value=r)
    count = f"{int(bad.sum())} of {bad.size} values"  # outside the tolerance
    if not np.all(np.isfinite(received64)):
        nonfinite = ~np.isfinite(received64)
        first = tuple(int(i) for i in np.argwhere(nonfinite)[0]) if expected.ndim else ()
        kinds = " and ".join(
            name
            for name, present in (
                ("NaN", np.isnan(received64).any()),
                ("infinity", np.isinf(received64).any()),
            )
            if present
        )
        at = f" at index {first}" if expected.ndim else ""
        expected_there = _fmt(float(expected64[first])) if expected.ndim else _fmt(e)
        text = (
            f"{label} contains {kinds}{at} ({int(nonfinite.sum())} of {nonfinite.size} values; "
            f"{after}); expected finite values ({expected_there} there)."
        )
        return Failure(
            quantity,
            "nonfinite",
            text,
            index=first,
            expected_value=float(expected64[first]) if expected.ndim else e,
            received_value=float(received64[first]) if expected.ndim else r,
        )
    if expected.ndim == 0:
        text = f"{label} is {_fmt(r)} ({after}); expected {_fmt(e)}."
    else:
        text = (
            f"mismatch in {label}{where}: expected {_fmt(e)}, received {_fmt(r)} ({count} "
            f"differ, the most by {float(difference.max()):.3g}; {after})."
        )
    return Failure(quantity, "values", text, index=index, expected_value=e, received_value=r)


def error_text(record: dict[str, Any]) -> str:
    """``your backward raised NameError: ... (in backward, line 12)`` and its special cases."""
    kind = record.get("type")
    if kind == "MissingMethod":
        return f"{record.get('text')}: the book's class defines it; add it to your class."
    if kind == "NotAClass":
        return (
            'pass the class itself, not an instance: e.g. check("dense_forward", Layer_Dense), '
            f"not Layer_Dense(2, 3) ({record.get('message')})."
        )
    call = record.get("call") or "code"
    return f"your {call} raised {record.get('text')}"


def not_implemented_text(record: dict[str, Any]) -> str:
    where = record.get("function") or record.get("call") or "the method"
    return f"not implemented yet: replace `raise NotImplementedError()` in {where} with your code."


# -- the staged check ------------------------------------------------------------------------


class StagedCheck(Check):
    """A check made of stages per case; see the module docstring for the four parts."""

    #: Stage names in the order they run within one case.
    stages: ClassVar[tuple[str, ...]] = ("construct", "forward", "backward")

    def build(self, seed: int) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        raise NotImplementedError  # pragma: no cover - abstract

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:  # pragma: no cover
        raise NotImplementedError

    def objective(
        self,
        spec: dict[str, Any],
        witness: str,
        output: np.ndarray,
        index: tuple[int, ...] | None = None,
        delta: float = 0.0,
    ) -> float | None:
        """The scalar whose central difference checks the gradient under ``witness``.

        ``output`` is what the learner's forward produced with the value at ``index`` moved
        by ``delta``; ``None`` when it cannot be scored (a wrong shape, say).
        """
        return None

    # -- probe -------------------------------------------------------------------------------
    def probe(self, learner: Any, seed: int) -> Probe:
        seed = int(seed)
        return run_probe(
            self, learner, seed, lambda rec: self.exercise(rec, learner, self.build(seed))
        )

    # -- judge -------------------------------------------------------------------------------
    def judge(self, probe: Probe, max_points: float | None = None) -> CheckResult:
        points = self.points if max_points is None else float(max_points)
        try:
            return self._judge(probe, points)
        except Exception as error:  # malformed or forged probe data must not crash grading
            return CheckResult(
                self.name,
                ERROR,
                0.0,
                points,
                f"could not judge the recorded data ({describe_exception(error)}).",
                details={"judge_error": describe_exception(error)},
            )

    def _judge(self, probe: Probe, points: float) -> CheckResult:
        if probe.check != self.name:
            raise ValueError(f"this probe belongs to check {probe.check!r}, not {self.name!r}")
        captured = probe.captured if isinstance(probe.captured, dict) else {}
        if probe.error and not captured.get("values") and not captured.get("errors"):
            return CheckResult(self.name, ERROR, 0.0, points, probe.error)
        spec = self.build(probe.seed)
        patched = bool(captured.get("patched_numpy"))
        context = Context(
            check=self.name,
            seed=probe.seed,
            spec=spec,
            expected=self.expect(spec),
            values=dict(captured.get("values") or {}),
            errors=dict(captured.get("errors") or {}),
            notes=dict(captured.get("notes") or {}),
            numpy_patched=patched,
            tolerance_of=tolerances.for_recorded,
            witness=dict(captured.get("witness") or {}),
        )
        quantities = self.quantities(spec)
        failures = self._failures(context, quantities)
        context.failures = failures
        details: dict[str, Any] = {"seed": probe.seed, "learner": captured.get("learner")}
        narrow = patched or any(
            tolerances.for_values(v) is tolerances.FLOAT32
            for v in context.values.values()
            if isinstance(v, np.ndarray)
        )
        if narrow:
            why = "nnfs.init() replaced NumPy functions" if patched else "some values are float32"
            details["tolerance"] = f"{tolerances.FLOAT32.describe()}: {why}"
        if context.notes.get("skipped"):
            details["skipped"] = list(context.notes["skipped"])
        if not failures:
            note = f" (compared at {tolerances.FLOAT32.describe()}: {why})" if narrow else ""
            if details.get("skipped"):
                note += f"; not checked: {'; '.join(details['skipped'])}"
            return CheckResult(
                self.name,
                PASS,
                points,
                points,
                f"{self.title} matches the reference ({len(quantities)} comparisons, seed "
                f"{probe.seed}){note}.",
                details=details,
            )
        if probe.error:
            details["probe_error"] = probe.error
        first = failures[0]
        details["failures"] = [f.text for f in failures[:8]]
        if (
            first.kind == "error"
            and first.error
            and first.error.get("type") == "NotImplementedError"
        ):
            return CheckResult(
                self.name, ERROR, 0.0, points, not_implemented_text(first.error), details=details
            )
        if (
            first.kind == "error"
            and first.error
            and first.error.get("type")
            in (
                "MissingMethod",
                "NotAClass",
            )
        ):
            return CheckResult(self.name, ERROR, 0.0, points, first.text, details=details)

        if first.kind == "error" and first.error:
            details["raised"] = dict(first.error)
        found = diagnose(context)
        status = ERROR if first.kind == "error" else FAIL
        if found is None:
            message = first.text + self._witness_sentence(context, first)
            return CheckResult(self.name, status, 0.0, points, message, details=details)
        mistake, detail, failure = found
        explanation = f"{mistake.title}: {detail}" if detail else mistake.title
        if not explanation.endswith((".", "?", "!")):
            explanation += "."
        explanation += f" {mistake.hint}"
        if first.kind == "error":
            message = f"{first.text}. Likely cause — {explanation}"
        elif failure is first:
            message = explanation
        else:
            message = f"{explanation} (first difference: {first.text})"
        details.update({"mistake": mistake.id, "title": mistake.title, "hint": mistake.hint})
        return CheckResult(
            self.name, status, 0.0, points, message, diagnosis=mistake.id, details=details
        )

    def _failures(self, context: Context, quantities: list[Quantity]) -> list[Failure]:
        failures: list[Failure] = []
        reported_errors: set[str] = set()
        for quantity in quantities:
            blocking = self._blocking_error(context.errors, quantity.stage)
            if blocking is not None:
                stage, record = blocking
                if stage not in reported_errors:
                    reported_errors.add(stage)
                    failures.append(Failure(quantity, "error", error_text(record), error=record))
                continue
            received = context.values.get(quantity.key, {"__missing__": True})
            reason = skip_reason(received)
            if reason is not None and quantity.optional:
                context.notes.setdefault("skipped", []).append(f"{quantity.label}: {reason}")
                continue
            failure = compare(
                quantity, received, context.expected[quantity.key], context.tolerance(quantity.key)
            )
            if failure is not None:
                failures.append(failure)
        return failures

    def _blocking_error(self, errors: dict[str, dict[str, Any]], stage: str):
        case, _, name = stage.partition(".")
        position = self.stages.index(name) if name in self.stages else len(self.stages)
        for key, record in errors.items():
            other_case, _, other = key.partition(".")
            if other_case != case:
                continue
            other_position = self.stages.index(other) if other in self.stages else 0
            if other_position <= position:
                return key, record
        return None

    def _witness_sentence(self, context: Context, failure: Failure) -> str:
        """What a central difference of the learner's own forward says about a bad gradient."""
        try:
            return self._witness_text(context, failure)
        except Exception:  # odd recorded data: the witness only ever adds an explanation
            return ""

    def _witness_text(self, context: Context, failure: Failure) -> str:
        quantity = failure.quantity
        if failure.kind != "values" or quantity.witness is None or context.numpy_patched:
            return ""
        entries = context.witness.get(quantity.witness)
        entries = entries if isinstance(entries, list) else []
        received = context.array(quantity.key)
        if not entries or received is None:
            return ""
        comparisons = []
        for entry in entries:
            index = tuple(entry.get("index", ()))
            plus, minus = entry.get("plus"), entry.get("minus")
            if not isinstance(plus, np.ndarray) or not isinstance(minus, np.ndarray):
                continue
            if len(index) != received.ndim or any(
                not 0 <= i < n for i, n in zip(index, received.shape)
            ):
                continue
            h = tolerances.H
            above = self.objective(context.spec, quantity.witness, plus.astype(float), index, h)
            below = self.objective(context.spec, quantity.witness, minus.astype(float), index, -h)
            if above is None or below is None or not np.isfinite([above, below]).all():
                continue
            numerical = (above - below) / (2 * tolerances.H)
            comparisons.append((index, numerical, float(received[index])))
        if not comparisons:
            return ""
        disagreeing = [
            c
            for c in comparisons
            if not tolerances.WITNESS.allclose(np.array(c[2]), np.array(c[1]))
        ]
        if not disagreeing:
            return (
                f" Your {quantity.name} does agree with a central difference of your own forward "
                f"at {len(comparisons)} probed indices, so the backward is consistent with your "
                f"forward: it is the forward that differs from the book's. Fix the forward first."
            )
        index, numerical, analytical = max(disagreeing, key=lambda c: abs(c[1] - c[2]))
        return (
            f" A central difference of your own forward gives {_fmt(numerical)} at index "
            f"{index}, where your {quantity.name} has {_fmt(analytical)}: your backward does "
            f"not match your own forward."
        )


def witness_indices(
    rng: np.random.RandomState,
    shape: tuple[int, ...],
    count: int,
    avoid: Callable[[tuple[int, ...]], bool] | None = None,
) -> list[tuple[int, ...]]:
    """Up to ``count`` distinct indices of ``shape`` in ``rng``'s order, skipping ``avoid``."""
    chosen: list[tuple[int, ...]] = []
    for flat in rng.permutation(int(np.prod(shape))):
        index = tuple(int(i) for i in np.unravel_index(int(flat), shape))
        if avoid is not None and avoid(index):
            continue
        chosen.append(index)
        if len(chosen) == count:
            break
    return chosen
