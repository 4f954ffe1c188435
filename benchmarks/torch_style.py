"""The same two-layer network in PyTorch on the CPU, float64, written the way a PyTorch user would.

Differences from the book that the benchmark accepts, all below float64 rounding for the runs
it times:

* the loss is ``F.cross_entropy`` on the logits (log-softmax), with no clipping of the
  probabilities to [1e-7, 1 - 1e-7]; the two agree while every probability stays inside that range;
* the L2 penalty is written into the loss, so autograd produces the book's ``2 * lambda * w``
  (``Adam(weight_decay=...)`` would add ``lambda * w`` and leave the penalty out of the loss);
* ``torch.optim.Adam`` is given the book's ``eps=1e-7`` (its default is 1e-8). It adds eps where the
  book does, to ``sqrt(v_hat)``, but orders the arithmetic differently (``m.lerp_(g, 1 - beta1)``,
  ``lr / (1 - beta1**t)`` folded into one step size), so results differ by rounding only;
* the book's decay, ``lr / (1 + decay * iterations)``, is set on the parameter group before every
  step, exactly where the book's ``pre_update_params`` does it.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class TorchTrainer:
    """Full-batch training of Linear(2, h) -> ReLU -> Linear(h, 3) from given numpy weights.

    ``weights`` are in the book's layout: ``W1 (n_in, h), b1 (1, h), W2 (h, n_out), b2 (1, n_out)``.
    """

    def __init__(self, X, y, weights, *, learning_rate, decay, l2=0.0):
        W1, b1, W2, b2 = weights
        self.model = nn.Sequential(
            nn.Linear(W1.shape[0], W1.shape[1]),
            nn.ReLU(),
            nn.Linear(W2.shape[0], W2.shape[1]),
        ).double()
        first, _, second = self.model
        with torch.no_grad():
            # nn.Linear stores (out_features, in_features): the book's weights transposed.
            first.weight.copy_(torch.from_numpy(np.ascontiguousarray(W1.T)))
            first.bias.copy_(torch.from_numpy(b1.reshape(-1)))
            second.weight.copy_(torch.from_numpy(np.ascontiguousarray(W2.T)))
            second.bias.copy_(torch.from_numpy(b2.reshape(-1)))
        self.X = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float64))
        self.y = torch.from_numpy(np.asarray(y, dtype=np.int64))
        self.l2 = l2
        self.learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.optimizer = torch.optim.Adam(
            self.model.parameters(), lr=learning_rate, betas=(0.9, 0.999), eps=1e-7
        )

    def epoch(self):
        """One forward pass, backward pass and Adam step; returns the loss before the step."""
        first = self.model[0]
        self.optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.model(self.X), self.y)
        if self.l2:
            # Regularize only the first layer, as the chapter 14 model does.
            loss = loss + self.l2 * (first.weight.square().sum() + first.bias.square().sum())
        loss.backward()
        lr = self.learning_rate / (1.0 + self.decay * self.iterations)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        self.optimizer.step()
        self.iterations += 1
        return loss.item()

    def weights(self):
        """Current parameters in the book's layout, as numpy arrays."""
        first, _, second = self.model
        with torch.no_grad():
            return (
                first.weight.detach().numpy().T.copy(),
                first.bias.detach().numpy().reshape(1, -1).copy(),
                second.weight.detach().numpy().T.copy(),
                second.bias.detach().numpy().reshape(1, -1).copy(),
            )
