"""The old home of the catalogue of mistakes, kept as an alias of :mod:`.shared`.

The catalogue's entries now live in the module of the family whose checks they explain
(``dense.py``, ``losses.py``...; see the table in this folder's README). Code written before
the move imports ``CATALOGUE``, ``mistake`` or ``diagnose`` from here; new code imports them
from :mod:`autograder.checks.shared`.
"""

from __future__ import annotations

from .shared import CATALOGUE, Mistake, candidates, diagnose, mistake

__all__ = ["CATALOGUE", "Mistake", "candidates", "diagnose", "mistake"]
