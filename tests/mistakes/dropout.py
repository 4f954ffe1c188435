"""Learner-side code for ``autograder/checks/dropout.py`` (chapter 15).

Its checks: the dropout layer. The correct versions are the chapter notebooks' own solutions
(:mod:`mistakes.book`). Each wrong class is a small change to them, for one catalogued mistake,
and carries ``mistake`` (the catalogue id the judge must name) and ``check`` (the check that
must fail); ``WRONG`` collects them.
"""

from __future__ import annotations

import numpy as np

from . import book, wrong_classes

#: check name -> (chapter marker, the correct learner classes)
CHECKS = {
    "dropout": ("ch15", (book.Layer_Dropout,)),
}


class DropoutRateAsKeep(book.Layer_Dropout):
    mistake, check = "dropout_rate_as_keep", "dropout"

    def __init__(self, rate):
        super().__init__(rate)
        self.rate = rate  # the share to drop, then used as the share to keep


class DropoutNotRescaled(book.Layer_Dropout_ch15):
    mistake, check = "dropout_not_rescaled", "dropout"

    def forward(self, inputs):
        self.inputs = inputs
        self.binary_mask = np.random.binomial(1, self.rate, size=inputs.shape)
        self.output = inputs * self.binary_mask


class DropoutMaskNotApplied(book.Layer_Dropout):
    """Draws the mask, scaled as it should be, and then forgets to multiply by it."""

    mistake, check = "dropout_nothing_dropped", "dropout"

    def forward(self, inputs, training):
        self.inputs = inputs
        if not training:
            self.output = inputs.copy()
            return
        self.binary_mask = np.random.binomial(1, self.rate, size=inputs.shape) / self.rate
        self.output = inputs.copy()


class DropoutBackwardNoMask(book.Layer_Dropout):
    mistake, check = "dropout_backward_without_mask", "dropout"

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()


class DropoutAtInference(book.Layer_Dropout):
    mistake, check = "dropout_active_at_inference", "dropout"

    def forward(self, inputs, training):
        self.inputs = inputs
        self.binary_mask = np.random.binomial(1, self.rate, size=inputs.shape) / self.rate
        self.output = inputs * self.binary_mask


class DropoutOtherGeneratorRateAsKeep(book.Layer_Dropout):
    """Draws its mask with np.random.random_sample, so only the structure can tell."""

    mistake, check = "dropout_rate_as_keep", "dropout"

    def __init__(self, rate):
        super().__init__(rate)
        self.rate = rate  # the share to drop, then used as the share to keep

    def forward(self, inputs, training):
        self.inputs = inputs
        if not training:
            self.output = inputs.copy()
            return
        self.binary_mask = (np.random.random_sample(inputs.shape) > 1 - self.rate) / self.rate
        self.output = inputs * self.binary_mask


class DropoutBackwardMaskAlone(book.Layer_Dropout):
    """The backward hands back the mask itself, without dvalues."""

    mistake, check = "dropout_mask_alone", "dropout"

    def backward(self, dvalues):
        self.dinputs = self.binary_mask.copy()


#: (mistake id, check name, wrong class), sorted by check.
WRONG = wrong_classes(__name__)
