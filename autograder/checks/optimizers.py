"""Checks for the optimizers of chapter 10: SGD (plain, with decay, with momentum), AdaGrad,
RMSProp and Adam.

Each check builds the learner's optimizer by keyword with non-default hyperparameters drawn
from the seed, then runs four steps of the book's three-call protocol on two layer-like
objects of different shapes (weights, biases, dweights, dbiases and nothing else)::

    optimizer.pre_update_params()
    optimizer.update_params(layer_1)
    optimizer.update_params(layer_2)
    optimizer.post_update_params()

with fresh gradients each step. After every step it records both layers' weights and
biases, ``current_learning_rate`` (after ``pre_update_params``, the rate the step used, and
after ``post_update_params``), ``iterations``, and, only for the diagnosis, ``iterations``
after ``pre_update_params`` (where the step is counted) and the state the book keeps on the
layer (``weight_momentums``, ``weight_cache``...). Two layers catch state
kept on the optimizer instead of the layer, and ``iterations`` counted per layer.

The diagnosis replays the optimizer with :func:`simulate`, a plain re-statement of the
book's formulas that can also reproduce each catalogued mistake (``variant=``). The
expected values come from ``nnfs_core``, not from :func:`simulate`; the tests check that the
two agree when no variant is asked for.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import SGD, Adagrad, Adam, RMSprop

from .capture import ParameterHolder, Recorder, is_missing
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

STEPS = 4
SHAPES = (((3, 4), (1, 4)), ((4, 2), (1, 2)))
STATE_ATTRIBUTES = ("weight_momentums", "bias_momentums", "weight_cache", "bias_cache")

#: Per optimizer: the reference class and the hyperparameters drawn (name → low, high).
KINDS: dict[str, tuple[type, dict[str, tuple[float, float]]]] = {
    "sgd": (SGD, {"learning_rate": (0.2, 0.9)}),
    "sgd_decay": (SGD, {"learning_rate": (0.5, 1.0), "decay": (0.1, 0.5)}),
    "sgd_momentum": (
        SGD,
        {"learning_rate": (0.2, 0.6), "decay": (0.05, 0.2), "momentum": (0.5, 0.9)},
    ),
    "adagrad": (
        Adagrad,
        {"learning_rate": (0.2, 0.8), "decay": (0.05, 0.3), "epsilon": (1e-3, 1e-2)},
    ),
    "rmsprop": (
        RMSprop,
        {
            "learning_rate": (0.01, 0.1),
            "decay": (0.05, 0.3),
            "epsilon": (1e-3, 1e-2),
            "rho": (0.6, 0.85),
        },
    ),
    "adam": (
        Adam,
        {
            "learning_rate": (0.01, 0.1),
            "decay": (0.05, 0.3),
            "epsilon": (1e-3, 1e-2),
            "beta_1": (0.6, 0.85),
            "beta_2": (0.9, 0.99),
        },
    ),
}


def build_optimizer(kind: str, seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    hyper = {
        name: round(float(rng.uniform(lo, hi)), 4) for name, (lo, hi) in KINDS[kind][1].items()
    }
    start = [
        (0.5 * rng.standard_normal(w_shape), 0.5 * rng.standard_normal(b_shape))
        for w_shape, b_shape in SHAPES
    ]
    # Gradients of varied size (some near 0.05, some near 2) so that where epsilon sits matters.
    grads = [
        [
            (
                rng.standard_normal(w_shape) * rng.uniform(0.05, 2.0, size=w_shape),
                rng.standard_normal(b_shape) * rng.uniform(0.05, 2.0, size=b_shape),
            )
            for w_shape, b_shape in SHAPES
        ]
        for _ in range(STEPS)
    ]
    return {"kind": kind, "hyper": hyper, "start": start, "grads": grads}


def simulate(spec: dict[str, Any], variant: str | None = None) -> dict[str, Any]:
    """The book's optimizer step by step, optionally with one catalogued mistake.

    Returns values under the same keys the probe uses (``run.s2.L1.weights``...).
    """
    kind, hyper = spec["kind"], spec["hyper"]
    lr0 = hyper["learning_rate"]
    decay = hyper.get("decay", 0.0)
    lr, iterations = lr0, 0
    layers = [{"weights": w.copy(), "biases": b.copy()} for w, b in spec["start"]]
    values: dict[str, Any] = {}

    def decayed(current: float, steps: int) -> float:
        if variant == "decay_precedence":  # the book's form, lr * (1. / (1. + ...))
            return lr0 * (1.0 / 1.0 + decay * steps)
        if variant == "decay_precedence_division":  # lr / (1. + ...), as the notebooks write it
            return lr0 / 1.0 + decay * steps
        if variant == "decay_compounding":
            return current / (1.0 + decay * steps)
        return lr0 / (1.0 + decay * steps)

    for step, gradients in enumerate(spec["grads"], start=1):
        if variant == "iterations_early":
            iterations += 1
        if decay and variant == "decay_plus_one":
            lr = decayed(lr, iterations + 1)
        elif decay and variant not in ("decay_in_post", "decay_in_post_early"):
            lr = decayed(lr, iterations)
        values[f"run.s{step}.iterations_during"] = np.int64(iterations)
        values[f"run.s{step}.lr_used"] = np.float64(lr)
        for index, (layer, (dweights, dbiases)) in enumerate(zip(layers, gradients)):
            for name, gradient in (("weights", dweights), ("biases", dbiases)):
                update = _update(kind, hyper, layer, name, gradient, lr, iterations, variant)
                layer[name] = layer[name] + (-update if variant == "uphill" else update)
                values[f"run.s{step}.L{index}.{name}"] = layer[name].copy()
            if variant in ("iterations_per_layer", "iterations_per_layer_and_post"):
                iterations += 1
        if variant == "decay_in_post_early":
            lr = decayed(lr, iterations)
        if variant not in ("iterations_early", "iterations_per_layer"):
            iterations += 1
        if variant == "decay_in_post":
            lr = decayed(lr, iterations)
        values[f"run.s{step}.lr_after"] = np.float64(lr)
        values[f"run.s{step}.iterations"] = np.int64(iterations)
    return values


def _update(kind, hyper, layer, name, gradient, lr, iterations, variant) -> np.ndarray:
    """The change one step makes to ``layer[name]`` (before the variant's sign)."""
    momentum_key, cache_key = f"{name}_momentum", f"{name}_cache"
    eps = hyper.get("epsilon", 0.0)

    def root(value: np.ndarray) -> np.ndarray:
        if variant == "no_epsilon":
            return np.sqrt(value)
        return np.sqrt(value + eps) if variant == "epsilon_inside_sqrt" else np.sqrt(value) + eps

    if kind.startswith("sgd"):
        beta = hyper.get("momentum", 0.0)
        if not beta:
            return -lr * gradient
        previous = layer.get(momentum_key, np.zeros_like(gradient))
        if variant == "momentum_sign":
            update = -beta * previous - lr * gradient
        else:
            update = beta * previous - lr * gradient
        if variant != "momentum_not_stored":
            layer[momentum_key] = update
        return update
    if kind == "adagrad":
        previous = layer.get(cache_key, np.zeros_like(gradient))
        cache = gradient**2 if variant == "adagrad_cache_replaced" else previous + gradient**2
        layer[cache_key] = cache
        return -lr * gradient / root(cache)
    if kind == "rmsprop":
        rho = hyper["rho"]
        previous = layer.get(cache_key, np.zeros_like(gradient))
        if variant == "rmsprop_rho_swapped":
            cache = (1 - rho) * previous + rho * gradient**2
        else:
            cache = rho * previous + (1 - rho) * gradient**2
        layer[cache_key] = cache
        return -lr * gradient / root(cache)
    beta_1, beta_2 = hyper["beta_1"], hyper["beta_2"]
    momentum = beta_1 * layer.get(momentum_key, 0.0) + (1 - beta_1) * gradient
    cache = beta_2 * layer.get(cache_key, 0.0) + (1 - beta_2) * gradient**2
    layer[momentum_key], layer[cache_key] = momentum, cache
    step = iterations if variant == "adam_correction_iterations" else iterations + 1
    if variant == "adam_no_correction":
        return -lr * momentum / root(cache)
    return -lr * (momentum / (1 - beta_1**step)) / root(cache / (1 - beta_2**step))


class _OptimizerCheck(StagedCheck):
    kind = "sgd"
    stages = (
        "construct",
        *(f"{part}{s}" for s in range(1, STEPS + 1) for part in ("pre", "update", "post")),
    )

    @property
    def protocol_required(self) -> bool:
        """Plain SGD may be chapter 10's first optimizer, without pre/post calls or decay."""
        return self.kind != "sgd"

    def build(self, seed: int) -> dict[str, Any]:
        return build_optimizer(self.kind, seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        optimizer = recorder.construct("run.construct", learner, **spec["hyper"])
        if optimizer is None:
            return
        layers = [ParameterHolder(w, b) for w, b in spec["start"]]
        for step, gradients in enumerate(spec["grads"], start=1):
            for layer, (dweights, dbiases) in zip(layers, gradients):
                layer.dweights, layer.dbiases = dweights.copy(), dbiases.copy()
            if not self._protocol_call(recorder, optimizer, "pre_update_params", f"run.pre{step}"):
                return
            recorder.keep_attribute(f"run.s{step}.lr_used", optimizer, "current_learning_rate")
            recorder.keep_attribute(f"run.s{step}.iterations_during", optimizer, "iterations")
            for index, layer in enumerate(layers):
                ok, _ = recorder.invoke(f"run.update{step}", optimizer, "update_params", layer)
                recorder.keep(f"run.s{step}.L{index}.weights", layer.weights)
                recorder.keep(f"run.s{step}.L{index}.biases", layer.biases)
                for name in STATE_ATTRIBUTES:
                    recorder.keep_attribute(f"run.s{step}.L{index}.{name}", layer, name)
                if not ok:
                    return
            if not self._protocol_call(
                recorder, optimizer, "post_update_params", f"run.post{step}"
            ):
                return
            recorder.keep_attribute(f"run.s{step}.lr_after", optimizer, "current_learning_rate")
            recorder.keep_attribute(f"run.s{step}.iterations", optimizer, "iterations")

    def _protocol_call(self, recorder: Recorder, optimizer: Any, name: str, stage: str) -> bool:
        if not self.protocol_required and not callable(getattr(optimizer, name, None)):
            recorder.notes[f"{stage}.skipped"] = f"no {name}"
            return True
        ok, _ = recorder.invoke(stage, optimizer, name)
        return ok

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        reference_class = KINDS[self.kind][0]
        optimizer = reference_class(**spec["hyper"])
        layers = [ParameterHolder(w, b) for w, b in spec["start"]]
        expected: dict[str, Any] = {}
        for step, gradients in enumerate(spec["grads"], start=1):
            for layer, (dweights, dbiases) in zip(layers, gradients):
                layer.dweights, layer.dbiases = dweights.copy(), dbiases.copy()
            optimizer.pre_update_params()
            expected[f"run.s{step}.lr_used"] = np.float64(optimizer.current_learning_rate)
            for index, layer in enumerate(layers):
                optimizer.update_params(layer)
                expected[f"run.s{step}.L{index}.weights"] = layer.weights.copy()
                expected[f"run.s{step}.L{index}.biases"] = layer.biases.copy()
            optimizer.post_update_params()
            expected[f"run.s{step}.lr_after"] = np.float64(optimizer.current_learning_rate)
            expected[f"run.s{step}.iterations"] = np.int64(optimizer.iterations)
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for step in range(1, STEPS + 1):
            if self.protocol_required:
                found.append(
                    Quantity(
                        f"run.s{step}.lr_used",
                        f"current_learning_rate during step {step}",
                        "lr_used",
                        f"run.pre{step}",
                        "after pre_update_params()",
                    )
                )
            for index in range(len(SHAPES)):
                for name in ("weights", "biases"):
                    found.append(
                        Quantity(
                            f"run.s{step}.L{index}.{name}",
                            f"layer {index + 1}'s {name} after step {step}",
                            name,
                            f"run.update{step}",
                            f"after update_params(layer_{index + 1})",
                        )
                    )
            if self.protocol_required:
                found += [
                    Quantity(
                        f"run.s{step}.lr_after",
                        f"current_learning_rate after step {step}",
                        "lr_after",
                        f"run.post{step}",
                        "after post_update_params()",
                    ),
                    Quantity(
                        f"run.s{step}.iterations",
                        f"iterations after step {step}",
                        "iterations",
                        f"run.post{step}",
                        "after post_update_params()",
                    ),
                ]
        return found


@register
class SGDCheck(_OptimizerCheck):
    name = "sgd"
    title = "Optimizer_SGD (plain)"
    kind = "sgd"


@register
class SGDDecayCheck(_OptimizerCheck):
    name = "sgd_decay"
    title = "Optimizer_SGD with learning-rate decay"
    kind = "sgd_decay"


@register
class SGDMomentumCheck(_OptimizerCheck):
    name = "sgd_momentum"
    title = "Optimizer_SGD with decay and momentum"
    kind = "sgd_momentum"


@register
class AdagradCheck(_OptimizerCheck):
    name = "adagrad"
    title = "Optimizer_Adagrad"
    kind = "adagrad"


@register
class RMSpropCheck(_OptimizerCheck):
    name = "rmsprop"
    title = "Optimizer_RMSprop"
    kind = "rmsprop"


@register
class AdamCheck(_OptimizerCheck):
    name = "adam"
    title = "Optimizer_Adam"
    kind = "adam"


# -- the mistakes this family's checks name ---------------------------------------------
# Tried by priority (shared.EARLY, SPECIFIC, GENERAL, LAST), then in the order written here.


OPTIMIZERS = ("sgd", "sgd_decay", "sgd_momentum", "adagrad", "rmsprop", "adam")
DECAYING = OPTIMIZERS[1:]
ADAPTIVE = ("adagrad", "rmsprop", "adam")


def _replay(context: Context, failure: Failure, *variants: str) -> str | None:
    """Detail text when a replay with one of ``variants`` reproduces every recorded value."""
    for variant in variants:
        replay = simulate(context.spec, variant)
        compared, differs = 0, False
        for key, expected in context.expected.items():
            if context.array(key) is None:
                continue
            if not context.matches(key, replay[key]):
                break
            compared += 1
            differs = differs or not context.tolerance(key).allclose(
                np.asarray(replay[key], dtype=float), np.asarray(expected, dtype=float)
            )
        else:
            if compared and differs:
                return (
                    f"{failure.text.rstrip('.')}; a replay of the optimizer with this mistake "
                    f"reproduces all {compared} of your recorded values"
                )
    return None


@mistake(
    "optimizer_moves_uphill",
    "the optimizer moves the parameters uphill (sign flipped)",
    "Step against the gradient: layer.weights += -self.current_learning_rate * layer.dweights "
    "(note the minus), and the same for the biases and for every optimizer's final update.",
    checks=OPTIMIZERS,
)
def _uphill(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "uphill")


@mistake(
    "decay_after_step",
    "learning-rate decay applied after the step",
    "Compute the decayed rate in pre_update_params, before the step, from the number of steps "
    "completed so far; post_update_params only counts the step that was just taken.",
    checks=DECAYING,
)
def _decay_after_step(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "decay_in_post", "decay_in_post_early")


def _counted_before_the_update(context: Context) -> bool | None:
    """Whether ``iterations`` had already grown when step 1's updates ran (read after
    ``pre_update_params``); ``None`` when the probe did not record it."""
    during = context.array("run.s1.iterations_during")
    if during is None or during.size != 1:
        return None
    return bool(during.reshape(()) >= 1)


@mistake(
    "iterations_incremented_early",
    "iterations incremented before the step",
    "iterations counts completed steps: increment it in post_update_params, after "
    "update_params has run for every layer. The first step uses the undecayed rate.",
    checks=DECAYING,
)
def _iterations_early(context: Context, failure: Failure) -> str | None:
    # The premise: the count had already grown during step 1. A rate computed from
    # iterations + 1 with the increment in post_update_params gives the same numbers, and
    # would be wrongly told to move an increment that is already where it belongs.
    if _counted_before_the_update(context) is not True:
        return None
    detail = _replay(context, failure, "iterations_early")
    if detail is None:
        return None
    return f"{detail}; your iterations was already 1 during the first step"


@mistake(
    "decay_iterations_plus_one",
    "decayed rate computed from iterations + 1",
    "The rate of a step decays with the steps completed before it: "
    "self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * "
    "self.iterations)), and iterations is still 0 during the first step, so the first step "
    "uses the full learning rate. Keep the increment in post_update_params; drop the + 1.",
    checks=DECAYING,
)
def _decay_plus_one(context: Context, failure: Failure) -> str | None:
    if _counted_before_the_update(context) is not False:
        return None
    detail = _replay(context, failure, "decay_plus_one")
    if detail is None:
        return None
    return (
        f"{detail}; your iterations was still 0 during the first step (the increment is in "
        "post_update_params, where it belongs), so the + 1 is in the decay formula"
    )


@mistake(
    "iterations_counted_per_layer",
    "iterations incremented once per layer instead of once per step",
    "update_params runs once for every trainable layer; count steps in post_update_params, "
    "which runs once per step.",
    checks=DECAYING,
)
def _iterations_per_layer(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "iterations_per_layer", "iterations_per_layer_and_post")


@mistake(
    "decay_precedence",
    "decay formula missing parentheses",
    "Keep the whole denominator in parentheses: self.learning_rate / (1. + self.decay * "
    "self.iterations), or the book's self.learning_rate * (1. / (1. + self.decay * "
    "self.iterations)). Without them the division happens first: learning_rate / 1. + "
    "decay * iterations, and the rate grows instead of shrinking.",
    checks=DECAYING,
)
def _decay_precedence(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "decay_precedence", "decay_precedence_division")


@mistake(
    "decay_compounding",
    "decay applied to the already-decayed rate",
    "Start from the initial rate every step: self.current_learning_rate = self.learning_rate * "
    "(1. / (1. + self.decay * self.iterations)), not self.current_learning_rate * (...).",
    checks=DECAYING,
)
def _decay_compounding(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "decay_compounding")


@mistake(
    "momentum_not_stored",
    "momentum updates not stored on the layer",
    "Keep each update for the next step: layer.weight_momentums = weight_updates and "
    "layer.bias_momentums = bias_updates; otherwise every step starts from zero momentum.",
    checks=("sgd_momentum",),
)
def _momentum_not_stored(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "momentum_not_stored")


@mistake(
    "momentum_sign",
    "momentum term with the wrong sign",
    "weight_updates = self.momentum * layer.weight_momentums - self.current_learning_rate * "
    "layer.dweights: the previous update is added, so the step keeps its direction.",
    checks=("sgd_momentum",),
)
def _momentum_sign(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "momentum_sign")


@mistake(
    "adagrad_cache_replaced",
    "AdaGrad cache replaced instead of accumulated",
    "layer.weight_cache += layer.dweights**2: AdaGrad's cache is the running sum of every "
    "squared gradient so far.",
    checks=("adagrad",),
)
def _adagrad_replaced(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "adagrad_cache_replaced")


@mistake(
    "rmsprop_rho_swapped",
    "RMSProp's rho on the wrong term",
    "layer.weight_cache = self.rho * layer.weight_cache + (1 - self.rho) * layer.dweights**2: "
    "rho keeps most of the old cache, 1 - rho lets in a little of the new gradient.",
    checks=("rmsprop",),
)
def _rmsprop_rho(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "rmsprop_rho_swapped")


@mistake(
    "epsilon_inside_sqrt",
    "epsilon inside the square root",
    "Add epsilon after the root: (np.sqrt(layer.weight_cache) + self.epsilon).",
    checks=ADAPTIVE,
)
def _epsilon_inside(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "epsilon_inside_sqrt")


@mistake(
    "epsilon_missing",
    "epsilon left out of the denominator",
    "Divide by (np.sqrt(cache) + self.epsilon): without epsilon the step is not the "
    "optimizer's (the check uses an epsilon large enough to show), and it is fragile: where "
    "a parameter's gradients have all been 0 so far its cache is 0, and 0 / 0 is NaN.",
    checks=ADAPTIVE,
)
def _epsilon_missing(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "no_epsilon")


@mistake(
    "adam_bias_correction_off_by_one",
    "Adam bias correction uses iterations instead of iterations + 1",
    "Divide by 1 - self.beta_1 ** (self.iterations + 1) (and the same with beta_2): on the "
    "first step iterations is 0, and 1 - beta ** 0 = 0 divides by zero.",
    checks=("adam",),
)
def _adam_off_by_one(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "adam_correction_iterations")


@mistake(
    "adam_no_bias_correction",
    "Adam without bias correction",
    "Both moments start at zero, so early averages are too small: divide the momentums by "
    "1 - self.beta_1 ** (self.iterations + 1) and the cache by "
    "1 - self.beta_2 ** (self.iterations + 1) before the update.",
    checks=("adam",),
)
def _adam_uncorrected(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "adam_no_correction")


_STATE_OF = {
    "sgd_momentum": "weight_momentums",
    "adagrad": "weight_cache",
    "rmsprop": "weight_cache",
    "adam": "weight_cache",
}


@mistake(
    "optimizer_state_not_on_layer",
    "optimizer state kept on the optimizer instead of on each layer",
    "Each layer needs its own momentums and caches, shaped like its parameters: create them on "
    "the layer (if not hasattr(layer, 'weight_cache'): layer.weight_cache = "
    "np.zeros_like(layer.weights)) and update them there.",
    checks=tuple(_STATE_OF),
)
def _state_not_on_layer(context: Context, failure: Failure) -> str | None:
    name = _STATE_OF[context.check]
    if not is_missing(context.values.get(f"run.s1.L0.{name}")):
        return None
    # The premise: state shared by the layers is right for the first layer's first update
    # (the state is fresh) and goes wrong from the second layer on. A first update that is
    # already wrong has another cause, which this advice would not fix.
    first = ("run.s1.L0.weights", "run.s1.L0.biases")
    if not all(context.matches(key, context.expected[key]) for key in first):
        return None
    return (
        f"after update_params(layer) the layer has no {name} attribute; your first layer's "
        "first update is right, and things go wrong from the second layer on"
    )


# -- where in the step a wrong optimizer goes wrong ---------------------------------------------
#
# Mistakes the entries above do not reproduce are located by replaying the book's formulas from
# the learner's *own* recorded values: the rate each step used, the momentum or cache left on
# the layer by the step before, the steps counted. Each entry names the one place that disagrees
# and first verifies that everything it builds on agrees (found with autograder/mutation: most
# single slips in an optimizer were left with a generic mismatch before).

_PARAMETERS = (("weights", "weight"), ("biases", "bias"))
_STATE = {"momentum": "momentums", "cache": "cache"}
_HAS_STATE = {
    "sgd_momentum": ("momentum",),
    "adagrad": ("cache",),
    "rmsprop": ("cache",),
    "adam": ("momentum", "cache"),
}


def _replayable(context: Context, failure: Failure) -> bool:
    """Only a wrong value, with nothing raised anywhere, can be replayed: after an exception
    the recorded parameters are what the step left behind, not what it computes."""
    return failure.kind in ("values", "nonfinite") and not context.errors


def _scalar(context: Context, key: str) -> float | None:
    value = context.array(key)
    return float(value.reshape(())) if value is not None and value.size == 1 else None


def _own_rate(context: Context, step: int) -> float | None:
    """The rate the learner's step ``step`` used (the plain SGD of chapter 10's start keeps
    no ``current_learning_rate``: its rate is the one it was built with)."""
    rate = _scalar(context, f"run.s{step}.lr_used")
    if rate is None and context.check == "sgd":
        return float(context.spec["hyper"]["learning_rate"])
    return rate


def _own_t(context: Context, step: int) -> int:
    """Adam's t for step ``step``: the learner's iterations before it, plus 1."""
    before = _scalar(context, f"run.s{step - 1}.iterations") if step > 1 else 0.0
    return int(before) + 1 if before is not None else step


def _book_step(
    context: Context, gradient: np.ndarray, rate: float, t: int, previous: dict[str, Any]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The book's change to one parameter and its new state, from ``previous`` state."""
    kind, hyper = context.check, context.spec["hyper"]
    eps = hyper.get("epsilon", 0.0)
    zeros = np.zeros_like(gradient)
    if kind.startswith("sgd"):
        beta = hyper.get("momentum", 0.0)
        if not beta:
            return -rate * gradient, {}
        momentum = beta * previous.get("momentum", zeros) - rate * gradient
        return momentum, {"momentum": momentum}
    if kind == "adagrad":
        cache = previous.get("cache", zeros) + gradient**2
        return -rate * gradient / (np.sqrt(cache) + eps), {"cache": cache}
    if kind == "rmsprop":
        rho = hyper["rho"]
        cache = rho * previous.get("cache", zeros) + (1 - rho) * gradient**2
        return -rate * gradient / (np.sqrt(cache) + eps), {"cache": cache}
    beta_1, beta_2 = hyper["beta_1"], hyper["beta_2"]
    momentum = beta_1 * previous.get("momentum", zeros) + (1 - beta_1) * gradient
    cache = beta_2 * previous.get("cache", zeros) + (1 - beta_2) * gradient**2
    corrected = (momentum / (1 - beta_1**t)) / (np.sqrt(cache / (1 - beta_2**t)) + eps)
    return -rate * corrected, {"momentum": momentum, "cache": cache}


def _walk(context: Context):
    """(step, layer index, parameter, state prefix, gradient) in the order the probe ran."""
    for step, gradients in enumerate(context.spec["grads"], start=1):
        for index, pair in enumerate(gradients):
            for (parameter, prefix), gradient in zip(_PARAMETERS, pair):
                yield step, index, parameter, prefix, gradient


def _state_key(step: int, index: int, prefix: str, state: str) -> str:
    return f"run.s{step}.L{index}.{prefix}_{_STATE[state]}"


def _own_state(context: Context, step: int, index: int, prefix: str) -> dict[str, Any] | None:
    """The momentum and cache the learner left on layer ``index`` after step ``step``."""
    found = {}
    for state in _HAS_STATE.get(context.check, ()):
        value = context.array(_state_key(step, index, prefix, state))
        if value is None:
            return None
        found[state] = value
    return found


def _param(context: Context, step: int, index: int, parameter: str) -> np.ndarray | None:
    if step == 0:
        return np.asarray(context.spec["start"][index][0 if parameter == "weights" else 1])
    return context.array(f"run.s{step}.L{index}.{parameter}")


def _replay_with_own_rates(context: Context) -> bool:
    """Whether the book's updates at the learner's own rates (and Adam's t from the learner's
    own count) give every parameter the learner recorded, and some rate is not the book's."""
    rates = [_own_rate(context, step) for step in range(1, len(context.spec["grads"]) + 1)]
    if any(rate is None for rate in rates):
        return False
    state: dict[tuple[int, str], dict[str, Any]] = {}
    current = {
        (index, parameter): _param(context, 0, index, parameter).astype(float)
        for index in range(len(context.spec["start"]))
        for parameter, _ in _PARAMETERS
    }
    for step, index, parameter, _, gradient in _walk(context):
        change, state[(index, parameter)] = _book_step(
            context,
            gradient,
            rates[step - 1],
            _own_t(context, step),
            state.get((index, parameter), {}),
        )
        current[(index, parameter)] = current[(index, parameter)] + change
        if not context.matches(f"run.s{step}.L{index}.{parameter}", current[(index, parameter)]):
            return False
    return True


def _schedule_forms(context: Context, rates: list[float]) -> str:
    """The wrong schedule the rates follow, when it is one of the usual slips."""
    lr, decay = context.spec["hyper"]["learning_rate"], context.spec["hyper"].get("decay", 0.0)
    steps = np.arange(len(rates))  # iterations before each step: 0, 1, 2, 3
    forms = {
        "the rate never decays (it stays learning_rate)": np.full(len(rates), lr),
        "decay counts twice (1 + 2 * decay * iterations)": lr / (1 + 2 * decay * steps),
        "the + is a - (1 - decay * iterations)": lr / (1 - decay * steps),
        "decay is left out (1 + iterations)": lr / (1 + steps),
        "the rate is multiplied by (1 + decay * iterations), not divided": lr * (1 + decay * steps),
        "iterations is left out (1 + decay)": np.full(len(rates), lr / (1 + decay)),
    }
    for text, form in forms.items():
        if np.allclose(rates, form, rtol=1e-6, atol=1e-12):
            return f": {text}"
    return ""


@mistake(
    "optimizer_schedule_wrong",
    "the learning-rate schedule is wrong (the steps themselves are right)",
    "Each step's rate comes from pre_update_params: if self.decay: "
    "self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * "
    "self.iterations)), always from the original learning_rate; and post_update_params adds 1 "
    "to self.iterations once per step. Your updates are right for the rates you computed, so "
    "fix the rate (or the count) only.",
    checks=OPTIMIZERS,
    priority=GENERAL,
)
def _schedule_wrong(context: Context, failure: Failure) -> str | None:
    if not _replayable(context, failure):
        return None
    steps = range(1, len(context.spec["grads"]) + 1)
    rates = [_own_rate(context, step) for step in steps]
    expected = [float(context.expected[f"run.s{step}.lr_used"]) for step in steps]
    counts = [_scalar(context, f"run.s{step}.iterations") for step in steps]
    rates_wrong = None not in rates and not np.allclose(rates, expected, rtol=1e-6, atol=1e-12)
    # Plain SGD may have no count at all (chapter 10's first optimizer), and needs none.
    counts_wrong = context.check != "sgd" and counts != [float(step) for step in steps]
    if not (rates_wrong or counts_wrong) or not _replay_with_own_rates(context):
        return None
    said = []
    if rates_wrong:
        shown = ", ".join(f"{rate:.6g}" for rate in rates)
        book = ", ".join(f"{rate:.6g}" for rate in expected)
        said.append(f"your four steps used the rates {shown}; the schedule gives {book}")
        said[-1] += _schedule_forms(context, rates)
    if counts_wrong:
        shown = ", ".join("missing" if c is None else f"{c:g}" for c in counts)
        said.append(f"self.iterations after each step reads {shown} (expected 1, 2, 3, 4)")
    return "; ".join(said) + "; every update is right for the rate it used"


_STATE_FORMULA = {
    "sgd_momentum": {"momentum": "momentum * previous - current_learning_rate * gradient"},
    "adagrad": {"cache": "previous + gradient ** 2"},
    "rmsprop": {"cache": "rho * previous + (1 - rho) * gradient ** 2"},
    "adam": {
        "momentum": "beta_1 * previous + (1 - beta_1) * gradient",
        "cache": "beta_2 * previous + (1 - beta_2) * gradient ** 2",
    },
}


def _first_wrong_state(context: Context) -> str | None:
    """Where the learner's stored momentum or cache first stops following its formula,
    computed from the learner's own state after the step before."""
    for step, index, parameter, prefix, gradient in _walk(context):
        rate = _own_rate(context, step)
        before = _own_state(context, step - 1, index, prefix) if step > 1 else {}
        after = _own_state(context, step, index, prefix)
        if rate is None or before is None or after is None:
            return None
        _, book = _book_step(context, gradient, rate, _own_t(context, step), before)
        for state, value in book.items():
            key = _state_key(step, index, prefix, state)
            if not context.matches(key, value):
                name = f"{prefix}_{_STATE[state]}"
                formula = _STATE_FORMULA[context.check][state].replace(
                    "gradient", f"layer.d{parameter}"
                )
                received = after[state]
                where = np.unravel_index(
                    int(np.argmax(np.abs(received - value)))
                    if received.shape == value.shape
                    else 0,
                    value.shape,
                )
                got = (
                    f"{received[where]:.6g}"
                    if received.shape == value.shape
                    else f"shape {received.shape}"
                )
                source = (
                    "from zeros before the first step"
                    if step == 1
                    else f"from your own value after step {step - 1}"
                )
                return (
                    f"layer {index + 1}'s {name} after step {step} should be {formula} "
                    f"({source}): {value[where]:.6g} at index "
                    f"{tuple(int(i) for i in where)}, yours is {got}"
                    + ("" if step == 1 else f"; it follows the formula up to step {step - 1}")
                )
    return None


@mistake(
    "optimizer_state_update_wrong",
    "the momentum or cache kept on the layer does not follow its formula",
    "Update the state on the layer with the book's recurrence before using it, for the weights "
    "and for the biases alike: momentum SGD layer.weight_momentums = self.momentum * "
    "layer.weight_momentums - self.current_learning_rate * layer.dweights; AdaGrad "
    "layer.weight_cache += layer.dweights**2; RMSprop layer.weight_cache = self.rho * "
    "layer.weight_cache + (1 - self.rho) * layer.dweights**2; Adam both momentum (beta_1) and "
    "cache (beta_2) the RMSprop way. The details say which attribute, layer and step.",
    checks=tuple(_HAS_STATE),
    priority=GENERAL,
)
def _state_update_wrong(context: Context, failure: Failure) -> str | None:
    if not _replayable(context, failure) or not failure.quantity.key.endswith(
        (".weights", ".biases")
    ):
        return None
    return _first_wrong_state(context)


def _step_variants(context: Context, gradient, rate, t, state) -> dict[str, np.ndarray]:
    """The change a step makes with one usual slip in its last line, by description."""
    kind, hyper = context.check, context.spec["hyper"]
    eps = hyper.get("epsilon", 0.0)
    right = _book_step_from_state(context, gradient, rate, t, state)
    found = {"moves uphill (the sign of the step is flipped)": -right}
    if kind.startswith("sgd"):
        found["leaves out the learning rate"] = right / rate
        return found
    if kind in ("adagrad", "rmsprop"):
        cache = state["cache"]
        found["leaves out np.sqrt around the cache"] = -rate * gradient / (cache + eps)
        found["leaves out epsilon"] = -rate * gradient / np.sqrt(cache)
        found["puts epsilon inside np.sqrt"] = -rate * gradient / np.sqrt(cache + eps)
        found["leaves out the learning rate"] = -gradient / (np.sqrt(cache) + eps)
        return found
    beta_1, beta_2 = hyper["beta_1"], hyper["beta_2"]
    m, v = state["momentum"], state["cache"]
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)

    def step(top, bottom):
        return -rate * top / (np.sqrt(bottom) + eps)

    found.update(
        {
            "leaves out the momentum's bias correction (1 - beta_1 ** t)": step(m, v_hat),
            "leaves out the cache's bias correction (1 - beta_2 ** t)": step(m_hat, v),
            "divides the momentum by 1 - beta_2 ** t and the cache by 1 - beta_1 ** t": step(
                m / (1 - beta_2**t), v / (1 - beta_1**t)
            ),
            "corrects with 1 - beta instead of 1 - beta ** t": step(
                m / (1 - beta_1), v / (1 - beta_2)
            ),
            "corrects with beta ** t instead of 1 - beta ** t": step(m / beta_1**t, v / beta_2**t),
            "corrects with t one too high": step(
                m / (1 - beta_1 ** (t + 1)), v / (1 - beta_2 ** (t + 1))
            ),
            "leaves out np.sqrt around the corrected cache": -rate * m_hat / (v_hat + eps),
            "leaves out epsilon": -rate * m_hat / np.sqrt(v_hat),
            "puts epsilon inside np.sqrt": -rate * m_hat / np.sqrt(v_hat + eps),
            "steps with the gradient, not the corrected momentum": step(gradient, v_hat),
            "leaves out the learning rate": step(m_hat, v_hat) / rate,
        }
    )
    return found


@mistake(
    "optimizer_step_wrong",
    "the update applied to the parameters is wrong (its rate and state are right)",
    "Your rate and the momentum or cache on the layer are right; the line that changes "
    "layer.weights or layer.biases from them is not. SGD: += -self.current_learning_rate * "
    "layer.dweights; with momentum: += the new layer.weight_momentums; AdaGrad and RMSprop: += "
    "-self.current_learning_rate * layer.dweights / (np.sqrt(layer.weight_cache) + "
    "self.epsilon); Adam: the same with the corrected momentum over the square root of the "
    "corrected cache, each divided by 1 - beta ** (self.iterations + 1). The details say which "
    "parameter, layer and step.",
    checks=OPTIMIZERS,
    priority=GENERAL,
)
def _step_wrong(context: Context, failure: Failure) -> str | None:
    if not _replayable(context, failure) or not failure.quantity.key.endswith(
        (".weights", ".biases")
    ):
        return None
    if _first_wrong_state(context) is not None:
        return None
    state: dict[tuple[int, str], dict[str, Any]] = {}
    for step, index, parameter, prefix, gradient in _walk(context):
        rate = _own_rate(context, step)
        expected_rate = context.expected.get(f"run.s{step}.lr_used")
        if rate is None or (expected_rate is not None and not np.isclose(rate, expected_rate)):
            return None
        t = _own_t(context, step)
        book_before = state.get((index, parameter), {})
        _, state[(index, parameter)] = _book_step(context, gradient, rate, t, book_before)
        own = _own_state(context, step, index, prefix)
        used = own if own else state[(index, parameter)]
        before = _param(context, step - 1, index, parameter)
        after = _param(context, step, index, parameter)
        if before is None or after is None or after.shape != before.shape:
            return None
        key = f"run.s{step}.L{index}.{parameter}"
        right = _book_step_from_state(context, gradient, rate, t, used)
        if context.matches(key, before + right):
            continue
        place = f"layer {index + 1}'s {parameter} in step {step}"
        if context.matches(key, before):
            return f"{place} did not change: the line that updates layer.{parameter} is missing"
        if context.matches(key, right):
            return (
                f"{place} was replaced by the step itself (= where layer.{parameter} += step "
                "belongs)"
            )
        for text, change in _step_variants(context, gradient, rate, t, used).items():
            if context.matches(key, before + change):
                return f"{place}: your update {text}"
        ratio = (after - before) / np.where(right == 0, np.nan, right)
        finite = ratio[np.isfinite(ratio)]
        how = ""
        if finite.size and np.allclose(finite, finite[0], rtol=1e-6):
            how = f": it is {finite[0] + 0.0:.4g} times the book's step"
        return f"{place} moved by other amounts than your rate and state give{how}"
    return None


def _book_step_from_state(context: Context, gradient, rate, t, state) -> np.ndarray:
    """The book's final update from the state *after* this step's recurrence."""
    kind, hyper = context.check, context.spec["hyper"]
    eps = hyper.get("epsilon", 0.0)
    if kind.startswith("sgd"):
        return state["momentum"] if hyper.get("momentum", 0.0) else -rate * gradient
    if kind in ("adagrad", "rmsprop"):
        return -rate * gradient / (np.sqrt(state["cache"]) + eps)
    m_hat = state["momentum"] / (1 - hyper["beta_1"] ** t)
    v_hat = state["cache"] / (1 - hyper["beta_2"] ** t)
    return -rate * m_hat / (np.sqrt(v_hat) + eps)
