"""Chapter 6's "optimisation" by random search: perturb, compare, keep or revert.

The book tries to train its small classifier without any calculus: nudge every weight and
bias by a little Gaussian noise, run the forward pass, and keep the nudged values only when
the loss went down; otherwise put the best values found so far back. :class:`RandomSearch`
holds that bookkeeping for any list of layers that have ``weights`` and ``biases`` arrays.

It draws only with ``standard_normal``, layer by layer and weights before biases, from the
``rng=`` it is given (NumPy's global generator when ``None``), so the book's
``layer.weights += 0.05 * np.random.randn(*shape)`` after ``np.random.seed(...)`` and
``RandomSearch(layers, rng=np.random.RandomState(seed))`` draw the very same numbers.

Example::

    search = RandomSearch([dense1, dense2], step_size=0.05, rng=np.random.RandomState(0))
    for iteration in range(1000):
        search.perturb()
        ...  # forward pass, loss = loss_function.calculate(output, y)
        search.keep_or_revert(loss)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from nnfs_core import _validation as check
from nnfs_core._random import RandomLike, resolve_rng

__all__ = ["RandomSearch"]


def _parameter_array(layer: Any, name: str, position: int) -> np.ndarray:
    if not hasattr(layer, name):
        found = f"it has no attribute {name!r}"
    else:
        value = getattr(layer, name)
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            return value
        found = f"its {name} is {check.describe(value)}"
    raise TypeError(
        f"RandomSearch: layers[{position}] ({type(layer).__name__}) needs a float array "
        f"attribute {name!r}, but {found}. Fix: pass layers such as Layer_Dense(2, 3), which "
        f"have weights and biases."
    )


class RandomSearch:
    """Keep-the-best random search over the weights and biases of ``layers``.

    Args:
        layers: the layers to search over, e.g. ``[dense1, dense2]``; each must have
            ``weights`` and ``biases`` float arrays (any shapes).
        step_size: the standard deviation of the noise :meth:`perturb` adds (the book: 0.05).
        rng: where the noise comes from: a ``np.random.RandomState``/``Generator``, an int
            seed, or ``None`` for NumPy's global generator (the book's ``np.random.randn``).

    Attributes:
        lowest_loss: the lowest loss passed to :meth:`keep_or_revert` so far (``inf`` at
            first, so the first loss is always kept).
        best: one ``(weights, biases)`` pair of copies per layer: the values that gave
            ``lowest_loss`` (at first, the layers' starting values).
    """

    def __init__(
        self, layers: Iterable[Any], step_size: float = 0.05, rng: RandomLike = None
    ) -> None:
        if isinstance(layers, np.ndarray) or not isinstance(layers, Iterable):
            raise TypeError(
                f"RandomSearch: layers must be a list of layers; received "
                f"{check.describe(layers)}. Fix: RandomSearch([dense1, dense2])."
            )
        self.layers = list(layers)
        if not self.layers:
            raise ValueError(
                "RandomSearch: layers is empty; expected at least one layer with weights and "
                "biases. Fix: RandomSearch([dense1, dense2])."
            )
        for position, layer in enumerate(self.layers):
            _parameter_array(layer, "weights", position)
            _parameter_array(layer, "biases", position)
        try:
            self.step_size = check.positive_number(
                step_size, name="step_size", where="RandomSearch(...)"
            )
        except (TypeError, ValueError) as error:
            raise type(error)(
                f"RandomSearch: step_size must be a positive number (the book uses 0.05); "
                f"received {step_size!r}. Fix: RandomSearch(layers, step_size=0.05)."
            ) from None
        self.rng = resolve_rng(rng)
        self.lowest_loss = np.inf
        self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in self.layers]

    def __repr__(self) -> str:
        return f"RandomSearch({len(self.layers)} layers, step_size={self.step_size:g})"

    def perturb(self) -> None:
        """Add ``step_size * standard_normal`` noise to every weight and bias, in place.

        Order of the draws: layer by layer, each layer's weights (shape of ``weights``), then
        its biases (shape of ``biases``).
        """
        for position, layer in enumerate(self.layers):
            weights = _parameter_array(layer, "weights", position)
            biases = _parameter_array(layer, "biases", position)
            weights += self.step_size * self.rng.standard_normal(weights.shape)
            biases += self.step_size * self.rng.standard_normal(biases.shape)

    def keep_or_revert(self, loss: float) -> bool:
        """Keep the layers' current values if ``loss`` is below :attr:`lowest_loss`.

        Returns ``True`` when they were kept (copies go to :attr:`best`, ``loss`` to
        :attr:`lowest_loss`), ``False`` when copies of :attr:`best` were put back into the
        layers. A NaN loss never counts as lower, so it is always reverted.
        """
        value = np.asarray(loss)
        if value.size != 1 or value.dtype.kind not in "biuf":
            raise TypeError(
                f"RandomSearch.keep_or_revert: loss must be one number; received "
                f"{check.describe(loss)}. Fix: pass the mean loss, "
                f"loss_function.calculate(output, y), not the per-sample losses."
            )
        loss = float(value.reshape(()))
        if loss < self.lowest_loss:
            self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in self.layers]
            self.lowest_loss = loss
            return True
        for layer, (weights, biases) in zip(self.layers, self.best, strict=True):
            layer.weights = weights.copy()
            layer.biases = biases.copy()
        return False
