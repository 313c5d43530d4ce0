"""Autoencoders in PyTorch: an encoder squeezes an input into a small code, a decoder rebuilds
the input from the code, and both are trained together to make the rebuilt input match.

Seed 003 ("DNN for Dimension Reduction") reduces 784-pixel digits to a 2-D code with a
784-1000-500-250-2-250-500-1000-784 network and compares the codes with PCA's. Seed 002 calls
the two halves encoding (input -> latent representation z) and decoding (z -> input). The
course's digits have 64 pixels, so the default network here is the same idea scaled down,
64-64-32-2-32-64-64: the width holds, halves, and drops to the code.

- ``autoencoder_layers(n_in, hidden, n_code)``: the (encoder, decoder) pair of
  ``nn.Sequential``s: ReLU after every hidden layer, a linear code, a sigmoid output (pixels lie
  in [0, 1]). The exercise of chapter 15 asks for exactly this function.
- ``Autoencoder``: the pair as one module, with ``encode`` and ``decode``.
- ``GaussianNoise``: a layer that adds noise in training mode only (like dropout, it is off in
  ``model.eval()``); ``nn.Sequential(GaussianNoise(σ), autoencoder)`` trained to rebuild the
  *clean* input is a denoising autoencoder (Vincent et al., 2008).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import torch

from dlcourse._validate import positive_int, public_name, real_in_range


def _sizes(n_in: int, hidden: Sequence[int], n_code: int) -> tuple[int, list[int], int]:
    n_in = positive_int(n_in, "n_in")
    n_code = positive_int(n_code, "n_code")
    if isinstance(hidden, (int, str)) or not isinstance(hidden, Sequence):
        raise TypeError(f"{public_name()}: hidden must be a list of layer sizes, e.g. [32, 16] (or "
                        f"[] for none); got {hidden!r}.")
    hidden = [positive_int(h, f"hidden[{i}]") for i, h in enumerate(hidden)]
    return n_in, hidden, n_code


def autoencoder_layers(n_in: int, hidden: Sequence[int], n_code: int,
                       ) -> tuple[torch.nn.Sequential, torch.nn.Sequential]:
    """The encoder and the decoder of an autoencoder, as two ``nn.Sequential``s.

    Encoder: for each size h in ``hidden``, ``Linear -> ReLU``; then ``Linear(.., n_code)`` with
    no activation (the code may take any value). Decoder, the mirror image: for each size in
    ``reversed(hidden)``, ``Linear -> ReLU``; then ``Linear(.., n_in) -> Sigmoid``.
    With ``hidden=[64, 32]`` and ``n_code=2``: 64-64-32-2 and 2-32-64-64.
    """
    n_in, hidden, n_code = _sizes(n_in, hidden, n_code)

    def stack(sizes: list[int], out: int) -> list[torch.nn.Module]:
        layers: list[torch.nn.Module] = []
        for a, b in itertools.pairwise(sizes):
            layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
        return [*layers, torch.nn.Linear(sizes[-1], out)]

    encoder = torch.nn.Sequential(*stack([n_in, *hidden], n_code))
    decoder = torch.nn.Sequential(*stack([n_code, *hidden[::-1]], n_in), torch.nn.Sigmoid())
    return encoder, decoder


class Autoencoder(torch.nn.Module):
    """Encoder and decoder in one module: ``forward(x) = decode(encode(x))``.

    x: (N, n_in) -> code (N, n_code) -> reconstruction (N, n_in). Layers as in
    ``autoencoder_layers``; the default is seed 003's shape scaled to 64 pixels.
    """

    def __init__(self, n_in: int = 64, hidden: Sequence[int] = (64, 32), n_code: int = 2):
        super().__init__()
        self.encoder, self.decoder = autoencoder_layers(n_in, hidden, n_code)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))


class GaussianNoise(torch.nn.Module):
    """Add N(0, std²) noise to every entry in training mode; pass the input through in eval mode.

    A layer with train/test modes (seed 002, "Customized layers with train/test modes"): it
    follows ``model.train()`` / ``model.eval()`` like dropout. Fresh noise is drawn on every call
    from torch's generator (seed it with ``torch.manual_seed``), so each epoch sees new
    corruptions of the same images.
    """

    def __init__(self, std: float):
        super().__init__()
        self.std = real_in_range(std, "std", low=0.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training and self.std > 0:
            return x + self.std * torch.randn_like(x)
        return x

    def extra_repr(self) -> str:
        return f"std={self.std:g}"
