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
from .shared import Context, Failure, Quantity, mistake, register

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
