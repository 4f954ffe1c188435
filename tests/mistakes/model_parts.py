"""Learner-side code for the chapter 18 Model checks of ``autograder/checks/model_parts.py``.

Correct versions: the book's way (an index loop linking ``prev``/``next``), a compact way
(``zip`` over the chain input layer → layers → loss), and ``nnfs_core``'s own ``Model``, which
keeps no links at all. The Models compare with the reference classes of ``nnfs_core.book``,
as the chapter 18 notebook imports them. Then one wrong class per catalogued mistake, each
carrying ``mistake`` (the catalogue id) and ``check`` (the check that must name it).
"""

from __future__ import annotations

import inspect
import sys

import nnfs_core.book as reference
from nnfs_core.book import (
    Activation_Softmax,
    Activation_Softmax_Loss_CategoricalCrossentropy,
    Loss_CategoricalCrossentropy,
)

# =============================================================================================
# Correct
# =============================================================================================


class Layer_Input:
    def forward(self, inputs, training):
        self.output = inputs


class Model:
    """The book's chapter 18 Model, written with an index loop."""

    def __init__(self):
        self.layers = []
        self.softmax_classifier_output = None

    def add(self, layer):
        self.layers.append(layer)

    def set(self, *, loss, optimizer, accuracy):
        self.loss = loss
        self.optimizer = optimizer
        self.accuracy = accuracy

    def finalize(self):
        self.input_layer = Layer_Input()
        layer_count = len(self.layers)
        self.trainable_layers = []
        for i in range(layer_count):
            if i == 0:
                self.layers[i].prev = self.input_layer
            else:
                self.layers[i].prev = self.layers[i - 1]
            if i < layer_count - 1:
                self.layers[i].next = self.layers[i + 1]
            else:
                self.layers[i].next = self.loss
                self.output_layer_activation = self.layers[i]
            if hasattr(self.layers[i], "weights"):
                self.trainable_layers.append(self.layers[i])
        self.loss.remember_trainable_layers(self.trainable_layers)
        if isinstance(self.layers[-1], Activation_Softmax) and isinstance(
            self.loss, Loss_CategoricalCrossentropy
        ):
            self.softmax_classifier_output = Activation_Softmax_Loss_CategoricalCrossentropy()

    def forward(self, X, training):
        self.input_layer.forward(X, training)
        for layer in self.layers:
            layer.forward(layer.prev.output, training)
        return layer.output

    def backward(self, output, y):
        if self.softmax_classifier_output is not None:
            self.softmax_classifier_output.backward(output, y)
            self.layers[-1].dinputs = self.softmax_classifier_output.dinputs
            for layer in reversed(self.layers[:-1]):
                layer.backward(layer.next.dinputs)
            return
        self.loss.backward(output, y)
        for layer in reversed(self.layers):
            layer.backward(layer.next.dinputs)


class Model_Compact(Model):
    """The same Model linking the chain with zip and passing gradients in a variable."""

    def finalize(self):
        self.input_layer = Layer_Input()
        chain = [self.input_layer, *self.layers, self.loss]
        for before, layer, after in zip(chain, chain[1:], chain[2:]):
            layer.prev, layer.next = before, after
        self.trainable_layers = [layer for layer in self.layers if hasattr(layer, "weights")]
        self.output_layer_activation = self.layers[-1]
        self.loss.remember_trainable_layers(self.trainable_layers)
        shortcut = isinstance(self.layers[-1], Activation_Softmax) and isinstance(
            self.loss, Loss_CategoricalCrossentropy
        )
        self.softmax_classifier_output = (
            Activation_Softmax_Loss_CategoricalCrossentropy() if shortcut else None
        )

    def backward(self, output, y):
        if self.softmax_classifier_output is not None:
            gradient = self.softmax_classifier_output.backward(output, y)
            self.layers[-1].dinputs = gradient
            remaining = self.layers[:-1]
        else:
            gradient = self.loss.backward(output, y)
            remaining = self.layers
        for layer in reversed(remaining):
            layer.backward(gradient)
            gradient = layer.dinputs


# =============================================================================================
# Wrong: the input layer
# =============================================================================================


class InputWithoutTraining(Layer_Input):
    mistake, check = "input_layer_without_training_flag", "input_layer"

    def forward(self, inputs):
        self.output = inputs


class InputOnlyReturned(Layer_Input):
    mistake, check = "input_layer_output_not_stored", "input_layer"

    def forward(self, inputs, training):
        return inputs


# =============================================================================================
# Wrong: finalize
# =============================================================================================


class FinalizeWithoutInputLayer(Model):
    mistake, check = "model_input_layer_missing", "model_finalize"

    def finalize(self):
        super().finalize()
        del self.input_layer


class FinalizeSwapped(Model):
    mistake, check = "model_prev_next_swapped", "model_finalize"

    def finalize(self):
        super().finalize()
        for layer in self.layers:
            layer.prev, layer.next = layer.next, layer.prev


class FinalizeLoopFromOne(Model):
    """Links each layer to the one before from index 1 on, forgetting the first."""

    mistake, check = "model_first_layer_not_linked_to_input", "model_finalize"

    def finalize(self):
        super().finalize()
        del self.layers[0].prev


class FinalizeLastNextIsNone(Model):
    mistake, check = "model_last_layer_not_linked_to_loss", "model_finalize"

    def finalize(self):
        super().finalize()
        self.layers[-1].next = None


class FinalizeNextIsItself(Model):
    """next = self.layers[i] in the loop's middle branch: the + 1 forgotten."""

    mistake, check = "model_link_index_slip", "model_finalize"

    def finalize(self):
        super().finalize()
        for i in range(len(self.layers) - 1):
            self.layers[i].next = self.layers[i]


class FinalizePrevOnlyForFirst(Model):
    """The else branch for prev forgotten: only the first layer gets one."""

    mistake, check = "model_link_index_slip", "model_finalize"

    def finalize(self):
        super().finalize()
        for layer in self.layers[1:]:
            del layer.prev


class FinalizeEverythingTrainable(Model):
    mistake, check = "model_every_layer_trainable", "model_finalize"

    def finalize(self):
        super().finalize()
        self.trainable_layers = list(self.layers)
        self.loss.remember_trainable_layers(self.trainable_layers)


class FinalizeLossNotTold(Model_Compact):
    mistake, check = "model_loss_not_told_trainable_layers", "model_finalize"

    def finalize(self):
        super().finalize()
        self.loss.remember_trainable_layers([])


class FinalizeOutputActivationFirst(Model):
    mistake, check = "model_output_activation_not_last_layer", "model_finalize"

    def finalize(self):
        super().finalize()
        self.output_layer_activation = self.layers[0]


class FinalizeNeverShortcut(Model):
    """Leaves out the test for softmax + categorical cross-entropy."""

    mistake, check = "model_shortcut_not_chosen", "model_finalize"

    def finalize(self):
        super().finalize()
        self.softmax_classifier_output = None


class FinalizeShortcutForAnyLoss(Model):
    mistake, check = "model_shortcut_chosen_for_every_model", "model_finalize"

    def finalize(self):
        super().finalize()
        self.softmax_classifier_output = Activation_Softmax_Loss_CategoricalCrossentropy()


# =============================================================================================
# Wrong: backward
# =============================================================================================


class BackwardSoftmaxNotSkipped(Model):
    """Runs every layer's backward after the combined one, asking the loss for dinputs."""

    mistake, check = "model_softmax_backward_not_skipped", "model_backward_paths"

    def backward(self, output, y):
        if self.softmax_classifier_output is not None:
            self.softmax_classifier_output.backward(output, y)
            self.layers[-1].dinputs = self.softmax_classifier_output.dinputs
        else:
            self.loss.backward(output, y)
        for layer in reversed(self.layers):
            layer.backward(layer.next.dinputs)


class BackwardSoftmaxAppliedTwice(Model_Compact):
    """Passes the combined gradient into the softmax's backward as well."""

    mistake, check = "model_softmax_backward_not_skipped", "model_backward_paths"

    def backward(self, output, y):
        if self.softmax_classifier_output is not None:
            gradient = self.softmax_classifier_output.backward(output, y)
        else:
            gradient = self.loss.backward(output, y)
        for layer in reversed(self.layers):
            gradient = layer.backward(gradient)


class BackwardForwardOrder(Model):
    mistake, check = "model_backward_not_reversed", "model_backward_paths"

    def backward(self, output, y):
        if self.softmax_classifier_output is not None:
            self.softmax_classifier_output.backward(output, y)
            self.layers[-1].dinputs = self.softmax_classifier_output.dinputs
            for layer in self.layers[:-1]:
                layer.backward(layer.next.dinputs)
            return
        self.loss.backward(output, y)
        for layer in self.layers:
            layer.backward(layer.next.dinputs)


class BackwardLossSkipped(Model):
    mistake, check = "model_loss_backward_skipped", "model_backward_paths"

    def backward(self, output, y):
        if self.softmax_classifier_output is not None:
            super().backward(output, y)
            return
        self.layers[-1].backward(output)
        for layer in reversed(self.layers[:-1]):
            layer.backward(layer.next.dinputs)


class BackwardAlwaysSkipsLast(Model_Compact):
    mistake, check = "model_last_activation_skipped_without_shortcut", "model_backward_paths"

    def backward(self, output, y):
        if self.softmax_classifier_output is not None:
            gradient = self.softmax_classifier_output.backward(output, y)
            self.layers[-1].dinputs = gradient
        else:
            gradient = self.loss.backward(output, y)
        for layer in reversed(self.layers[:-1]):
            gradient = layer.backward(gradient)


# =============================================================================================


class ModelNextIsPrevious(Model):
    """Links next with the index of prev (i - 1), as a copy of the line above."""

    mistake, check = "model_next_links_wrong", "model_backward_paths"

    def finalize(self):
        super().finalize()
        for i in range(1, len(self.layers) - 1):
            self.layers[i].next = self.layers[i - 1]


class ModelShortcutGradientNotStored(Model):
    """Walks the layers backwards, as it should, but never stores the combined object's
    gradient as the softmax's dinputs. The layer before the softmax then finds no dinputs;
    advice to reverse the loop would point at code that is right (tests/test_check_advice.py).
    """

    mistake, check = "model_shortcut_gradient_not_stored", "model_backward_paths"

    def backward(self, output, y):
        if self.softmax_classifier_output is not None:
            self.softmax_classifier_output.backward(output, y)
            for layer in reversed(self.layers[:-1]):
                layer.backward(layer.next.dinputs)
            return
        self.loss.backward(output, y)
        for layer in reversed(self.layers):
            layer.backward(layer.next.dinputs)


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0], item[2].__name__))


WRONG = _collect()

CHECKS = {
    "input_layer": ("ch18", (Layer_Input, reference.Layer_Input)),
    "model_finalize": ("ch18", (Model, Model_Compact, reference.Model)),
    "model_backward_paths": ("ch18", (Model, Model_Compact, reference.Model)),
}
