"""Learner-side code for ``autograder/checks/optimizers.py`` (chapter 10).

Its checks: the optimizers: SGD with decay and momentum, AdaGrad, RMSProp, Adam. The correct
versions are the chapter notebooks' own solutions (:mod:`mistakes.book`). Each wrong class is a
small change to them, for one catalogued mistake, and carries ``mistake`` (the catalogue id the
judge must name) and ``check`` (the check that must fail); ``WRONG`` collects them.
"""

from __future__ import annotations

import numpy as np

from . import book, wrong_classes

#: check name -> (chapter marker, the correct learner classes)
CHECKS = {
    "adagrad": ("ch10", (book.Optimizer_Adagrad,)),
    "adam": ("ch10", (book.Optimizer_Adam,)),
    "rmsprop": ("ch10", (book.Optimizer_RMSprop,)),
    "sgd": ("ch10", (book.Optimizer_SGD,)),
    "sgd_decay": ("ch10", (book.Optimizer_SGD,)),
    "sgd_momentum": ("ch10", (book.Optimizer_SGD,)),
}


def _decayed(optimizer):
    return optimizer.learning_rate * (1.0 / (1.0 + optimizer.decay * optimizer.iterations))


class SGDUphill(book.Optimizer_SGD):
    mistake, check = "optimizer_moves_uphill", "sgd"

    def update_params(self, layer):
        layer.weights += self.current_learning_rate * layer.dweights
        layer.biases += self.current_learning_rate * layer.dbiases


class AdamUphill(book.Optimizer_Adam):
    mistake, check = "optimizer_moves_uphill", "adam"

    def update_params(self, layer):
        weights, biases = layer.weights.copy(), layer.biases.copy()
        super().update_params(layer)
        layer.weights = 2 * weights - layer.weights
        layer.biases = 2 * biases - layer.biases


class SGDDecayInPost(book.Optimizer_SGD):
    mistake, check = "decay_after_step", "sgd_decay"

    def pre_update_params(self):
        pass

    def post_update_params(self):
        self.iterations += 1
        if self.decay:
            self.current_learning_rate = _decayed(self)


class SGDIterationsEarly(book.Optimizer_SGD):
    mistake, check = "iterations_incremented_early", "sgd_decay"

    def pre_update_params(self):
        self.iterations += 1
        super().pre_update_params()

    def post_update_params(self):
        pass


class SGDDecayPlusOne(book.Optimizer_SGD):
    """Counts in post_update_params, as it should, but decays with iterations + 1."""

    mistake, check = "decay_iterations_plus_one", "sgd_decay"

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (
                1.0 / (1.0 + self.decay * (self.iterations + 1))
            )


class AdamDecayPlusOne(book.Optimizer_Adam):
    """The same + 1 in Adam's decay; its bias correction is right."""

    mistake, check = "decay_iterations_plus_one", "adam"

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (
                1.0 / (1.0 + self.decay * (self.iterations + 1))
            )


class AdagradIterationsPerLayer(book.Optimizer_Adagrad):
    mistake, check = "iterations_counted_per_layer", "adagrad"

    def update_params(self, layer):
        super().update_params(layer)
        self.iterations += 1

    def post_update_params(self):
        pass


class SGDDecayPrecedence(book.Optimizer_SGD):
    mistake, check = "decay_precedence", "sgd_decay"

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (
                1.0 / 1.0 + self.decay * self.iterations
            )


class SGDDecayPrecedenceDivision(book.Optimizer_SGD):
    """The same slip in the notebooks' form of the schedule, learning_rate / (1 + decay * t)."""

    mistake, check = "decay_precedence", "sgd_decay"

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate / 1.0 + self.decay * self.iterations


class RMSpropDecayCompounding(book.Optimizer_RMSprop):
    mistake, check = "decay_compounding", "rmsprop"

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.current_learning_rate * (
                1.0 / (1.0 + self.decay * self.iterations)
            )


class SGDMomentumNotStored(book.Optimizer_SGD):
    mistake, check = "momentum_not_stored", "sgd_momentum"

    def update_params(self, layer):
        if not hasattr(layer, "weight_momentums"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
        weight_updates = (
            self.momentum * layer.weight_momentums - self.current_learning_rate * layer.dweights
        )
        bias_updates = (
            self.momentum * layer.bias_momentums - self.current_learning_rate * layer.dbiases
        )
        layer.weights += weight_updates
        layer.biases += bias_updates


class SGDMomentumSign(book.Optimizer_SGD):
    mistake, check = "momentum_sign", "sgd_momentum"

    def update_params(self, layer):
        if not hasattr(layer, "weight_momentums"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
        layer.weight_momentums = (
            -self.momentum * layer.weight_momentums - self.current_learning_rate * layer.dweights
        )
        layer.bias_momentums = (
            -self.momentum * layer.bias_momentums - self.current_learning_rate * layer.dbiases
        )
        layer.weights += layer.weight_momentums
        layer.biases += layer.bias_momentums


class AdagradCacheReplaced(book.Optimizer_Adagrad):
    mistake, check = "adagrad_cache_replaced", "adagrad"

    def update_params(self, layer):
        layer.weight_cache = layer.dweights**2
        layer.bias_cache = layer.dbiases**2
        layer.weights += (
            -self.current_learning_rate
            * layer.dweights
            / (np.sqrt(layer.weight_cache) + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)
        )


class RMSpropRhoSwapped(book.Optimizer_RMSprop):
    mistake, check = "rmsprop_rho_swapped", "rmsprop"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache = (1 - self.rho) * layer.weight_cache + self.rho * layer.dweights**2
        layer.bias_cache = (1 - self.rho) * layer.bias_cache + self.rho * layer.dbiases**2
        layer.weights += (
            -self.current_learning_rate
            * layer.dweights
            / (np.sqrt(layer.weight_cache) + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)
        )


class AdamEpsilonInsideSqrt(book.Optimizer_Adam):
    mistake, check = "epsilon_inside_sqrt", "adam"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        step = self.iterations + 1
        for name in ("weight", "bias"):
            gradient = getattr(layer, "dweights" if name == "weight" else "dbiases")
            momentums = (
                self.beta_1 * getattr(layer, f"{name}_momentums") + (1 - self.beta_1) * gradient
            )
            cache = self.beta_2 * getattr(layer, f"{name}_cache") + (1 - self.beta_2) * gradient**2
            setattr(layer, f"{name}_momentums", momentums)
            setattr(layer, f"{name}_cache", cache)
            corrected = momentums / (1 - self.beta_1**step)
            cache_corrected = cache / (1 - self.beta_2**step)
            change = (
                -self.current_learning_rate * corrected / np.sqrt(cache_corrected + self.epsilon)
            )
            if name == "weight":
                layer.weights += change
            else:
                layer.biases += change


class AdagradEpsilonInsideSqrt(book.Optimizer_Adagrad):
    mistake, check = "epsilon_inside_sqrt", "adagrad"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache += layer.dweights**2
        layer.bias_cache += layer.dbiases**2
        layer.weights += (
            -self.current_learning_rate
            * layer.dweights
            / np.sqrt(layer.weight_cache + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate * layer.dbiases / np.sqrt(layer.bias_cache + self.epsilon)
        )


class AdamNoEpsilon(book.Optimizer_Adam):
    mistake, check = "epsilon_missing", "adam"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_momentums = (
            self.beta_1 * layer.weight_momentums + (1 - self.beta_1) * layer.dweights
        )
        layer.bias_momentums = (
            self.beta_1 * layer.bias_momentums + (1 - self.beta_1) * layer.dbiases
        )
        weight_momentums_corrected = layer.weight_momentums / (
            1 - self.beta_1 ** (self.iterations + 1)
        )
        bias_momentums_corrected = layer.bias_momentums / (1 - self.beta_1 ** (self.iterations + 1))
        layer.weight_cache = (
            self.beta_2 * layer.weight_cache + (1 - self.beta_2) * layer.dweights**2
        )
        layer.bias_cache = self.beta_2 * layer.bias_cache + (1 - self.beta_2) * layer.dbiases**2
        weight_cache_corrected = layer.weight_cache / (1 - self.beta_2 ** (self.iterations + 1))
        bias_cache_corrected = layer.bias_cache / (1 - self.beta_2 ** (self.iterations + 1))
        layer.weights += (
            -self.current_learning_rate
            * weight_momentums_corrected
            / np.sqrt(weight_cache_corrected)
        )
        layer.biases += (
            -self.current_learning_rate * bias_momentums_corrected / np.sqrt(bias_cache_corrected)
        )


class RMSpropNoEpsilon(book.Optimizer_RMSprop):
    mistake, check = "epsilon_missing", "rmsprop"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache = self.rho * layer.weight_cache + (1 - self.rho) * layer.dweights**2
        layer.bias_cache = self.rho * layer.bias_cache + (1 - self.rho) * layer.dbiases**2
        layer.weights += -self.current_learning_rate * layer.dweights / np.sqrt(layer.weight_cache)
        layer.biases += -self.current_learning_rate * layer.dbiases / np.sqrt(layer.bias_cache)


class AdamOffByOne(book.Optimizer_Adam):
    mistake, check = "adam_bias_correction_off_by_one", "adam"

    def update_params(self, layer):
        self.iterations -= 1
        try:
            super().update_params(layer)
        finally:
            self.iterations += 1


class AdamNoCorrection(book.Optimizer_Adam):
    mistake, check = "adam_no_bias_correction", "adam"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_momentums = (
            self.beta_1 * layer.weight_momentums + (1 - self.beta_1) * layer.dweights
        )
        layer.bias_momentums = (
            self.beta_1 * layer.bias_momentums + (1 - self.beta_1) * layer.dbiases
        )
        layer.weight_cache = (
            self.beta_2 * layer.weight_cache + (1 - self.beta_2) * layer.dweights**2
        )
        layer.bias_cache = self.beta_2 * layer.bias_cache + (1 - self.beta_2) * layer.dbiases**2
        layer.weights += (
            -self.current_learning_rate
            * layer.weight_momentums
            / (np.sqrt(layer.weight_cache) + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate
            * layer.bias_momentums
            / (np.sqrt(layer.bias_cache) + self.epsilon)
        )


class RMSpropStateOnOptimizer(book.Optimizer_RMSprop):
    mistake, check = "optimizer_state_not_on_layer", "rmsprop"

    def update_params(self, layer):
        if not hasattr(self, "weight_cache"):
            self.weight_cache = np.zeros_like(layer.weights)
            self.bias_cache = np.zeros_like(layer.biases)
        self.weight_cache = self.rho * self.weight_cache + (1 - self.rho) * layer.dweights**2
        self.bias_cache = self.rho * self.bias_cache + (1 - self.rho) * layer.dbiases**2
        layer.weights += (
            -self.current_learning_rate
            * layer.dweights
            / (np.sqrt(self.weight_cache) + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate * layer.dbiases / (np.sqrt(self.bias_cache) + self.epsilon)
        )


class RMSpropOwnStateNamesNoLearningRate(book.Optimizer_RMSprop):
    """Not a catalogued mistake: the state is on each layer under names of its own, and the
    step leaves out the learning rate. Advice about state kept on the optimizer would point at
    code that is right (tests/test_check_advice.py)."""

    def update_params(self, layer):
        if not hasattr(layer, "cache_w"):
            layer.cache_w = np.zeros_like(layer.weights)
            layer.cache_b = np.zeros_like(layer.biases)
        layer.cache_w = self.rho * layer.cache_w + (1 - self.rho) * layer.dweights**2
        layer.cache_b = self.rho * layer.cache_b + (1 - self.rho) * layer.dbiases**2
        layer.weights += -layer.dweights / (np.sqrt(layer.cache_w) + self.epsilon)
        layer.biases += -layer.dbiases / (np.sqrt(layer.cache_b) + self.epsilon)


class SGDDecayWithoutTheDecayFactor(book.Optimizer_SGD):
    """The rate divided by 1 + iterations: self.decay left out of the schedule."""

    mistake, check = "optimizer_schedule_wrong", "sgd_decay"

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate / (1.0 + self.iterations)


class AdamMomentumWithoutOneMinusBeta(book.Optimizer_Adam):
    """The new gradient enters the momentum unscaled: b1 * m + g, not b1 * m + (1 - b1) * g."""

    mistake, check = "optimizer_state_update_wrong", "adam"

    def update_params(self, layer):
        b1, b2 = self.beta_1, self.beta_2
        if not hasattr(layer, "weight_momentums"):
            for name in ("weight_momentums", "weight_cache"):
                setattr(layer, name, np.zeros_like(layer.weights))
            for name in ("bias_momentums", "bias_cache"):
                setattr(layer, name, np.zeros_like(layer.biases))
        layer.weight_momentums = b1 * layer.weight_momentums + layer.dweights
        layer.bias_momentums = b1 * layer.bias_momentums + layer.dbiases
        layer.weight_cache = b2 * layer.weight_cache + (1 - b2) * layer.dweights**2
        layer.bias_cache = b2 * layer.bias_cache + (1 - b2) * layer.dbiases**2
        t = self.iterations + 1
        for parameter, momentum, cache in (
            ("weights", layer.weight_momentums, layer.weight_cache),
            ("biases", layer.bias_momentums, layer.bias_cache),
        ):
            m_hat, v_hat = momentum / (1 - b1**t), cache / (1 - b2**t)
            step = self.current_learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)
            setattr(layer, parameter, getattr(layer, parameter) - step)


class RMSpropWithoutTheSquareRoot(book.Optimizer_RMSprop):
    """The step divides by the cache itself, not by its square root."""

    mistake, check = "optimizer_step_wrong", "rmsprop"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        keep = self.rho
        layer.weight_cache = keep * layer.weight_cache + (1 - keep) * layer.dweights**2
        layer.bias_cache = keep * layer.bias_cache + (1 - keep) * layer.dbiases**2
        rate = self.current_learning_rate
        layer.weights -= rate * layer.dweights / (layer.weight_cache + self.epsilon)
        layer.biases -= rate * layer.dbiases / (layer.bias_cache + self.epsilon)


#: (mistake id, check name, wrong class), sorted by check.
WRONG = wrong_classes(__name__)
