"""The variational autoencoder (Kingma and Welling, 2014; seed 003 "Recent developments",
seed 001 §3.1.2), chapter 15's optional section.

An autoencoder's encoder gives one code per input. A VAE's encoder gives a *distribution* over
codes, a Gaussian q(z | x) = N(μ(x), diag σ²(x)) (it outputs μ and log σ²), and the decoder
reads a code drawn from it. Training maximises the evidence lower bound (ELBO) on log p(x):

    ELBO(x) = E_{z ~ q(z|x)}[ log p(x | z) ] − KL( q(z | x) ‖ p(z) ),      p(z) = N(0, I),

a reconstruction term and a penalty that keeps every q(z | x) close to the prior. For Gaussians
the penalty has a closed form, summed over the latent dimensions j:

    KL( N(μ, σ²) ‖ N(0, 1) ) = ½ Σ_j ( μ_j² + σ_j² − log σ_j² − 1 ).

The expectation is estimated with one sample z = μ + σ ⊙ ε, ε ~ N(0, I) (the
**reparameterization trick**): the randomness sits in ε, so z is a differentiable function of
μ and σ and the gradient flows back into the encoder. The pixels of the digits lie in [0, 1];
log p(x | z) is taken as −(binary cross-entropy of x against the decoder's output), summed over
the pixels.

- ``kl_to_standard_normal(mu, logvar)``: the closed form, per example (chapter 15's exercise).
- ``reparameterize(mu, logvar, eps)``: z = μ + exp(½ log σ²) ⊙ ε.
- ``VAE``: the encoder (μ and log σ² heads) and the decoder; ``forward`` returns
  (reconstruction, μ, log σ²).
- ``negative_elbo_terms``: the two terms of −ELBO per example, from one sample.
- ``importance_weighted_bound``: log p(x) estimated by importance sampling with K samples of
  q (Burda et al., 2016), a bound that is never below the ELBO and tightens as K grows.
- ``latent_grid``: a grid of 2-D codes at Gaussian quantiles, to decode (Kingma and Welling's
  figure of the digit manifold).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from dlcourse._validate import positive_int, public_name

__all__ = ["VAE", "importance_weighted_bound", "kl_to_standard_normal", "latent_grid",
           "negative_elbo_terms", "reparameterize"]


def _pair(mu: torch.Tensor, logvar: torch.Tensor, layout: str = "(N, latent)"
          ) -> None:
    if not (isinstance(mu, torch.Tensor) and isinstance(logvar, torch.Tensor)):
        raise TypeError(f"{public_name()}: mu and logvar must be torch tensors; got "
                        f"{type(mu).__name__} and {type(logvar).__name__}.")
    two_d = layout == "(N, latent)"
    if mu.shape != logvar.shape or (mu.ndim != 2 if two_d else mu.ndim < 1):
        raise ValueError(f"{public_name()}: mu and logvar must both have shape {layout}; got "
                         f"{tuple(mu.shape)} and {tuple(logvar.shape)}.")


def kl_to_standard_normal(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL( N(mu, diag exp(logvar)) ‖ N(0, I) ) for every row: (N, latent) → (N,).

    = ½ Σ_j (mu_j² + exp(logvar_j) − logvar_j − 1), in nats.
    """
    _pair(mu, logvar)
    return 0.5 * (mu.pow(2) + logvar.exp() - logvar - 1.0).sum(dim=1)


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor,
                   eps: torch.Tensor | None = None) -> torch.Tensor:
    """z = mu + exp(½ logvar) ⊙ eps, with eps ~ N(0, I) drawn here unless given.

    mu, logvar and eps share one shape, (N, latent) or any other (e.g. (samples, N, latent)).
    """
    _pair(mu, logvar, layout="(..., latent)")
    if eps is None:
        eps = torch.randn_like(mu)
    elif eps.shape != mu.shape:
        raise ValueError(f"{public_name()}: eps must have mu's shape {tuple(mu.shape)}; got "
                         f"{tuple(eps.shape)}.")
    return mu + torch.exp(0.5 * logvar) * eps


class VAE(nn.Module):
    """Encoder n_in → hidden (ReLU) → (μ, log σ²) of size n_latent each; decoder n_latent →
    hidden (ReLU) → n_in (sigmoid). Layers: ``encoder``, ``mu``, ``logvar``, ``decoder``.

    ``forward(x)`` draws z = μ + σ ε in training mode and uses z = μ in eval mode; it returns
    (reconstruction (N, n_in), μ (N, n_latent), log σ² (N, n_latent)).
    """

    def __init__(self, n_in: int = 64, hidden: int = 64, n_latent: int = 2):
        super().__init__()
        n_in = positive_int(n_in, "n_in")
        hidden = positive_int(hidden, "hidden")
        n_latent = positive_int(n_latent, "n_latent")
        self.encoder = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU())
        self.mu = nn.Linear(hidden, n_latent)
        self.logvar = nn.Linear(hidden, n_latent)
        self.decoder = nn.Sequential(nn.Linear(n_latent, hidden), nn.ReLU(),
                                     nn.Linear(hidden, n_in), nn.Sigmoid())

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(μ, log σ²) of q(z | x)."""
        h = self.encoder(x)
        return self.mu(h), self.logvar(h)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Pixel means in (0, 1) for codes z (N, n_latent)."""
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, logvar = self.encode(x)
        z = reparameterize(mu, logvar) if self.training else mu
        return self.decode(z), mu, logvar


def negative_elbo_terms(x: torch.Tensor, recon: torch.Tensor, mu: torch.Tensor,
                        logvar: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The two terms of −ELBO per example, (N,) each: the reconstruction loss −log p(x | z) =
    binary cross-entropy summed over the pixels, and KL(q(z | x) ‖ N(0, I))."""
    reconstruction = F.binary_cross_entropy(recon, x, reduction="none").sum(dim=1)
    return reconstruction, kl_to_standard_normal(mu, logvar)


def _log_normal(z: torch.Tensor, mean: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mean).pow(2) / logvar.exp()).sum(-1)


def importance_weighted_bound(model: VAE, x: torch.Tensor, k: int = 100,
                              generator: torch.Generator | None = None,
                              ) -> tuple[torch.Tensor, torch.Tensor]:
    """Two estimates of log p(x) per example, from the same k samples z_i ~ q(z | x):

    the ELBO, mean_i w_i, and the importance-weighted bound log mean_i exp(w_i), with
    w_i = log p(x | z_i) + log p(z_i) − log q(z_i | x). By Jensen's inequality the second is
    never below the first. Runs without gradients; returns two (N,) tensors.
    """
    k = positive_int(k, "k")
    with torch.no_grad():
        mu, logvar = model.encode(x)
        eps = torch.randn((k, *mu.shape), generator=generator, dtype=mu.dtype,
                          device="cpu").to(mu.device)
        z = mu + torch.exp(0.5 * logvar) * eps                           # (k, N, latent)
        recon = model.decode(z)                                          # (k, N, n_in)
        log_px_z = -F.binary_cross_entropy(recon, x.expand_as(recon), reduction="none").sum(-1)
        log_pz = _log_normal(z, torch.zeros_like(z), torch.zeros_like(z))
        log_qz = _log_normal(z, mu, logvar)
        w = log_px_z + log_pz - log_qz                                   # (k, N)
        return w.mean(dim=0), torch.logsumexp(w, dim=0) - math.log(k)


def latent_grid(n: int = 12, span: float = 0.95) -> torch.Tensor:
    """An n × n grid of 2-D codes at the Gaussian quantiles of evenly spaced probabilities
    in [(1 − span)/2, (1 + span)/2] (Kingma and Welling's figure): (n·n, 2), row by row from
    the top (z₂ large) to the bottom, left (z₁ small) to right."""
    n = positive_int(n, "n", minimum=2)
    p = torch.linspace((1 - span) / 2, (1 + span) / 2, n, dtype=torch.float64)
    q = torch.distributions.Normal(0.0, 1.0).icdf(p)
    z1, z2 = torch.meshgrid(q, q.flip(0), indexing="xy")
    return torch.stack([z1.reshape(-1), z2.reshape(-1)], dim=1).float()
