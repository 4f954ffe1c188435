"""Checks for chapter 6's random search: ``RandomSearch(layers, step_size=0.05)``.

The book writes the search as loose lines in a loop; the chapter 6 notebook gathers them in a
small class whose constructor (given to the learner) keeps the layers, ``step_size``,
``lowest_loss`` (starting above any loss) and copies of the layers' starting values. The
learner writes two methods, checked separately:

* ``random_search_perturb``: ``perturb()`` adds ``step_size * np.random.randn(...)`` to every
  weight and bias, layer by layer, weights before biases. The probe seeds NumPy's global
  generator right before the first call (``run_probe`` restores the learner's state
  afterwards) and calls it twice, on layers given a ``step_size`` other than 0.05 and on
  layers built with the default; ``nnfs_core.random_search.RandomSearch`` on a
  ``RandomState`` of the same seed draws the very same numbers. Noise drawn some other way
  (``default_rng``, another order) cannot match number for number: it passes when every value
  moved and the steps' mean and spread are those of ``step_size`` times standard normal draws,
  and the message says so.
* ``random_search_keep``: ``keep_or_revert(loss)`` keeps the layers' values and the loss when
  the loss is lower than ``lowest_loss`` (returning ``True``), and otherwise puts copies of the
  best values back (returning ``False``). The probe plays five steps: it moves every weight and
  bias *in place* (``layer.weights += step``, as ``perturb`` does; in step 2 into new arrays
  instead), then calls ``keep_or_revert`` with a loss that is lower, higher, higher, lower and
  higher than the best so far. In-place moves are what expose missing copies: best values
  remembered without ``.copy()`` move along with the layer, and arrays put back without
  ``.copy()`` are moved by the next step; the one move into new arrays tells "no copy when
  keeping nor when reverting" apart from "never reverts". The diagnosis replays the protocol
  with each catalogued mistake (tests/test_checks_search.py checks that every replay differs
  from every other).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnfs_core.random_search import RandomSearch

from .basics import SPREAD_SIGMAS
from .capture import ParameterHolder, Recorder
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

#: The book's step: 0.05 times standard normal draws.
BOOK_STEP = 0.05
#: Step sizes the "given" case passes (never the book's 0.05, so a hard-coded 0.05 shows).
GIVEN_STEPS = (0.2, 0.3, 0.5)
PARTS = ("weights", "biases")


def _layer_shapes(rng: np.random.RandomState, small: bool) -> list[tuple[int, int]]:
    if small:
        n_inputs, n_hidden, n_outputs = 2 + rng.randint(2), 3 + rng.randint(2), 3
    else:
        n_inputs, n_hidden, n_outputs = 6 + rng.randint(3), 9 + rng.randint(4), 3 + rng.randint(3)
    return [(n_inputs, n_hidden), (n_hidden, n_outputs)]


def _starting_values(rng: np.random.RandomState, shapes) -> list[dict[str, np.ndarray]]:
    # Of size about 1 (biases about 0.5), far from the steps, so "replaced instead of moved"
    # cannot hide; never exactly 0.
    return [
        {
            "weights": rng.standard_normal(shape),
            "biases": 0.5 * rng.standard_normal((1, shape[1])),
        }
        for shape in shapes
    ]


def _holders(values: list[dict[str, np.ndarray]]) -> list[ParameterHolder]:
    return [ParameterHolder(layer["weights"], layer["biases"]) for layer in values]


def _key(case: str, layer: int, part: str, suffix: str = "") -> str:
    return f"{case}.l{layer}_{part}{suffix}"


def _read(recorder: Recorder, case: str, layers: list[ParameterHolder], suffix: str) -> None:
    for position, layer in enumerate(layers):
        for part in PARTS:
            recorder.keep_attribute(_key(case, position, part, suffix), layer, part)


def _construct(recorder: Recorder, stage: str, learner: Any, layers, step_size=None):
    """``RandomSearch(layers)`` or ``RandomSearch(layers, step_size)`` (positionally)."""
    if step_size is None:
        return recorder.construct(stage, learner, layers)
    return recorder.construct(stage, learner, layers, step_size)


# =============================================================================================
# perturb
# =============================================================================================


def _noise(seed: int, shapes, parts=PARTS) -> list[dict[str, np.ndarray]]:
    """Standard normal draws in the book's order, for two calls of ``perturb``."""
    rng = np.random.RandomState(seed)
    return [
        {part: rng.standard_normal(shape if part == "weights" else (1, shape[1])) for part in parts}
        for _ in range(2)
        for shape in shapes
    ]


@register
class RandomSearchPerturb(StagedCheck):
    name = "random_search_perturb"
    title = "RandomSearch.perturb"
    stages = ("construct", "perturb", "perturb_again")
    cases = ("given", "default")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        spec: dict[str, Any] = {}
        for case in self.cases:
            shapes = _layer_shapes(rng, small=False)
            spec[case] = {
                "shapes": shapes,
                "start": _starting_values(rng, shapes),
                "step_size": float(rng.choice(GIVEN_STEPS)) if case == "given" else BOOK_STEP,
                "draw_seed": int(rng.randint(2**31 - 1)),
            }
        return spec

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for case in self.cases:
            data = spec[case]
            layers = _holders(data["start"])
            step = data["step_size"] if case == "given" else None
            search = _construct(recorder, f"{case}.construct", learner, layers, step)
            if search is None:
                continue
            np.random.seed(data["draw_seed"])  # noqa: NPY002 - the book draws from the global generator
            ok, _ = recorder.invoke(f"{case}.perturb", search, "perturb")
            _read(recorder, case, layers, "")
            if not ok:
                continue
            recorder.invoke(f"{case}.perturb_again", search, "perturb")
            _read(recorder, case, layers, "_again")

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for case in self.cases:
            data = spec[case]
            layers = _holders(data["start"])
            search = RandomSearch(
                layers, step_size=data["step_size"], rng=np.random.RandomState(data["draw_seed"])
            )
            for suffix in ("", "_again"):
                search.perturb()
                for position, layer in enumerate(layers):
                    for part in PARTS:
                        expected[_key(case, position, part, suffix)] = getattr(layer, part).copy()
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for case in self.cases:
            data = spec[case]
            made = (
                f"RandomSearch(layers, {data['step_size']:g})"
                if case == "given"
                else "RandomSearch(layers)"
            )
            for suffix, stage, calls in (
                ("", "perturb", "one perturb()"),
                ("_again", "perturb_again", "a second perturb()"),
            ):
                for position in range(len(data["shapes"])):
                    for part in PARTS:
                        found.append(
                            Quantity(
                                _key(case, position, part, suffix),
                                f"layers[{position}].{part}",
                                part,
                                f"{case}.{stage}",
                                f"after {made}, np.random.seed(...) and {calls}",
                            )
                        )
        return found

    def _failures(self, context: Context, quantities: list[Quantity]) -> list[Failure]:
        """Accept noise drawn another way when every step looks like ``step_size * randn``."""
        failures = super()._failures(context, quantities)
        if not failures or any(f.kind != "values" for f in failures):
            return failures
        for case in self.cases:
            if not _plausible_steps(context, case):
                return failures
        context.notes.setdefault("skipped", []).append(
            "the exact numbers (yours were not drawn with np.random.randn from NumPy's global "
            "generator, layer by layer and weights before biases), so every value's move and "
            "the mean and spread of the moves were checked instead"
        )
        return []


def _steps(context: Context, case: str) -> list[np.ndarray] | None:
    """Every value's move in each of the two calls of ``perturb``, or ``None``."""
    data = context.spec[case]
    moves = []
    for position, start in enumerate(data["start"]):
        for part in PARTS:
            first = context.array(_key(case, position, part))
            second = context.array(_key(case, position, part, "_again"))
            if first is None or second is None or first.shape != start[part].shape:
                return None
            if second.shape != first.shape:
                return None
            moves += [first - start[part], second - first]
    return moves


def _plausible_steps(context: Context, case: str) -> bool:
    moves = _steps(context, case)
    if moves is None:
        return False
    pooled = np.concatenate([m.ravel() for m in moves])
    if not np.all(np.isfinite(pooled)) or np.any(pooled == 0):
        return False
    # Weights and biases each: the moves must vary. The biases are few, so a constant move
    # (randn left out: layer.biases += self.step_size) hides in the pooled mean and spread.
    # (_steps lists, per layer and part, the first call's moves then the second's.)
    for k in range(len(PARTS)):
        ours = [m.ravel() for i, m in enumerate(moves) if (i // 2) % len(PARTS) == k]
        if np.ptp(np.concatenate(ours)) <= 1e-9 * context.spec[case]["step_size"]:
            return False
    step = context.spec[case]["step_size"]
    n = pooled.size
    mean_ok = abs(float(pooled.mean())) <= SPREAD_SIGMAS * step / np.sqrt(n)
    spread_ok = abs(float(pooled.std()) / step - 1) <= SPREAD_SIGMAS / np.sqrt(2 * n)
    # The second call must draw new noise, not repeat the first call's.
    halves = (
        [m for i, m in enumerate(moves) if i % 2 == 0],
        [m for i, m in enumerate(moves) if i % 2],
    )
    fresh = not all(np.allclose(a, b) for a, b in zip(*halves, strict=True))
    return mean_ok and spread_ok and fresh


def _perturb_variant(context: Context, rule: Callable[..., np.ndarray], parts=PARTS):
    """Per key, the values a wrong ``perturb`` produces: ``rule(value, noise, step)``."""
    values: dict[str, np.ndarray] = {}
    for case in context.spec:
        data = context.spec[case]
        noise = _noise(data["draw_seed"], data["shapes"], parts)
        n_layers = len(data["shapes"])
        current = [{part: layer[part].copy() for part in PARTS} for layer in data["start"]]
        for call, suffix in enumerate(("", "_again")):
            for position in range(n_layers):
                for part in PARTS:
                    if part in parts:
                        drawn = noise[call * n_layers + position][part]
                        current[position][part] = rule(
                            current[position][part], drawn, data["step_size"]
                        )
                    values[_key(case, position, part, suffix)] = current[position][part].copy()
    return values


def _reproduced(context: Context, variant: dict[str, np.ndarray], cases=None) -> bool:
    """Whether some value failed and the learner's values equal ``variant``'s at every key
    (of ``cases`` only, when given)."""
    if not context.failures:
        return False
    return all(
        context.matches(key, value)
        for key, value in variant.items()
        if cases is None or key.partition(".")[0] in cases
    )


PERTURB = ("random_search_perturb",)


@mistake(
    "perturb_replaces_values",
    "perturb replaces the weights instead of moving them",
    "Add the noise to the current values: layer.weights += self.step_size * "
    "np.random.randn(*layer.weights.shape) (and the same for biases). Setting layer.weights = "
    "... throws away everything found so far: that was the book's first, hopeless attempt.",
    checks=PERTURB,
)
def _perturb_replaces(context: Context, failure: Failure) -> str | None:
    variant = _perturb_variant(context, lambda value, noise, step: step * noise)
    if _reproduced(context, variant):
        return "after perturb() the layers hold step_size * randn(...) alone"
    return None


@mistake(
    "perturb_step_size_ignored",
    "perturb ignores step_size",
    "Scale the noise by the step size the search was built with: self.step_size * "
    "np.random.randn(...), not a fixed 0.05.",
    checks=PERTURB,
)
def _perturb_fixed_step(context: Context, failure: Failure) -> str | None:
    variant = _perturb_variant(context, lambda value, noise, step: value + BOOK_STEP * noise)
    if _reproduced(context, variant, cases=("given",)) and not any(
        f.quantity.key.startswith("default.") for f in context.failures
    ):
        return (
            f"with RandomSearch(layers, {context.spec['given']['step_size']:g}) your steps are "
            f"0.05 times the draws"
        )
    return None


@mistake(
    "perturb_noise_not_scaled",
    "perturb adds unscaled noise",
    "Multiply the draws by the step size: self.step_size * np.random.randn(*shape). Standard "
    "normal draws alone move every value by about 1, which wrecks any progress at once.",
    checks=PERTURB,
)
def _perturb_unscaled(context: Context, failure: Failure) -> str | None:
    variant = _perturb_variant(context, lambda value, noise, step: value + noise)
    if _reproduced(context, variant):
        return "your steps are the standard normal draws themselves"
    return None


@mistake(
    "perturb_biases_left_out",
    "perturb leaves the biases alone",
    "Move the biases as well as the weights, each layer's weights first, then its biases: "
    "layer.biases += self.step_size * np.random.randn(*layer.biases.shape).",
    checks=PERTURB,
)
def _perturb_no_biases(context: Context, failure: Failure) -> str | None:
    variant = _perturb_variant(
        context, lambda value, noise, step: value + step * noise, parts=("weights",)
    )
    if _reproduced(context, variant):
        return "the weights move, the biases never change"
    return None


@mistake(
    "perturb_constant_step",
    "perturb moves by a constant instead of random noise",
    "Draw fresh noise for every value: layer.biases += self.step_size * "
    "np.random.randn(*layer.biases.shape) (the same for the weights). Adding self.step_size "
    "alone moves every value the same way at every call, so the search only drifts.",
    checks=PERTURB,
)
def _perturb_constant(context: Context, failure: Failure) -> str | None:
    for constant, noisy in (("biases", "weights"), ("weights", "biases")):
        variant = _perturb_variant(
            context, lambda value, noise, step: value + step * noise, parts=(noisy,)
        )
        # The constant part moved by step_size alone (it drew no noise).
        for case in context.spec:
            data = context.spec[case]
            current = [layer[constant].copy() for layer in data["start"]]
            for suffix in ("", "_again"):
                for position in range(len(data["shapes"])):
                    current[position] = current[position] + data["step_size"]
                    variant[_key(case, position, constant, suffix)] = current[position].copy()
        if _reproduced(context, variant):
            return (
                f"every value of your {constant} moves by exactly step_size at each perturb()"
                f"; the {noisy} get the random noise"
            )
    return None


# Found with autograder/mutation: one part (the weights or the biases) not moved, replaced, or
# moved by unscaled draws while the other part is right got only the generic mismatch. Each
# is replayed with the draws the learner's perturb takes (a part that draws nothing shifts the
# other part's draws) and must fit every value of both cases.

_PART_RULES: dict[str, Callable[..., np.ndarray] | None] = {
    "never move (their += line is missing)": None,
    "are replaced by the noise (= where += belongs)": lambda value, noise, step: step * noise,
    "move by the draws without step_size (self.step_size * is missing)": (
        lambda value, noise, step: value + noise
    ),
}


def _one_part_variant(context: Context, part: str, rule) -> dict[str, np.ndarray]:
    """Per key, the values when ``part`` follows ``rule`` (``None``: it draws nothing and
    stays) and the other part moves as the book's does."""
    parts = PARTS if rule is not None else tuple(p for p in PARTS if p != part)
    values: dict[str, np.ndarray] = {}
    for case in context.spec:
        data = context.spec[case]
        noise = _noise(data["draw_seed"], data["shapes"], parts)
        n_layers = len(data["shapes"])
        current = [{name: layer[name].copy() for name in PARTS} for layer in data["start"]]
        for call, suffix in enumerate(("", "_again")):
            for position in range(n_layers):
                for name in PARTS:
                    drawn = noise[call * n_layers + position].get(name)
                    if name != part:
                        current[position][name] = (
                            current[position][name] + data["step_size"] * drawn
                        )
                    elif rule is not None:
                        current[position][name] = rule(
                            current[position][name], drawn, data["step_size"]
                        )
                    values[_key(case, position, name, suffix)] = current[position][name].copy()
    return values


@mistake(
    "perturb_one_part_wrong",
    "perturb moves the weights or the biases wrongly (the other part is right)",
    "Each layer gets two lines of the same form, weights first: layer.weights += "
    "self.step_size * np.random.randn(*layer.weights.shape), then layer.biases += "
    "self.step_size * np.random.randn(*layer.biases.shape). Make the line the details name "
    "look like its twin.",
    checks=PERTURB,
    priority=GENERAL,
)
def _perturb_one_part(context: Context, failure: Failure) -> str | None:
    for part in PARTS:
        for text, rule in _PART_RULES.items():
            if part == "biases" and rule is None:
                continue  # perturb_biases_left_out says it
            if _reproduced(context, _one_part_variant(context, part, rule)):
                other = "biases" if part == "weights" else "weights"
                return f"your {other} move as they should, but your {part} {text}"
    return None


# =============================================================================================
# keep_or_revert
# =============================================================================================

#: What keep_or_revert should do at each of the five steps.
DECISIONS = ("keep", "revert", "revert", "keep", "revert")
#: The step whose move makes new arrays (layer.weights = layer.weights + move); the others
#: move in place. Without it, remembering the layers' own arrays and putting them back
#: (no copy either way) could not be told apart from never reverting.
REBINDING_STEP = 2


def _losses(rng: np.random.RandomState) -> list[float]:
    first = float(rng.uniform(0.8, 1.2))
    second = first + float(rng.uniform(0.05, 0.3))
    third = first + float(rng.uniform(0.05, 0.3))
    fourth = first - float(rng.uniform(0.1, 0.4))
    fifth = fourth + float(rng.uniform(0.05, 0.3))
    return [round(value, 4) for value in (first, second, third, fourth, fifth)]


class _Replay:
    """The keep-or-revert protocol on plain arrays, right or with one catalogued mistake.

    ``keep_when(loss, lowest)`` decides; on keeping, the best values are remembered as copies
    (or as the layers' own arrays, ``alias_best``) and ``lowest`` is updated (unless
    ``frozen_lowest``; ``frozen_best`` remembers nothing); on reverting, copies of the best
    values go back (or the best arrays themselves, ``alias_revert``; nothing, ``no_revert``).
    """

    def __init__(
        self,
        keep_when: Callable[[float, float], bool] = lambda loss, lowest: loss < lowest,
        *,
        alias_best: bool = False,
        alias_revert: bool = False,
        no_revert: bool = False,
        frozen_lowest: bool = False,
        frozen_best: bool = False,
        only: tuple[str, ...] = PARTS,
    ) -> None:
        self.keep_when = keep_when
        self.alias_best, self.alias_revert, self.no_revert = alias_best, alias_revert, no_revert
        self.frozen_lowest, self.frozen_best = frozen_lowest, frozen_best
        #: The parts (weights, biases) the aliasing and reverting mistakes apply to.
        self.only = only

    def run(self, spec: dict[str, Any], initial_lowest: float = np.inf) -> dict[str, Any]:
        data = spec["run"]
        layers = _holders(data["start"])
        best = [(layer.weights.copy(), layer.biases.copy()) for layer in layers]
        lowest = initial_lowest
        values: dict[str, Any] = {}
        for step, (moves, loss) in enumerate(zip(data["moves"], data["losses"]), 1):
            _move(layers, moves, in_place=step != REBINDING_STEP)
            kept = bool(self.keep_when(loss, lowest))
            if kept:
                if not self.frozen_best:
                    best = [
                        tuple(
                            getattr(layer, part)
                            if self.alias_best and part in self.only
                            else getattr(layer, part).copy()
                            for part in PARTS
                        )
                        for layer in layers
                    ]
                if not self.frozen_lowest:
                    lowest = loss
            else:
                for layer, remembered in zip(layers, best):
                    for part, value in zip(PARTS, remembered):
                        if self.no_revert and part in self.only:
                            continue
                        aliased = self.alias_revert and part in self.only
                        setattr(layer, part, value if aliased else value.copy())
            for position, layer in enumerate(layers):
                for part in PARTS:
                    values[_step_key(step, f"l{position}_{part}")] = getattr(layer, part).copy()
            values[_step_key(step, "lowest")] = np.float64(lowest)
            values[_step_key(step, "kept")] = np.bool_(kept)
        return values


def _step_key(step: int, name: str) -> str:
    return f"run.{name}_{step}"


@register
class RandomSearchKeep(StagedCheck):
    name = "random_search_keep"
    title = "RandomSearch.keep_or_revert"
    stages = ("construct", *(f"step{step}" for step in range(1, len(DECISIONS) + 1)))

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        shapes = _layer_shapes(rng, small=True)
        start = _starting_values(rng, shapes)
        moves = [
            [
                {
                    "weights": 0.3 * rng.standard_normal(shape),
                    "biases": 0.3 * rng.standard_normal((1, shape[1])),
                }
                for shape in shapes
            ]
            for _ in DECISIONS
        ]
        return {"run": {"shapes": shapes, "start": start, "moves": moves, "losses": _losses(rng)}}

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        data = spec["run"]
        layers = _holders(data["start"])
        search = _construct(recorder, "run.construct", learner, layers)
        if search is None:
            return
        recorder.keep_attribute("run.lowest_initial", search, "lowest_loss")
        for step, (moves, loss) in enumerate(zip(data["moves"], data["losses"]), 1):
            stage = f"run.step{step}"
            ok, _ = recorder.call(
                stage,
                "keep_or_revert's last result (the check could not move the layers' weights and "
                "biases it left behind)",
                _move,
                layers,
                moves,
                in_place=step != REBINDING_STEP,
            )
            if not ok:
                return
            ok, kept = recorder.invoke(stage, search, "keep_or_revert", loss)
            for position, layer in enumerate(layers):
                for part in PARTS:
                    recorder.keep_attribute(_step_key(step, f"l{position}_{part}"), layer, part)
            recorder.keep_attribute(_step_key(step, "lowest"), search, "lowest_loss")
            recorder.keep(_step_key(step, "kept"), kept)
            if not ok:
                return

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        # nnfs_core's RandomSearch, driven exactly as the probe drives the learner's.
        data = spec["run"]
        layers = _holders(data["start"])
        search = RandomSearch(layers, rng=np.random.RandomState(0))
        expected: dict[str, Any] = {}
        for step, (moves, loss) in enumerate(zip(data["moves"], data["losses"]), 1):
            _move(layers, moves, in_place=step != REBINDING_STEP)
            kept = search.keep_or_revert(loss)
            for position, layer in enumerate(layers):
                for part in PARTS:
                    expected[_step_key(step, f"l{position}_{part}")] = getattr(layer, part).copy()
            expected[_step_key(step, "lowest")] = np.float64(search.lowest_loss)
            expected[_step_key(step, "kept")] = np.bool_(kept)
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        data = spec["run"]
        found = []
        lowest = np.inf
        for step, loss in enumerate(data["losses"], 1):
            better = loss < lowest
            verdict = "lower: keep" if better else "not lower: revert"
            how = "into new arrays" if step == REBINDING_STEP else "in place"
            after = (
                f"after step {step} of {len(DECISIONS)}: every value moved {how}, then "
                f"keep_or_revert({loss:g}) with lowest_loss {lowest:g} ({verdict})"
            )
            if better:
                lowest = loss
            for position in range(len(data["shapes"])):
                for part in PARTS:
                    found.append(
                        Quantity(
                            _step_key(step, f"l{position}_{part}"),
                            f"layers[{position}].{part}",
                            part,
                            f"run.step{step}",
                            after,
                        )
                    )
            found.append(
                Quantity(
                    _step_key(step, "lowest"),
                    "self.lowest_loss",
                    "lowest_loss",
                    f"run.step{step}",
                    after,
                )
            )
        # What it returned comes last: the values matter more than the flag.
        for step, loss in enumerate(data["losses"], 1):
            found.append(
                Quantity(
                    _step_key(step, "kept"),
                    "the value keep_or_revert returned (True: kept, False: reverted)",
                    "kept",
                    f"run.step{step}",
                    f"in step {step}, keep_or_revert({loss:g})",
                )
            )
        return found


def _move(
    layers: list[ParameterHolder], moves: list[dict[str, np.ndarray]], *, in_place: bool
) -> None:
    """The probe's own perturbation: in place (as ``+=`` does) or into new arrays."""
    for layer, move in zip(layers, moves):
        if in_place:
            layer.weights += move["weights"]
            layer.biases += move["biases"]
        else:
            layer.weights = layer.weights + move["weights"]
            layer.biases = layer.biases + move["biases"]


def _initial_lowest(context: Context) -> float:
    """The learner's starting ``lowest_loss`` when it is a number, else infinity."""
    value = context.array("run.lowest_initial")
    if value is not None and value.size == 1 and not np.isnan(value.reshape(())):
        return float(value.reshape(()))
    return np.inf


def _replays(context: Context, replay: _Replay) -> bool:
    """Whether the learner's layers and lowest_loss followed ``replay`` at every step (what
    keep_or_revert returned is left out: the values tell the mistakes apart)."""
    if not any(f.quantity.name != "kept" for f in context.failures):
        return False
    values = replay.run(context.spec, _initial_lowest(context))
    return all(
        context.matches(key, value)
        for key, value in values.items()
        if not key.startswith("run.kept")
    )


KEEP = ("random_search_keep",)


@mistake(
    "search_keeps_worse",
    "keeps the worse weights: the comparison is the wrong way round",
    "Keep the new values only when the loss went down: if loss < self.lowest_loss. With the "
    "comparison reversed the search keeps what got worse and throws away what got better.",
    checks=KEEP,
)
def _keeps_worse(context: Context, failure: Failure) -> str | None:
    if _replays(context, _Replay(lambda loss, lowest: loss > lowest)):
        return "your keep_or_revert keeps a loss above the lowest one and reverts one below"
    return None


@mistake(
    "search_keeps_every_step",
    "keeps every new set of weights, better or worse",
    "Compare first: keep (remember copies, update self.lowest_loss) only if loss < "
    "self.lowest_loss, and otherwise put the remembered values back. Keeping everything is a "
    "random walk, not a search.",
    checks=KEEP,
)
def _keeps_every_step(context: Context, failure: Failure) -> str | None:
    if _replays(context, _Replay(lambda loss, lowest: True)):
        return "after a higher loss your layers, and lowest_loss, took the worse values"
    return None


@mistake(
    "search_forgets_to_revert",
    "forgets to revert after a worse loss",
    "When the loss is not lower, put the best values back into the layers: for each layer, "
    "layer.weights = best_weights.copy() and layer.biases = best_biases.copy(). Otherwise the "
    "next step starts from the worse values.",
    checks=KEEP,
)
def _forgets_to_revert(context: Context, failure: Failure) -> str | None:
    if _replays(context, _Replay(no_revert=True)):
        return "after a higher loss your layers still hold the values that produced it"
    return None


@mistake(
    "search_best_not_copied",
    "remembers the layers' own arrays instead of copies",
    "Remember copies: self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in "
    "self.layers]. Without .copy() the remembered arrays are the layers' arrays themselves, "
    "and the next in-place step (layer.weights += ...) changes the 'best' values too, so "
    "reverting brings back the wrong ones.",
    checks=KEEP,
)
def _best_not_copied(context: Context, failure: Failure) -> str | None:
    for alias_revert in (False, True):
        if _replays(context, _Replay(alias_best=True, alias_revert=alias_revert)):
            return "after a revert your layers hold values moved since the best loss"
    return None


@mistake(
    "search_revert_not_copied",
    "puts the remembered arrays themselves back into the layers",
    "Revert with copies: layer.weights = best_weights.copy(). Without .copy() the layer and "
    "the remembered best share one array, and the next in-place step (layer.weights += ...) "
    "changes the remembered values as well.",
    checks=KEEP,
)
def _revert_not_copied(context: Context, failure: Failure) -> str | None:
    if _replays(context, _Replay(alias_revert=True)):
        return "a revert, then a move, then a second revert brought back moved values"
    return None


@mistake(
    "search_lowest_not_updated",
    "lowest_loss is not updated when keeping",
    "When you keep the new values, also remember their loss: self.lowest_loss = loss. "
    "Otherwise every later loss is compared with the starting value and always looks better.",
    checks=KEEP,
)
def _lowest_not_updated(context: Context, failure: Failure) -> str | None:
    if _replays(context, _Replay(frozen_lowest=True)):
        return "self.lowest_loss never changed"
    return None


@mistake(
    "search_best_not_updated",
    "the best values are not remembered when keeping",
    "When the loss is lower, store copies of every layer's weights and biases (self.best = "
    "[...]) as well as the loss; a later revert must bring back these values, not the starting "
    "ones.",
    checks=KEEP,
)
def _best_not_updated(context: Context, failure: Failure) -> str | None:
    if _replays(context, _Replay(frozen_best=True)):
        return "a revert brought back the layers' starting values, not the best ones"
    return None


@mistake(
    "search_one_part_slip",
    "keep_or_revert handles the weights or the biases wrongly",
    "Treat both parts alike: remember copies of layer.weights and layer.biases when keeping, "
    "and put copies of both back when reverting. The details say which part and which slip.",
    checks=KEEP,
    priority=GENERAL,
)
def _one_part_slip(context: Context, failure: Failure) -> str | None:
    slips = {
        "is remembered without .copy() when keeping": {"alias_best": True},
        "is put back without .copy() when reverting": {"alias_revert": True},
        "is remembered and put back without .copy()": {"alias_best": True, "alias_revert": True},
        "is not put back when reverting": {"no_revert": True},
    }
    for part in PARTS:
        for text, flags in slips.items():
            if _replays(context, _Replay(only=(part,), **flags)):
                return f"only the {part} go wrong: layer.{part} {text}"
    return None
