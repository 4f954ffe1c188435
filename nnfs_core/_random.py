"""One door for randomness, so that a single generator can replay the book's run.

Every random component accepts ``rng=``: a ``np.random.Generator``, a legacy
``np.random.RandomState``, an ``int`` seed, or ``None``. Components only ever
draw with ``standard_normal``, ``binomial`` and ``permutation``, three methods
both generator types share, so one ``np.random.RandomState(0)`` passed through
the dataset, the layers and dropout in the book's order reproduces the stream
that ``nnfs.init()`` + ``np.random.randn`` produced in the book.

``None`` means NumPy's legacy global generator (the one ``np.random.seed``
seeds). We never seed it ourselves; drawing from it keeps a learner's
``np.random.seed(0)`` meaningful, exactly as in the book.
"""

from __future__ import annotations

import numpy as np

RandomLike = np.random.Generator | np.random.RandomState | int | None
Generatorish = np.random.Generator | np.random.RandomState


def resolve_rng(rng: RandomLike) -> Generatorish:
    """Turn the accepted ``rng=`` values into an object with the three drawing methods."""
    if rng is None:
        # The module-level legacy generator; np.random.seed(...) controls it.
        return np.random.mtrand._rand
    if isinstance(rng, (np.random.Generator, np.random.RandomState)):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.RandomState(int(rng))
    raise TypeError(
        f"rng must be a numpy Generator, a numpy RandomState, an int seed or None; "
        f"received {type(rng).__name__}. Fix: pass e.g. rng=np.random.RandomState(0)."
    )
