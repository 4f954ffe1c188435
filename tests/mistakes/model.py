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


#: (mistake id, check name, wrong class), sorted by check.
WRONG = wrong_classes(__name__)
