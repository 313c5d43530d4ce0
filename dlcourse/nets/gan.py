"""The two small multilayer perceptrons of chapter 14's GAN on 2-D data (seed 000 "GAN").

- ``Generator``: noise z ∈ R^{z_dim} → a point G(z) ∈ R^{out_dim}, the mapping x = G(z; θ_G);
- ``Discriminator``: a point x → one **logit** l(x); D(x) = σ(l(x)) is the probability that x
  is real, y = D(x; θ_D).

The discriminator returns logits, not probabilities: the losses are computed from logits with
``softplus`` (``dlcourse.gan``) or ``F.binary_cross_entropy_with_logits``, which stay finite
where σ(l) rounds to 0 or 1, exactly the regime in which the saturation argument lives.

Both are plain ``nn.Module``s with ``depth`` hidden layers of ``hidden`` units (2 × 64 by
default: small enough to train in seconds on a CPU). Put them on a device with ``.to(device)``.
"""

from __future__ import annotations

from torch import nn

from dlcourse._validate import positive_int

__all__ = ["Discriminator", "Generator", "mlp"]


def mlp(in_dim: int, hidden: int, depth: int, out_dim: int, *, negative_slope: float = 0.0,
        ) -> nn.Sequential:
    """``depth`` hidden layers Linear → (Leaky)ReLU of width ``hidden``, then Linear to out_dim.

    ``negative_slope`` > 0 uses LeakyReLU (a discriminator keeps a gradient for every input).
    """
    in_dim = positive_int(in_dim, "in_dim")
    hidden = positive_int(hidden, "hidden")
    depth = positive_int(depth, "depth")
    out_dim = positive_int(out_dim, "out_dim")
    layers: list[nn.Module] = []
    width = in_dim
    for _ in range(depth):
        layers.append(nn.Linear(width, hidden))
        layers.append(nn.LeakyReLU(negative_slope) if negative_slope > 0 else nn.ReLU())
        width = hidden
    layers.append(nn.Linear(width, out_dim))
    return nn.Sequential(*layers)


class Generator(nn.Module):
    """G: noise (N, z_dim) → samples (N, out_dim)."""

    def __init__(self, z_dim: int = 2, hidden: int = 64, depth: int = 2, out_dim: int = 2):
        super().__init__()
        self.z_dim = positive_int(z_dim, "z_dim")
        self.net = mlp(z_dim, hidden, depth, out_dim)

    def forward(self, z):
        if z.ndim != 2 or z.shape[1] != self.z_dim:
            raise ValueError(f"Generator: z must have shape (N, {self.z_dim}); "
                             f"got {tuple(z.shape)}.")
        return self.net(z)


class Discriminator(nn.Module):
    """D's logit: points (N, in_dim) → logits (N,); the probability "real" is σ(logit)."""

    def __init__(self, in_dim: int = 2, hidden: int = 64, depth: int = 2,
                 negative_slope: float = 0.2):
        super().__init__()
        self.in_dim = positive_int(in_dim, "in_dim")
        self.net = mlp(in_dim, hidden, depth, 1, negative_slope=negative_slope)

    def forward(self, x):
        if x.ndim != 2 or x.shape[1] != self.in_dim:
            raise ValueError(f"Discriminator: x must have shape (N, {self.in_dim}); "
                             f"got {tuple(x.shape)}.")
        return self.net(x).squeeze(1)
