"""nnfs_core: the reference implementation behind the course notebooks.

Every component of "Neural Networks from Scratch in Python" (chapters 2 to 22),
vectorised in NumPy, float64 by default, with errors that say what was received,
what was expected and how to fix it. PEP 8 names live here; the book's names
(``Layer_Dense``, ``Optimizer_Adam``...) are the very same objects in
:mod:`nnfs_core.book`.
"""

from .accuracy import Accuracy, CategoricalAccuracy, RegressionAccuracy
from .activations import Linear, ReLU, Sigmoid, Softmax
from .datasets import (
    FASHION_MNIST_LABELS,
    load_digits,
    load_fashion_mnist,
    sine_data,
    spiral_data,
    train_test_split,
    vertical_data,
)
from .gradcheck import GradientCheckError, GradientCheckResult, gradcheck
from .layers import Dense, Dropout, Input
from .losses import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    Loss,
    MeanAbsoluteError,
    MeanSquaredError,
    SoftmaxCategoricalCrossentropy,
)
from .model import History, Model
from .optimizers import SGD, Adagrad, Adam, Optimizer, RMSprop
from .scaling import MinMaxScaler
from .splits import HoldOut, KFold

__version__ = "0.1.0"

__all__ = [
    "FASHION_MNIST_LABELS",
    "SGD",
    "Accuracy",
    "Adagrad",
    "Adam",
    "BinaryCrossentropy",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "Dense",
    "Dropout",
    "GradientCheckError",
    "GradientCheckResult",
    "History",
    "HoldOut",
    "Input",
    "KFold",
    "Linear",
    "Loss",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "MinMaxScaler",
    "Model",
    "Optimizer",
    "RMSprop",
    "ReLU",
    "RegressionAccuracy",
    "Sigmoid",
    "Softmax",
    "SoftmaxCategoricalCrossentropy",
    "gradcheck",
    "load_digits",
    "load_fashion_mnist",
    "sine_data",
    "spiral_data",
    "train_test_split",
    "vertical_data",
]
