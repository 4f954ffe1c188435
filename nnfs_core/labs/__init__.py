"""Interactive labs: sliders that retrain the book's networks and redraw the pictures.

Which lab for which chapter:

==========================  =======  ====================================================
lab                         chapter  what it shows
==========================  =======  ====================================================
:class:`OptimizerLab`       10       one optimizer and its settings; regions, weights and
                                     updates, loss / accuracy / learning rate; replay
:class:`ScheduleExplorer`   10       ``lr / (1 + decay · step)``, instantly, pin to compare
:class:`OptimizerRace`      10       several optimizers from the same first weights
:class:`RegularizationLab`  14, 15   L1, L2 and dropout against overfitting, validation
:class:`BinaryLab`          16       sigmoid + binary cross-entropy on two spiral arms
:class:`RegressionLab`      17       fitting a sine; the initial weight scale's lesson
==========================  =======  ====================================================

In a notebook::

    %matplotlib widget
    from nnfs_core.labs import OptimizerLab
    lab = OptimizerLab()
    lab  # or lab.display()

Every lab is also drivable from Python (``lab.learning_rate.value = 0.1``), and its
training is plain Python too (``lab.run(settings)``, or the functions in
:mod:`nnfs_core.labs.training`). See ``README.md`` in this folder for the design (cache,
background training and Stop, whole-frame PNG pictures drawn by one thread) and a guided
experiment per lab. ``import nnfs_core`` does not import this package.
"""

from .binary import BinaryLab
from .optimizer import OptimizerLab
from .race import OptimizerRace, RaceSettings, run_race
from .regression import RegressionLab
from .regularization import RegularizationLab
from .schedule import ScheduleExplorer
from .training import (
    BinarySettings,
    OptimizerSettings,
    RegressionSettings,
    RegularizationSettings,
    TrainingResult,
)

__all__ = [
    "BinaryLab",
    "BinarySettings",
    "OptimizerLab",
    "OptimizerRace",
    "OptimizerSettings",
    "RaceSettings",
    "RegressionLab",
    "RegressionSettings",
    "RegularizationLab",
    "RegularizationSettings",
    "ScheduleExplorer",
    "TrainingResult",
    "run_race",
]
