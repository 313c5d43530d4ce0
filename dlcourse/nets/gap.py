"""Global average pooling: the alternative to flattening a CNN's feature maps (chapter 12).

Seed 004's LeNet ends with "Global Average Pooling + Softmax" in place of the fully connected
layers on flattened maps. Global average pooling (Lin et al., 2014, "Network in network")
replaces each of the last convolution's C feature maps by its mean over all positions:

    gap(x)[n, c] = (1 / (H·W)) Σ_{i,j} x[n, c, i, j]          (N, C, H, W) → (N, C)

so the classifier after it sees *which* features were found, not *where*. Three consequences,
each checked in chapter 12: the classifier needs C·K weights instead of C·H·W·K (fewer
parameters); the same network accepts images of any size; and moving a pattern across the final
feature maps does not change the pooled vector at all.

``GAPNet`` is the chapter's LeNet with its flatten → fc1 → fc2 head replaced:

    input (N, 1, H, W)
    conv1: c1 filters 3×3, padding 1 → ReLU → max-pool 2×2   (N, c1, H/2, W/2)
    conv2: c2 filters 3×3, padding 1 → ReLU                  (N, c2, H/2, W/2)
    global average pool                                     (N, c2)
    fc: Linear(c2, num_classes)                             (N, num_classes) logits

With the defaults (c1 = 16, c2 = 64) it has 10,090 parameters, against LeNet's 13,706.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from dlcourse._validate import positive_int, public_name

__all__ = ["GAPNet", "global_avg_pool"]


def global_avg_pool(x: torch.Tensor) -> torch.Tensor:
    """The mean of every feature map over its positions: (N, C, H, W) → (N, C).

    The same as ``F.adaptive_avg_pool2d(x, 1).flatten(1)``.
    """
    if x.ndim != 4:
        raise ValueError(f"{public_name()}: x must have shape (N, C, H, W); got "
                         f"{tuple(x.shape)}.")
    return x.mean(dim=(2, 3))


class GAPNet(nn.Module):
    """conv1 → ReLU → max-pool → conv2 → ReLU → global average pool → fc (module docstring).

    Input (N, 1, H, W) with H, W ≥ 2, any size; output (N, num_classes) logits.
    """

    def __init__(self, c1: int = 16, c2: int = 64, num_classes: int = 10):
        super().__init__()
        c1 = positive_int(c1, "c1")
        c2 = positive_int(c2, "c2")
        self.conv1 = nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.fc = nn.Linear(c2, positive_int(num_classes, "num_classes", minimum=2))

    def feature_maps(self, x: torch.Tensor) -> torch.Tensor:
        """The maps the pooling averages: ReLU(conv2(max-pool(ReLU(conv1(x))))),
        (N, c2, H/2, W/2)."""
        if x.ndim != 4 or x.shape[1] != 1 or min(x.shape[2:]) < 2:
            raise ValueError(f"GAPNet: x must have shape (N, 1, H, W) with H, W ≥ 2; got "
                             f"{tuple(x.shape)}.")
        return F.relu(self.conv2(F.max_pool2d(F.relu(self.conv1(x)), 2)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(global_avg_pool(self.feature_maps(x)))
