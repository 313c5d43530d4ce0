"""A LeNet-style convolutional network for small grey images (chapter 12; seed 004 "LeNet").

LeNet (LeCun et al., 1998) stacks convolution → nonlinearity → pooling twice, then classifies
the flattened feature maps with fully connected layers. For the 8×8 digits of scikit-learn we
keep its shape and shrink its sizes:

    input (N, 1, 8, 8)
    conv1: c1 filters 3×3, padding 1 → ReLU → (N, c1, 8, 8)   first-layer feature maps
    max-pool 2×2, stride 2          → (N, c1, 4, 4)
    conv2: c2 filters 3×3, padding 1 → ReLU → (N, c2, 4, 4)
    max-pool 2×2, stride 2          → (N, c2, 2, 2)
    flatten                         → (N, c2·2·2)
    fc1: Linear → ReLU              → (N, hidden)
    fc2: Linear                     → (N, num_classes)  logits

Every size comes from the output-size formula of chapter 11, ⌊(W − F + 2P)/S⌋ + 1
(``dlcourse.conv.conv_output_size``), so other image sizes work too. The parameters, in
``state_dict`` order: conv1.weight (c1, 1, 3, 3), conv1.bias (c1,), conv2.weight (c2, c1, 3, 3),
conv2.bias (c2,), fc1.weight (hidden, c2·h·w), fc1.bias (hidden,), fc2.weight
(num_classes, hidden), fc2.bias (num_classes,).

With the defaults (c1 = 16, c2 = 32, hidden = 64) it has 13,706 parameters. ``MLP`` is the
fully connected network the chapter compares it with: one hidden layer of 183 units, 13,735
parameters.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dlcourse._validate import positive_int
from dlcourse.conv import conv_output_size

__all__ = ["MLP", "LeNet", "lenet_shapes", "param_count"]

KERNEL_SIZE, PADDING, POOL = 3, 1, 2


def lenet_shapes(size: int, c1: int, c2: int, kernel_size: int = KERNEL_SIZE,
                 padding: int = PADDING, pool: int = POOL) -> np.ndarray:
    """The feature-map shapes inside a LeNet for a square ``size``×``size`` input.

    Four stages: conv1 (c1 filters, stride 1), pool (``pool``×``pool``, stride ``pool``), conv2
    (c2 filters, stride 1), pool. Each side follows conv_output_size (seed 001 §3.2.3):
    W₂ = ⌊(W₁ − F + 2P)/S⌋ + 1, with P = 0 and F = S = pool for pooling.
    Returns an int64 array (4, 3): the (channels, height, width) after each stage; the last row's
    product is the number of features entering fc1.
    """
    size = positive_int(size, "size")
    c1 = positive_int(c1, "c1")
    c2 = positive_int(c2, "c2")
    s1 = conv_output_size(size, kernel_size, 1, padding)
    s2 = conv_output_size(s1, pool, pool)
    s3 = conv_output_size(s2, kernel_size, 1, padding)
    s4 = conv_output_size(s3, pool, pool)
    return np.array([[c1, s1, s1], [c1, s2, s2], [c2, s3, s3], [c2, s4, s4]], dtype=np.int64)


def param_count(model: nn.Module) -> int:
    """The number of trainable numbers in a model."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


class LeNet(nn.Module):
    """The LeNet-style network of the module docstring; input (N, 1, size, size) → logits."""

    def __init__(self, c1: int = 16, c2: int = 32, hidden: int = 64, num_classes: int = 10,
                 size: int = 8):
        super().__init__()
        self.size = positive_int(size, "size")
        hidden = positive_int(hidden, "hidden")
        num_classes = positive_int(num_classes, "num_classes", minimum=2)
        self.shapes = lenet_shapes(size, c1, c2)
        self.conv1 = nn.Conv2d(1, c1, KERNEL_SIZE, padding=PADDING)
        self.conv2 = nn.Conv2d(c1, c2, KERNEL_SIZE, padding=PADDING)
        self.fc1 = nn.Linear(int(np.prod(self.shapes[-1])), hidden)
        self.fc2 = nn.Linear(hidden, num_classes)

    def _check(self, x: torch.Tensor) -> None:
        if x.ndim != 4 or tuple(x.shape[1:]) != (1, self.size, self.size):
            hint = (" Reshape flat rows of pixels with x.view(-1, 1, H, W)."
                    if x.ndim == 2 else "")
            raise ValueError(f"LeNet: x must have shape (N, 1, {self.size}, {self.size}); "
                             f"got {tuple(x.shape)}.{hint}")

    def feature_maps(self, x: torch.Tensor) -> torch.Tensor:
        """The first layer's feature maps ReLU(conv1(x)), (N, c1, size, size)."""
        self._check(x)
        return F.relu(self.conv1(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(self.feature_maps(x), POOL)
        x = F.max_pool2d(F.relu(self.conv2(x)), POOL)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(x)


class MLP(nn.Module):
    """Flatten → Linear(in_features, hidden) → ReLU → Linear(hidden, num_classes).

    Accepts images (N, 1, H, W) or flat rows (N, in_features): it looks at pixels, not shapes.
    """

    def __init__(self, in_features: int = 64, hidden: int = 183, num_classes: int = 10):
        super().__init__()
        self.fc1 = nn.Linear(positive_int(in_features, "in_features"),
                             positive_int(hidden, "hidden"))
        self.fc2 = nn.Linear(hidden, positive_int(num_classes, "num_classes"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.relu(self.fc1(x.flatten(1))))
