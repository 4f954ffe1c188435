"""The book's names for nnfs_core's classes and functions.

Each name here is the very same object as its PEP 8 twin (``Layer_Dense is
Dense``), so notebooks can speak the book's language while tests, plots and
the grader use either name interchangeably.
"""

from . import (
    SGD,
    Accuracy,
    Adagrad,
    Adam,
    BinaryCrossentropy,
    CategoricalAccuracy,
    CategoricalCrossentropy,
    Dense,
    Dropout,
    Input,
    Linear,
    Loss,
    MeanAbsoluteError,
    MeanSquaredError,
    Model,
    RegressionAccuracy,
    ReLU,
    RMSprop,
    Sigmoid,
    Softmax,
    SoftmaxCategoricalCrossentropy,
    sine_data,
    spiral_data,
    vertical_data,
)

Layer_Dense = Dense
Layer_Dropout = Dropout
Layer_Input = Input
Activation_ReLU = ReLU
Activation_Softmax = Softmax
Activation_Sigmoid = Sigmoid
Activation_Linear = Linear
Loss_CategoricalCrossentropy = CategoricalCrossentropy
Loss_BinaryCrossentropy = BinaryCrossentropy
Loss_MeanSquaredError = MeanSquaredError
Loss_MeanAbsoluteError = MeanAbsoluteError
Activation_Softmax_Loss_CategoricalCrossentropy = SoftmaxCategoricalCrossentropy
Optimizer_SGD = SGD
Optimizer_Adagrad = Adagrad
Optimizer_RMSprop = RMSprop
Optimizer_Adam = Adam
Accuracy_Categorical = CategoricalAccuracy
Accuracy_Regression = RegressionAccuracy

#: Book name → PEP 8 name, for documentation and for the tests that check the pairs.
BOOK_NAMES: dict[str, str] = {
    "Layer_Dense": "Dense",
    "Layer_Dropout": "Dropout",
    "Layer_Input": "Input",
    "Activation_ReLU": "ReLU",
    "Activation_Softmax": "Softmax",
    "Activation_Sigmoid": "Sigmoid",
    "Activation_Linear": "Linear",
    "Loss_CategoricalCrossentropy": "CategoricalCrossentropy",
    "Loss_BinaryCrossentropy": "BinaryCrossentropy",
    "Loss_MeanSquaredError": "MeanSquaredError",
    "Loss_MeanAbsoluteError": "MeanAbsoluteError",
    "Activation_Softmax_Loss_CategoricalCrossentropy": "SoftmaxCategoricalCrossentropy",
    "Optimizer_SGD": "SGD",
    "Optimizer_Adagrad": "Adagrad",
    "Optimizer_RMSprop": "RMSprop",
    "Optimizer_Adam": "Adam",
    "Accuracy_Categorical": "CategoricalAccuracy",
    "Accuracy_Regression": "RegressionAccuracy",
    "Loss": "Loss",
    "Accuracy": "Accuracy",
    "Model": "Model",
    "spiral_data": "spiral_data",
    "vertical_data": "vertical_data",
    "sine_data": "sine_data",
}

# Spelled out (not built from BOOK_NAMES) so linters see the re-exports as used.
__all__ = [
    "BOOK_NAMES",
    "Layer_Dense",
    "Layer_Dropout",
    "Layer_Input",
    "Activation_ReLU",
    "Activation_Softmax",
    "Activation_Sigmoid",
    "Activation_Linear",
    "Loss_CategoricalCrossentropy",
    "Loss_BinaryCrossentropy",
    "Loss_MeanSquaredError",
    "Loss_MeanAbsoluteError",
    "Activation_Softmax_Loss_CategoricalCrossentropy",
    "Optimizer_SGD",
    "Optimizer_Adagrad",
    "Optimizer_RMSprop",
    "Optimizer_Adam",
    "Accuracy_Categorical",
    "Accuracy_Regression",
    "Loss",
    "Accuracy",
    "Model",
    "spiral_data",
    "vertical_data",
    "sine_data",
]
