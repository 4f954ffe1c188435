"""Learner-side code for chapter 6's random search (``autograder/checks/search.py``).

Correct classes written three ways: the ``book`` way (the chapter's loop gathered in a class:
``np.random.randn``, the book's ``lowest_loss = 9999999``, copies kept and put back),
``numpy`` style (``np.random.normal`` from the same global generator, values written back into
the layers' arrays with ``[...] =``), and ``generator`` style (noise from a
``np.random.default_rng``, which can only pass on the spread of its steps). Then one wrong
class per catalogued mistake, carrying ``mistake`` and ``check``.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np

# =============================================================================================
# Correct
# =============================================================================================


class RandomSearch:
    """The constructor is the one the chapter 6 notebook gives."""

    def __init__(self, layers, step_size=0.05):
        self.layers = layers
        self.step_size = step_size
        self.lowest_loss = 9999999
        self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in layers]

    def perturb(self):
        for layer in self.layers:
            layer.weights += self.step_size * np.random.randn(*layer.weights.shape)
            layer.biases += self.step_size * np.random.randn(*layer.biases.shape)

    def keep_or_revert(self, loss):
        if loss < self.lowest_loss:
            self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in self.layers]
            self.lowest_loss = loss
            return True
        for layer, (weights, biases) in zip(self.layers, self.best):
            layer.weights = weights.copy()
            layer.biases = biases.copy()
        return False


class RandomSearch_NumPy:
    def __init__(self, layers, step_size=0.05):
        self.layers = list(layers)
        self.step_size = step_size
        self.lowest_loss = float("inf")
        self.best_weights = [layer.weights.copy() for layer in self.layers]
        self.best_biases = [layer.biases.copy() for layer in self.layers]

    def perturb(self):
        for layer in self.layers:
            for name in ("weights", "biases"):
                values = getattr(layer, name)
                setattr(layer, name, values + np.random.normal(0, self.step_size, values.shape))

    def keep_or_revert(self, loss):
        better = bool(loss < self.lowest_loss)
        for i, layer in enumerate(self.layers):
            if better:
                self.best_weights[i] = np.array(layer.weights)
                self.best_biases[i] = np.array(layer.biases)
            else:
                layer.weights[...] = self.best_weights[i]
                layer.biases[...] = self.best_biases[i]
        if better:
            self.lowest_loss = loss
        return better


class RandomSearch_Generator(RandomSearch):
    """Noise from a generator of its own: right in distribution, never number for number."""

    def __init__(self, layers, step_size=0.05):
        super().__init__(layers, step_size)
        self.rng = np.random.default_rng(12345)

    def perturb(self):
        for layer in self.layers:
            layer.weights = layer.weights + self.step_size * self.rng.standard_normal(
                layer.weights.shape
            )
            layer.biases = layer.biases + self.step_size * self.rng.standard_normal(
                layer.biases.shape
            )


CHECKS: dict[str, tuple[str, tuple[type, ...]]] = {
    "random_search_perturb": ("ch06", (RandomSearch, RandomSearch_NumPy, RandomSearch_Generator)),
    "random_search_keep": ("ch06", (RandomSearch, RandomSearch_NumPy)),
}

# =============================================================================================
# One wrong class per catalogued mistake
# =============================================================================================


class PerturbReplaces(RandomSearch):
    mistake, check = "perturb_replaces_values", "random_search_perturb"

    def perturb(self):
        for layer in self.layers:
            layer.weights = self.step_size * np.random.randn(*layer.weights.shape)
            layer.biases = self.step_size * np.random.randn(*layer.biases.shape)


class PerturbFixedStep(RandomSearch):
    mistake, check = "perturb_step_size_ignored", "random_search_perturb"

    def perturb(self):
        for layer in self.layers:
            layer.weights += 0.05 * np.random.randn(*layer.weights.shape)
            layer.biases += 0.05 * np.random.randn(*layer.biases.shape)


class PerturbUnscaled(RandomSearch):
    mistake, check = "perturb_noise_not_scaled", "random_search_perturb"

    def perturb(self):
        for layer in self.layers:
            layer.weights += np.random.randn(*layer.weights.shape)
            layer.biases += np.random.randn(*layer.biases.shape)


class PerturbWeightsOnly(RandomSearch):
    mistake, check = "perturb_biases_left_out", "random_search_perturb"

    def perturb(self):
        for layer in self.layers:
            layer.weights += self.step_size * np.random.randn(*layer.weights.shape)


class PerturbBiasesByAConstant(RandomSearch):
    mistake, check = "perturb_constant_step", "random_search_perturb"

    def perturb(self):
        for layer in self.layers:
            layer.weights += self.step_size * np.random.randn(*layer.weights.shape)
            layer.biases += self.step_size


class PerturbBiasesReplaced(RandomSearch):
    """= where += belongs on the biases' line only."""

    mistake, check = "perturb_one_part_wrong", "random_search_perturb"

    def perturb(self):
        for layer in self.layers:
            layer.weights += self.step_size * np.random.randn(*layer.weights.shape)
            layer.biases = self.step_size * np.random.randn(*layer.biases.shape)


class PerturbWeightsUnscaled(RandomSearch):
    mistake, check = "perturb_one_part_wrong", "random_search_perturb"

    def perturb(self):
        for layer in self.layers:
            layer.weights += np.random.randn(*layer.weights.shape)
            layer.biases += self.step_size * np.random.randn(*layer.biases.shape)


class RevertsBiasesWithoutCopy(RandomSearch):
    """The weights go back as copies, the biases as the remembered arrays themselves."""

    mistake, check = "search_one_part_slip", "random_search_keep"

    def keep_or_revert(self, loss):
        if loss < self.lowest_loss:
            self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in self.layers]
            self.lowest_loss = loss
            return True
        for layer, (weights, biases) in zip(self.layers, self.best):
            layer.weights = weights.copy()
            layer.biases = biases
        return False


class KeepsWorse(RandomSearch):
    mistake, check = "search_keeps_worse", "random_search_keep"

    def keep_or_revert(self, loss):
        if loss > self.lowest_loss:
            self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in self.layers]
            self.lowest_loss = loss
            return True
        for layer, (weights, biases) in zip(self.layers, self.best):
            layer.weights = weights.copy()
            layer.biases = biases.copy()
        return False


class KeepsWorseFromZero(KeepsWorse):
    """The reversed comparison with a starting lowest_loss of 0: it really keeps worse values."""

    mistake, check = "search_keeps_worse", "random_search_keep"

    def __init__(self, layers, step_size=0.05):
        super().__init__(layers, step_size)
        self.lowest_loss = 0.0


class KeepsEveryStep(RandomSearch):
    mistake, check = "search_keeps_every_step", "random_search_keep"

    def keep_or_revert(self, loss):
        self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in self.layers]
        self.lowest_loss = loss
        return True


class NeverReverts(RandomSearch):
    mistake, check = "search_forgets_to_revert", "random_search_keep"

    def keep_or_revert(self, loss):
        if loss < self.lowest_loss:
            self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in self.layers]
            self.lowest_loss = loss
            return True
        return False


class BestNotCopied(RandomSearch):
    mistake, check = "search_best_not_copied", "random_search_keep"

    def keep_or_revert(self, loss):
        if loss < self.lowest_loss:
            self.best = [(layer.weights, layer.biases) for layer in self.layers]
            self.lowest_loss = loss
            return True
        for layer, (weights, biases) in zip(self.layers, self.best):
            layer.weights = weights
            layer.biases = biases
        return False


class BestNotCopiedRevertCopied(RandomSearch):
    mistake, check = "search_best_not_copied", "random_search_keep"

    def keep_or_revert(self, loss):
        if loss < self.lowest_loss:
            self.best = [(layer.weights, layer.biases) for layer in self.layers]
            self.lowest_loss = loss
            return True
        for layer, (weights, biases) in zip(self.layers, self.best):
            layer.weights = weights.copy()
            layer.biases = biases.copy()
        return False


class RevertNotCopied(RandomSearch):
    mistake, check = "search_revert_not_copied", "random_search_keep"

    def keep_or_revert(self, loss):
        if loss < self.lowest_loss:
            self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in self.layers]
            self.lowest_loss = loss
            return True
        for layer, (weights, biases) in zip(self.layers, self.best):
            layer.weights = weights
            layer.biases = biases
        return False


class LowestNotUpdated(RandomSearch):
    mistake, check = "search_lowest_not_updated", "random_search_keep"

    def keep_or_revert(self, loss):
        if loss < self.lowest_loss:
            self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in self.layers]
            return True
        for layer, (weights, biases) in zip(self.layers, self.best):
            layer.weights = weights.copy()
            layer.biases = biases.copy()
        return False


class BestNotUpdated(RandomSearch):
    mistake, check = "search_best_not_updated", "random_search_keep"

    def keep_or_revert(self, loss):
        if loss < self.lowest_loss:
            self.lowest_loss = loss
            return True
        for layer, (weights, biases) in zip(self.layers, self.best):
            layer.weights = weights.copy()
            layer.biases = biases.copy()
        return False


# =============================================================================================


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0], item[2].__name__))


#: (mistake id, check name, wrong class), sorted by check.
WRONG = _collect()
