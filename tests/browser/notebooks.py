"""Small notebooks written by the browser tests themselves, each a lab in miniature: sliders that
drive an ipympl figure, built only from ipywidgets, matplotlib and nnfs_core, so the browser
machinery can be proven before (and independently of) the course's own labs and notebooks.

Every notebook also shows a text readout (an ipywidgets HTML widget with a CSS class) that the
kernel rewrites after each redraw: a test reads it to know which values the kernel really used.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

# The analytic schedule of the book's decay (chapter 10): lr_t = lr / (1 + decay * t).
SCHEDULE_SETUP = """\
%matplotlib widget
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

STEPS = np.arange(0, 10_001)
with plt.ioff():
    fig, ax = plt.subplots(figsize=(6, 3.5))
fig.canvas.header_visible = False
(line,) = ax.plot(STEPS, np.ones_like(STEPS, dtype=float))
ax.set_xlabel("step")
ax.set_ylabel("learning rate")
learning_rate = widgets.FloatSlider(
    value=1.0, min=0.05, max=2.0, step=0.05, description="learning rate", readout_format=".2f"
)
decay = widgets.FloatLogSlider(
    value=1e-3, base=10, min=-5, max=-1, step=0.25, description="decay", readout_format=".2e"
)
readout = widgets.HTML()
readout.add_class("nnfs-lab-readout")


def redraw(change=None):
    lr, d = learning_rate.value, decay.value
    line.set_ydata(lr / (1 + d * STEPS))
    ax.set_ylim(0, 1.05 * learning_rate.max)
    ax.set_title(f"lr / (1 + decay * t),  lr={lr:.2f}, decay={d:.2e}")
    fig.canvas.draw_idle()
    readout.value = f"lr={lr:.2f} decay={d:.2e} final={lr / (1 + d * STEPS[-1]):.6g}"


learning_rate.observe(redraw, "value")
decay.observe(redraw, "value")
redraw()
"""

SCHEDULE_SHOW = "widgets.VBox([learning_rate, decay, fig.canvas, readout])"

# A retrain on every slider release: nnfs_core's chapter 10 model (spiral_data(100, 3),
# Dense(2, 64) -> ReLU -> Dense(64, 3) -> softmax-CCE, Adam) for EPOCHS epochs, loss curve redrawn.
RETRAIN_SETUP = """\
%matplotlib widget
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from nnfs_core.book import (
    Activation_ReLU,
    Activation_Softmax_Loss_CategoricalCrossentropy,
    Layer_Dense,
    Optimizer_Adam,
    spiral_data,
)

EPOCHS = {epochs}
X, y = spiral_data(samples=100, classes=3, rng=np.random.RandomState(0))


def train(learning_rate, decay):
    rng = np.random.RandomState(0)
    dense1, activation1 = Layer_Dense(2, 64, rng=rng), Activation_ReLU()
    dense2 = Layer_Dense(64, 3, rng=rng)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    optimizer = Optimizer_Adam(learning_rate=learning_rate, decay=decay)
    losses = np.empty(EPOCHS)
    for epoch in range(EPOCHS):
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        losses[epoch] = loss_activation.forward(dense2.output, y)
        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        activation1.backward(dense2.dinputs)
        dense1.backward(activation1.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()
    return losses


with plt.ioff():
    fig, ax = plt.subplots(figsize=(6, 3.5))
fig.canvas.header_visible = False
(line,) = ax.plot(np.arange(EPOCHS), np.zeros(EPOCHS))
ax.set_xlabel("epoch")
ax.set_ylabel("loss")
learning_rate = widgets.FloatSlider(
    value=0.05, min=0.005, max=0.2, step=0.005, description="learning rate",
    readout_format=".3f", continuous_update=False,
)
decay = widgets.FloatLogSlider(
    value=5e-7, base=10, min=-8, max=-1, step=0.5, description="decay",
    readout_format=".1e", continuous_update=False,
)
readout = widgets.HTML()
readout.add_class("nnfs-lab-readout")


def retrain(change=None):
    lr, d = learning_rate.value, decay.value
    started = time.perf_counter()
    losses = train(lr, d)
    seconds = time.perf_counter() - started
    line.set_ydata(losses)
    ax.set_ylim(0, max(1.2, losses.max() * 1.05))
    ax.set_title(f"{EPOCHS} epochs, lr={lr:.3f}, decay={d:.1e}: final loss {losses[-1]:.4f}")
    fig.canvas.draw_idle()
    readout.value = f"lr={lr:.3f} decay={d:.1e} final={losses[-1]:.6g} seconds={seconds:.4f}"


learning_rate.observe(retrain, "value")
decay.observe(retrain, "value")
retrain()
"""


def write_notebook(path: Path, cells: list) -> Path:
    notebook = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def schedule_lab(path: Path) -> Path:
    """Sliders "learning rate" and "decay" drive a plot of lr / (1 + decay * t)."""
    return write_notebook(
        path,
        [
            new_markdown_cell("# Learning-rate decay\nMove the sliders."),
            new_code_cell(SCHEDULE_SETUP),
            new_code_cell(SCHEDULE_SHOW),
        ],
    )


def retrain_lab(path: Path, epochs: int = 1000) -> Path:
    """Sliders "learning rate" and "decay" retrain the chapter 10 model for ``epochs`` epochs on
    release and redraw its loss curve."""
    return write_notebook(
        path,
        [
            new_markdown_cell(f"# Retrain on release\n{epochs} epochs of the chapter 10 model."),
            new_code_cell(RETRAIN_SETUP.replace("{epochs}", str(epochs))),
            new_code_cell(SCHEDULE_SHOW),
        ],
    )


# The course's own labs (nnfs_core.labs), each with a probe: an HTML widget that the kernel
# rewrites whenever the lab's status line changes, with what only the kernel knows (how many runs
# were trained, how many exceptions the lab caught, the values it used).
LAB_SETUP = """\
%matplotlib widget
import ipywidgets as widgets
from nnfs_core.labs import {cls}

lab = {cls}({kwargs})
probe = widgets.HTML()
probe.add_class("nnfs-lab-probe")


def report(change=None):
    probe.value = (
        f"trainings={{getattr(lab, 'trainings', 0)}} errors={{len(lab.errors)}} "
        f"failure={{getattr(lab, 'failure', None)!r}} "
        f"learning_rate={{lab.learning_rate.value:.6g}} decay={{lab.decay.value:.6g}}"
    )


lab.status.observe(report, "value")
report()
"""

LAB_SHOW = "widgets.VBox([lab.widget, probe])"


def lab_notebook(path: Path, cls: str, **kwargs) -> Path:
    """A notebook that shows ``nnfs_core.labs.<cls>(**kwargs)`` and its probe."""
    arguments = ", ".join(f"{name}={value!r}" for name, value in kwargs.items())
    return write_notebook(
        path,
        [
            new_markdown_cell(f"# {cls}"),
            new_code_cell(LAB_SETUP.format(cls=cls, kwargs=arguments)),
            new_code_cell(LAB_SHOW),
        ],
    )
