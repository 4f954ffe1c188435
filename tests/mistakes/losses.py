"""Learner-side code for ``autograder/checks/losses.py`` (chapters 9, 16 and 17).

Its checks: the losses: categorical and binary cross-entropy, MSE, MAE, and softmax with
categorical cross-entropy. The correct versions are the chapter notebooks' own solutions
(:mod:`mistakes.book`). Each wrong class is a small change to them, for one catalogued mistake,
and carries ``mistake`` (the catalogue id the judge must name) and ``check`` (the check that
must fail); ``WRONG`` collects them.
"""

from __future__ import annotations

import numpy as np

from . import book, wrong_classes

#: check name -> (chapter marker, the correct learner classes)
CHECKS = {
    "bce_backward": ("ch16", (book.Loss_BinaryCrossentropy,)),
    "bce_forward": ("ch16", (book.Loss_BinaryCrossentropy,)),
    "cce_backward": ("ch09", (book.Loss_CategoricalCrossentropy,)),
    "cce_forward": ("ch09", (book.Loss_CategoricalCrossentropy,)),
    "mae_backward": ("ch17", (book.Loss_MeanAbsoluteError,)),
    "mae_forward": ("ch17", (book.Loss_MeanAbsoluteError,)),
    "mse_backward": ("ch17", (book.Loss_MeanSquaredError,)),
    "mse_forward": ("ch17", (book.Loss_MeanSquaredError,)),
    "softmax_cce_backward": ("ch09", (book.Activation_Softmax_Loss_CategoricalCrossentropy,)),
}


class CCENoClip(book.Loss_CategoricalCrossentropy):
    mistake, check = "log_without_clipping", "cce_forward"

    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred[range(samples), y_true]
        else:
            correct_confidences = np.sum(y_pred * y_true, axis=1)
        return -np.log(correct_confidences)


class CCEClipLowOnly(book.Loss_CategoricalCrossentropy):
    mistake, check = "clip_one_side", "cce_forward"

    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        y_pred_clipped = np.clip(y_pred, 1e-7, None)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred_clipped[range(samples), y_true]
        else:
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
        return -np.log(correct_confidences)


class CCEOneHotWrongAxis(book.Loss_CategoricalCrossentropy):
    mistake, check = "cce_onehot_wrong_axis", "cce_forward"

    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred_clipped[range(samples), y_true]
        else:
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=0)
        return -np.log(correct_confidences)


class CCESparseOnly(book.Loss_CategoricalCrossentropy):
    mistake, check = "onehot_labels_not_handled", "cce_forward"

    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        return -np.log(y_pred_clipped[range(samples), y_true])


class CCESumNotMean(book.Loss_CategoricalCrossentropy):
    mistake, check = "loss_summed_not_averaged", "cce_forward"

    def calculate(self, output, y):
        return np.sum(self.forward(output, y))


class CCEBackwardNotAveraged(book.Loss_CategoricalCrossentropy):
    mistake, check = "gradient_not_averaged", "cce_backward"

    def backward(self, dvalues, y_true):
        labels = len(dvalues[0])
        if len(y_true.shape) == 1:
            y_true = np.eye(labels)[y_true]
        self.dinputs = -y_true / dvalues


class CCEBackwardSign(book.Loss_CategoricalCrossentropy):
    mistake, check = "gradient_sign_flipped", "cce_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        labels = len(dvalues[0])
        if len(y_true.shape) == 1:
            y_true = np.eye(labels)[y_true]
        self.dinputs = y_true / dvalues / samples


class CCEForwardNoMinus(book.Loss_CategoricalCrossentropy):
    """The minus in front of the log left out: every sample loss is negative."""

    mistake, check = "result_off_by_a_constant_factor", "cce_forward"

    def forward(self, y_pred, y_true):
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred_clipped[range(len(y_pred)), y_true]
        else:
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
        return np.log(correct_confidences)


class CCEForwardNoLog(book.Loss_CategoricalCrossentropy):
    """The log forgotten: the loss is minus the correct class's confidence."""

    mistake, check = "cce_formula_slip", "cce_forward"

    def forward(self, y_pred, y_true):
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred_clipped[range(len(y_pred)), y_true]
        else:
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
        return -correct_confidences


class CCEOneHotWithoutLog(book.Loss_CategoricalCrossentropy):
    """Right with sparse labels; the one-hot branch forgets np.log."""

    mistake, check = "cce_formula_slip", "cce_forward"

    def forward(self, y_pred, y_true):
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            return -np.log(y_pred_clipped[range(len(y_pred)), y_true])
        return -np.sum(y_pred_clipped * y_true, axis=1)


class CCEBackwardWithoutPredictions(book.Loss_CategoricalCrossentropy):
    """The derivative of -log(p) taken as -1: the division by the predictions left out."""

    mistake, check = "cce_formula_slip", "cce_backward"

    def backward(self, dvalues, y_true):
        samples, labels = len(dvalues), len(dvalues[0])
        if len(y_true.shape) == 1:
            y_true = np.eye(labels)[y_true]
        self.dinputs = -y_true / samples


class CombinedAddsOne(book.Activation_Softmax_Loss_CategoricalCrossentropy):
    """1 added at the correct class instead of subtracted."""

    mistake, check = "softmax_cce_missing_subtract", "softmax_cce_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y_true] += 1
        self.dinputs = self.dinputs / samples


class CombinedMutatesDvalues(book.Activation_Softmax_Loss_CategoricalCrossentropy):
    mistake, check = "softmax_cce_backward_mutates_dvalues", "softmax_cce_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


class CombinedMissingSubtract(book.Activation_Softmax_Loss_CategoricalCrossentropy):
    mistake, check = "softmax_cce_missing_subtract", "softmax_cce_backward"

    def backward(self, dvalues, y_true):
        self.dinputs = dvalues.copy() / len(dvalues)


class BCEBackwardNotClipped(book.Loss_BinaryCrossentropy):
    """Right wherever 0 < prediction < 1; divides by zero at exactly 0 or 1."""

    mistake, check = "bce_backward_not_clipped", "bce_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        outputs = len(dvalues[0])
        self.dinputs = -(y_true / dvalues - (1 - y_true) / (1 - dvalues)) / outputs
        self.dinputs = self.dinputs / samples


class BCENoClip(book.Loss_BinaryCrossentropy):
    mistake, check = "log_without_clipping", "bce_forward"

    def forward(self, y_pred, y_true):
        sample_losses = -(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))
        return np.mean(sample_losses, axis=-1)


class BCEClipLowOnly(book.Loss_BinaryCrossentropy):
    mistake, check = "clip_one_side", "bce_forward"

    def forward(self, y_pred, y_true):
        y_pred_clipped = np.maximum(y_pred, 1e-7)
        sample_losses = -(
            y_true * np.log(y_pred_clipped) + (1 - y_true) * np.log(1 - y_pred_clipped)
        )
        return np.mean(sample_losses, axis=-1)


class BCENotDividedByOutputs(book.Loss_BinaryCrossentropy):
    mistake, check = "gradient_not_divided_by_outputs", "bce_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        clipped_dvalues = np.clip(dvalues, 1e-7, 1 - 1e-7)
        self.dinputs = -(y_true / clipped_dvalues - (1 - y_true) / (1 - clipped_dvalues))
        self.dinputs = self.dinputs / samples


class BCEBackwardNotAveraged(book.Loss_BinaryCrossentropy):
    mistake, check = "gradient_not_averaged", "bce_backward"

    def backward(self, dvalues, y_true):
        outputs = len(dvalues[0])
        clipped_dvalues = np.clip(dvalues, 1e-7, 1 - 1e-7)
        self.dinputs = -(y_true / clipped_dvalues - (1 - y_true) / (1 - clipped_dvalues)) / outputs


class BCESecondTermWithLogOfP(book.Loss_BinaryCrossentropy):
    """log(p) where log(1 - p) belongs, in the second term only."""

    mistake, check = "bce_formula_slip", "bce_forward"

    def forward(self, y_pred, y_true):
        clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        sample_losses = -(y_true * np.log(clipped) + (1 - y_true) * np.log(clipped))
        return np.mean(sample_losses, axis=-1)


class BCEBackwardFractionsAdded(book.Loss_BinaryCrossentropy):
    """The two fractions of the gradient added instead of subtracted."""

    mistake, check = "bce_gradient_slip", "bce_backward"

    def backward(self, dvalues, y_true):
        samples, outputs = len(dvalues), len(dvalues[0])
        clipped = np.clip(dvalues, 1e-7, 1 - 1e-7)
        self.dinputs = -(y_true / clipped + (1 - y_true) / (1 - clipped)) / outputs / samples


class MSEBackwardAveragedTwice(book.Loss_MeanSquaredError):
    """The gradient divided by the number of samples twice."""

    mistake, check = "result_off_by_a_constant_factor", "mse_backward"

    def backward(self, dvalues, y_true):
        samples, outputs = len(dvalues), len(dvalues[0])
        self.dinputs = -2 * (y_true - dvalues) / outputs / samples / samples


class MSEBackwardAveragedToOneNumber(book.Loss_MeanSquaredError):
    """The forward's np.mean carried into the backward: one number instead of a gradient."""

    mistake, check = "result_is_one_number", "mse_backward"

    def backward(self, dvalues, y_true):
        samples, outputs = len(dvalues), len(dvalues[0])
        self.dinputs = np.mean(-2 * (y_true - dvalues) / outputs) / samples


class MAEWithoutAbs(book.Loss_MeanAbsoluteError):
    """The differences averaged with their signs: np.abs left out."""

    mistake, check = "regression_loss_slip", "mae_forward"

    def forward(self, y_pred, y_true):
        return np.mean(y_true - y_pred, axis=-1)


class MSEMeanWrongAxis(book.Loss_MeanSquaredError):
    mistake, check = "loss_mean_wrong_axis", "mse_forward"

    def forward(self, y_pred, y_true):
        return np.mean((y_true - y_pred) ** 2, axis=0)


class MSEMissingFactor2(book.Loss_MeanSquaredError):
    mistake, check = "mse_missing_factor_2", "mse_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        outputs = len(dvalues[0])
        self.dinputs = -(y_true - dvalues) / outputs / samples


class MSEBackwardSign(book.Loss_MeanSquaredError):
    mistake, check = "gradient_sign_flipped", "mse_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        outputs = len(dvalues[0])
        self.dinputs = 2 * (y_true - dvalues) / outputs / samples


class MAESignBackwards(book.Loss_MeanAbsoluteError):
    """The sign the printed book's code uses: sign(y_true - dvalues)."""

    mistake, check = "mae_sign_backwards", "mae_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        outputs = len(dvalues[0])
        self.dinputs = np.sign(y_true - dvalues) / outputs
        self.dinputs = self.dinputs / samples


class MAESumNotMean(book.Loss_MeanAbsoluteError):
    mistake, check = "loss_summed_not_averaged", "mae_forward"

    def calculate(self, output, y):
        return np.sum(self.forward(output, y))


#: (mistake id, check name, wrong class), sorted by check.
WRONG = wrong_classes(__name__)
