"""The dropout layer (ch15; inference mode from ch18).

The book draws the mask with ``np.random.binomial(1, keep, size=inputs.shape)`` from NumPy's
global generator. So the probe seeds that generator (``np.random.seed(mask_seed)``, restored
afterwards) right before the learner's forward and passes nothing else; the reference
``nnfs_core.Dropout(rate, rng=np.random.RandomState(mask_seed))`` then draws the very same
mask (``np.random.seed(s)`` reseeds the global ``RandomState`` exactly as
``RandomState(s)`` starts; the tests confirm it). The judge never touches the global
generator.

A learner who draws the mask some other way (``np.random.rand(...) < keep``, a
``default_rng``...) cannot match element by element. Such a layer passes if it is right in
structure: every output is 0 or ``input / keep``, the fraction dropped is within five
standard deviations of ``rate`` (1000 values), and ``dinputs`` is ``dvalues`` times the same
scaled mask. The message says which way it was checked.

Inference: when the forward takes a ``training`` flag, ``forward(inputs, training=False)``
must return the inputs unchanged. A chapter 15 forward has no flag; that part is skipped and
the message says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import Dropout

from .capture import Recorder, call_forward, skipped, takes_training
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

#: How far (in standard deviations of the binomial count) the dropped fraction may stray.
DROP_FRACTION_SIGMAS = 5.0


def build_dropout(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    rate = round(float(rng.uniform(0.15, 0.35)), 2)
    shape = (40, 25)
    return {
        "rate": rate,
        "X": rng.standard_normal(shape),
        "dvalues": rng.standard_normal(shape),
        "mask_seed": int(rng.randint(2**31 - 1)),
    }


def reference_mask(spec: dict[str, Any], keep: float | None = None) -> np.ndarray:
    """The scaled mask the book's forward draws after ``np.random.seed(mask_seed)``."""
    keep = 1 - spec["rate"] if keep is None else keep
    layer = Dropout(1 - keep, rng=np.random.RandomState(spec["mask_seed"]))
    layer.forward(np.ones_like(spec["X"]), training=True)
    return layer.binary_mask


def structural_mask(context: Context, keep: float) -> np.ndarray | None:
    """The learner's scaled mask, if its output is inputs times a {0, 1/keep} mask."""
    output = context.array("main.output")
    inputs = context.spec["X"]
    if output is None or output.shape != inputs.shape or not np.all(np.isfinite(output)):
        return None
    with np.errstate(all="ignore"):
        ratio = np.where(inputs != 0, output / inputs, 0.0)
    kept = np.abs(ratio - 1 / keep) <= 1e-6 * (1 / keep)
    dropped = np.abs(ratio) <= 1e-9
    if not np.all(kept | dropped):
        return None
    return np.where(kept, 1 / keep, 0.0)


def plausible_fraction(mask: np.ndarray, rate: float) -> bool:
    n = mask.size
    dropped = float(np.sum(mask == 0))
    return abs(dropped - rate * n) <= DROP_FRACTION_SIGMAS * np.sqrt(n * rate * (1 - rate))


@register
class DropoutCheck(StagedCheck):
    name = "dropout"
    title = "Layer_Dropout"
    stages = ("construct", "forward", "backward", "inference")

    def build(self, seed: int) -> dict[str, Any]:
        return build_dropout(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        layer = recorder.construct("main.construct", learner, spec["rate"])
        if layer is None:
            return
        inputs = spec["X"].copy()
        forward = recorder.method("main.forward", layer, "forward")
        if forward is None:
            return
        flag = takes_training(forward, 1)
        np.random.seed(spec["mask_seed"])  # noqa: NPY002 - the book draws from the global generator
        ok, returned = recorder.call(
            "main.forward", "forward", call_forward, forward, inputs, training=True
        )
        recorder.keep_attribute("main.output", layer, "output")
        recorder.keep("main.output_returned", returned)
        recorder.keep("main.inputs_after", inputs)
        if not ok:
            return
        dvalues = spec["dvalues"].copy()
        ok, returned = recorder.invoke("main.backward", layer, "backward", dvalues)
        recorder.keep_attribute("main.dinputs", layer, "dinputs")
        recorder.keep("main.dinputs_returned", returned)
        if not ok:
            return
        if flag == "no":
            recorder.values["main.inference"] = skipped(
                "inference mode (your forward takes no training flag yet; chapter 18 adds it)"
            )
            return
        ok, returned = recorder.call(
            "main.inference", "forward", call_forward, forward, spec["X"].copy(), training=False
        )
        recorder.keep_attribute("main.inference", layer, "output")

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        mask = reference_mask(spec)
        return {
            "main.output": spec["X"] * mask,
            "main.inputs_after": spec["X"],
            "main.dinputs": spec["dvalues"] * mask,
            "main.inference": spec["X"],
        }

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        return [
            Quantity(
                "main.output",
                "self.output",
                "output",
                "main.forward",
                "after np.random.seed(...) and forward(inputs, training=True)",
            ),
            Quantity(
                "main.dinputs",
                "self.dinputs",
                "dinputs",
                "main.backward",
                "after backward(dvalues)",
            ),
            Quantity(
                "main.inference",
                "self.output in inference mode",
                "inference",
                "main.inference",
                "after forward(inputs, training=False)",
                optional=True,
            ),
            Quantity(
                "main.inputs_after",
                "the inputs array passed to forward",
                "inputs_after",
                "main.forward",
                "during forward",
                mutation=True,
            ),
        ]

    def _failures(self, context: Context, quantities: list[Quantity]) -> list[Failure]:
        """Accept a mask drawn another way when output and dinputs are right in structure."""
        failures = super()._failures(context, quantities)
        drawn = {"main.output", "main.dinputs"}
        if not any(f.quantity.key in drawn and f.kind == "values" for f in failures):
            return failures
        rate = context.spec["rate"]
        mask = structural_mask(context, 1 - rate)
        dinputs = context.array("main.dinputs")
        if (
            mask is not None
            and plausible_fraction(mask, rate)
            and dinputs is not None
            and context.matches("main.dinputs", context.spec["dvalues"] * mask)
        ):
            context.notes["structural"] = True
            context.notes.setdefault("skipped", []).append(
                "the exact mask (yours was not drawn with np.random.binomial from NumPy's "
                "global generator, so its structure was checked instead: every value kept and "
                "scaled by 1 / (1 - rate) or dropped, the dropped fraction close to rate, and "
                "dinputs masked the same way)"
            )
            return [f for f in failures if f.quantity.key not in drawn]
        return failures


# -- the mistakes this family's checks name ---------------------------------------------
# Tried by priority (shared.EARLY, SPECIFIC, GENERAL, LAST), then in the order written here.


def _dropout_masks(context: Context) -> dict[str, np.ndarray]:
    spec = context.spec
    keep = 1 - spec["rate"]
    scaled = reference_mask(spec)
    return {
        "unscaled": scaled * keep,
        "rate_as_keep": reference_mask(spec, keep=spec["rate"]),
        "scaled": scaled,
    }


@mistake(
    "dropout_rate_as_keep",
    "dropout rate used as the keep probability",
    "rate is the fraction to *drop*: store self.rate = 1 - rate and draw "
    "np.random.binomial(1, self.rate, size=inputs.shape) / self.rate. With rate=0.1 the layer "
    "must keep 90% of the values, not 10%.",
    checks=("dropout",),
)
def _dropout_rate_as_keep(context: Context, failure: Failure) -> str | None:
    spec = context.spec
    rate = spec["rate"]
    if context.matches("main.output", spec["X"] * _dropout_masks(context)["rate_as_keep"]) or (
        structural_mask(context, rate) is not None
    ):
        kept = context.array("main.output")
        share = float(np.mean(kept != 0)) if kept is not None else float("nan")
        return (
            f"your layer keeps {share:.0%} of the values; with rate={rate} it should keep "
            f"{1 - rate:.0%}"
        )
    return None


@mistake(
    "dropout_nothing_dropped",
    "dropout drops nothing in training",
    "Draw the mask and apply it: self.binary_mask = np.random.binomial(1, self.rate, "
    "size=inputs.shape) / self.rate, then self.output = inputs * self.binary_mask, with "
    "self.rate = 1 - rate the share kept (a keep rate of 1 keeps everything).",
    checks=("dropout",),
)
def _dropout_nothing_dropped(context: Context, failure: Failure) -> str | None:
    inputs = context.spec["X"]
    if failure.quantity.key != "main.output" or not context.matches("main.output", inputs):
        return None
    rate = context.spec["rate"]
    return (
        f"forward(inputs, training=True) returned the inputs unchanged: none of the "
        f"{inputs.size} values was dropped, where rate={rate} drops about {rate:.0%}"
    )


@mistake(
    "dropout_not_rescaled",
    "dropout mask not divided by the keep rate",
    "Inverted dropout scales the kept values up: mask = np.random.binomial(1, self.rate, "
    "size=inputs.shape) / self.rate (self.rate being the keep rate), so the expected sum is "
    "unchanged and nothing needs rescaling at inference.",
    checks=("dropout",),
)
def _dropout_unscaled(context: Context, failure: Failure) -> str | None:
    inputs = context.spec["X"]
    mask = structural_mask(context, 1.0)
    # The premise: values were dropped (and the kept ones left as they were). An output equal
    # to the inputs drops nothing, and dividing by the keep rate would not fix that.
    dropped_some = mask is not None and bool(np.any((mask == 0) & (inputs != 0)))
    if context.matches("main.output", inputs * _dropout_masks(context)["unscaled"]) or dropped_some:
        return "the values you keep are unchanged instead of divided by the keep rate"
    return None


@mistake(
    "dropout_backward_without_mask",
    "dropout backward ignores the mask",
    "Gradients flow only through the kept values, scaled like them: "
    "self.dinputs = dvalues * self.binary_mask.",
    checks=("dropout",),
)
def _dropout_backward_no_mask(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name == "dinputs" and context.matches(
        "main.dinputs", context.spec["dvalues"]
    ):
        return "your dinputs equal dvalues"
    return None


@mistake(
    "dropout_active_at_inference",
    "dropout still drops values at inference",
    "With training=False the layer passes its inputs through: "
    "if not training: self.output = inputs.copy(); return.",
    checks=("dropout",),
)
def _dropout_at_inference(context: Context, failure: Failure) -> str | None:
    received = context.array("main.inference")
    if failure.quantity.name == "inference" and received is not None:
        inputs = context.spec["X"]
        if received.shape == inputs.shape and np.sum((received == 0) & (inputs != 0)) > 0:
            dropped = float(np.mean((received == 0) & (inputs != 0)))
            return f"forward(inputs, training=False) zeroed {dropped:.0%} of the values"
    return None


# Found with autograder/mutation: a forward or backward that keeps the mask but leaves out the
# array it should multiply got only the generic mismatch.


@mistake(
    "dropout_mask_alone",
    "the mask alone, without the array it multiplies",
    "forward: self.output = inputs * self.binary_mask; backward: self.dinputs = dvalues * "
    "self.binary_mask. The mask (0 or 1 / keep per value) says which values pass and how much "
    "they are scaled; it is not the result by itself.",
    checks=("dropout",),
    priority=GENERAL,
)
def _mask_alone(context: Context, failure: Failure) -> str | None:
    name = failure.quantity.name
    if name not in ("output", "dinputs"):
        return None
    mask = reference_mask(context.spec)
    if context.matches(f"main.{name}", mask):
        given = "inputs" if name == "output" else "dvalues"
        return f"your {name} is the scaled mask itself: {given} is missing from the product"
    return None
