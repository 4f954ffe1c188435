"""Learner-side code for ``autograder/checks/model.py`` (chapter 18).

Its checks: the Model's forward chain, backward chain and training loop. The correct versions
are the chapter notebooks' own solutions (:mod:`mistakes.book`). Each wrong class is a small
change to them, for one catalogued mistake, and carries ``mistake`` (the catalogue id the judge
must name) and ``check`` (the check that must fail); ``WRONG`` collects them.
"""

from __future__ import annotations

from . import book, wrong_classes

#: check name -> (chapter marker, the correct learner classes)
CHECKS = {
    "model_backward_chain": ("ch18", (book.Model,)),
    "model_forward_chain": ("ch18", (book.Model,)),
    "model_train": ("ch18", (book.Model,)),
}


class ModelWithoutTrainingFlag(book.Model):
    mistake, check = "model_training_flag_not_passed", "model_forward_chain"

    def forward(self, X, training):
        self.input_layer.forward(X, training)
        for layer in self.layers:
            layer.forward(layer.prev.output)
        return layer.output


class ModelForwardReturnsFirstLayer(book.Model):
    """Returns the first layer's output: [0] where [-1] belongs."""

    mistake, check = "model_forward_returns_another_layer", "model_forward_chain"

    def forward(self, X, training):
        super().forward(X, training)
        return self.layers[0].output


class ModelTrainOneEpochShort(book.Model):
    """range(1, epochs): one epoch fewer than asked for."""

    mistake, check = "model_train_epoch_count", "model_train"

    def train(self, X, y, *, epochs=1, print_every=1, validation_data=None):
        super().train(
            X, y, epochs=epochs - 1, print_every=print_every, validation_data=validation_data
        )


class ModelBackwardAveragedTwice(book.Model):
    """The shortcut's gradient divided by the number of samples once more."""

    mistake, check = "model_backward_start_scaled", "model_backward_chain"

    def backward(self, output, y):
        self.softmax_classifier_output.backward(output, y)
        self.layers[-1].dinputs = self.softmax_classifier_output.dinputs / len(output)
        for layer in reversed(self.layers[:-1]):
            layer.backward(layer.next.dinputs)


class ModelTrainsOnADoubledGradient(ModelBackwardAveragedTwice):
    mistake, check = "model_backward_start_scaled", "model_train"

    def backward(self, output, y):
        self.softmax_classifier_output.backward(output, y)
        self.layers[-1].dinputs = 2 * self.softmax_classifier_output.dinputs
        for layer in reversed(self.layers[:-1]):
            layer.backward(layer.next.dinputs)


#: (mistake id, check name, wrong class), sorted by check.
WRONG = wrong_classes(__name__)
