"""Generative adversarial networks: the losses, the optimal discriminator, a 2-D toy problem.

A GAN trains two networks against each other (Goodfellow et al., 2014; seed 000 "GAN",
seed 003): a generator G maps noise z to samples, a discriminator D maps a sample to the
probability that it is real. They play the two-player game

    min_G max_D V(D, G) = E_{x~p_data}[log D(x)] + E_{z~p_z}[log(1 − D(G(z)))]   (seed 000)

Everything here works on the discriminator's **logits** l, with D = σ(l), and uses
log σ(l) = −softplus(−l) and log(1 − σ(l)) = −softplus(l), which are finite for any l.

NumPy part (pure functions, float64, the references of the chapter's exercises):

- ``discriminator_loss``: −V estimated on a batch, what D minimizes;
- ``generator_loss_saturating``: E[log(1 − D(G(z)))], the generator's term of V;
- ``generator_loss_nonsaturating``: −E[log D(G(z))], the replacement seed 000 recommends;
- ``generator_logit_grads``: the derivatives of both generator losses w.r.t. the logit, the
  saturation argument in numbers;
- ``optimal_discriminator``: D*(x) = p_data(x) / (p_data(x) + p_g(x)) for a fixed G;
- ``ring_centers``, ``sample_ring``: the mixture of 8 Gaussians on a ring;
- ``mode_coverage``: how many of the mixture's modes the generated samples reach.

Torch part (imported lazily; device-aware and seeded): ``discriminator_surface`` and
``train_gan``, the training loop that stores snapshots of the samples and of D's surface.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from dlcourse._validate import as_array, one_of, positive_int, public_name, real_in_range
from dlcourse.activations import sigmoid, softplus

if TYPE_CHECKING:
    import torch

__all__ = [
    "GENERATOR_LOSSES",
    "GANRun",
    "GANSnapshot",
    "discriminator_loss",
    "discriminator_surface",
    "gaussian_pdf",
    "generator_logit_grads",
    "generator_loss_nonsaturating",
    "generator_loss_saturating",
    "mode_coverage",
    "optimal_discriminator",
    "ring_centers",
    "sample_ring",
    "train_gan",
]

GENERATOR_LOSSES = ("nonsaturating", "saturating")


# ---------------------------------------------------------------------------- losses

def _logits(z: Any, name: str) -> np.ndarray:
    arr = as_array(z, name)
    if arr.size == 0:
        raise ValueError(f"{public_name()}: {name} is empty; pass the logits of at least one "
                         "sample.")
    return arr


def discriminator_loss(real_logits: np.ndarray, fake_logits: np.ndarray) -> float:
    """What D minimizes: −V(D, G) estimated on a batch (seed 000, value function).

        L_D = −mean log D(x) − mean log(1 − D(G(z)))
            = mean softplus(−l_real) + mean softplus(l_fake)

    This is binary cross-entropy with the label 1 for real samples and 0 for generated ones,
    each term averaged over its own batch. real_logits: (n,) D's logits on real samples;
    fake_logits: (m,) on generated samples (any shapes; n and m may differ).
    """
    real = _logits(real_logits, "real_logits")
    fake = _logits(fake_logits, "fake_logits")
    return float(np.mean(softplus(-real)) + np.mean(softplus(fake)))


def generator_loss_saturating(fake_logits: np.ndarray) -> float:
    """The generator's term of V, which G minimizes in the original game (seed 000):

        L_G^sat = mean log(1 − D(G(z))) = −mean softplus(l_fake)    (always < 0)

    Early in training D rejects the fakes (l_fake ≪ 0), where this loss is flat: see
    ``generator_logit_grads``. fake_logits: D's logits on generated samples, any shape.
    """
    fake = _logits(fake_logits, "fake_logits")
    return float(-np.mean(softplus(fake)))


def generator_loss_nonsaturating(fake_logits: np.ndarray) -> float:
    """The non-saturating generator loss: G minimizes −log D(G(z)) instead (seed 000).

        L_G^ns = −mean log D(G(z)) = mean softplus(−l_fake)    (always > 0)

    Same goal (push D(G(z)) up), same fixed point, but steep exactly where the saturating loss
    is flat. fake_logits: D's logits on generated samples, any shape.
    """
    fake = _logits(fake_logits, "fake_logits")
    return float(np.mean(softplus(-fake)))


def generator_logit_grads(fake_logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Derivatives of the two per-sample generator losses w.r.t. D's logit l, with D = σ(l):

        d/dl  log(1 − σ(l)) = −σ(l)        = −D        → 0 as D(G(z)) → 0 (saturates)
        d/dl −log σ(l)      = −(1 − σ(l))  = D − 1     → −1 as D(G(z)) → 0

    Both are negative (both losses fall as l rises), but where D is sure a sample is fake the
    first one vanishes while the second is at its largest (seed 000, training rules of GAN).
    Everything G learns flows through these numbers: ∂L/∂θ_G = ∂L/∂l · ∂l/∂θ_G.

    fake_logits: logits of generated samples, any shape. Returns (grad_saturating,
    grad_nonsaturating), each of that shape (per sample, no averaging).
    """
    fake = _logits(fake_logits, "fake_logits")
    return -sigmoid(fake), -sigmoid(-fake)


# ---------------------------------------------------------------------------- optimal D

def optimal_discriminator(p_data: np.ndarray, p_g: np.ndarray) -> np.ndarray:
    """The best discriminator for a fixed generator, point by point (Goodfellow et al., 2014):

        D*(x) = p_data(x) / (p_data(x) + p_g(x))

    For each x, D(x) = y maximizes p_data·log y + p_g·log(1 − y), a concave function of y whose
    derivative p_data/y − p_g/(1 − y) vanishes at y = p_data/(p_data + p_g). Where both densities
    are 0 every y is optimal and 1/2 is returned. p_data, p_g: densities (≥ 0) evaluated at the
    same points, same shape; returns D* of that shape.
    """
    pd = as_array(p_data, "p_data")
    pg = as_array(p_g, "p_g")
    if pd.shape != pg.shape:
        raise ValueError(f"{public_name()}: p_data and p_g must be evaluated at the same points "
                         f"(same shape); got {pd.shape} and {pg.shape}.")
    if (pd < 0).any() or (pg < 0).any() or not (np.isfinite(pd).all() and np.isfinite(pg).all()):
        raise ValueError(f"{public_name()}: densities must be finite and non-negative.")
    total = pd + pg
    return np.divide(pd, total, out=np.full_like(total, 0.5), where=total > 0)


def gaussian_pdf(x: np.ndarray, mean: float = 0.0, std: float = 1.0) -> np.ndarray:
    """The normal density exp(−(x − μ)²/(2σ²)) / (σ√(2π)), elementwise; x: any shape."""
    x = as_array(x, "x")
    mean = real_in_range(mean, "mean")
    std = real_in_range(std, "std", low=0.0, low_open=True)
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2.0 * np.pi))


# ---------------------------------------------------------------------------- the ring of modes

def ring_centers(modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """(modes, 2) centres evenly spaced on a circle: (r cos 2πk/K, r sin 2πk/K), k = 0..K−1."""
    modes = positive_int(modes, "modes")
    radius = real_in_range(radius, "radius", low=0.0, low_open=True)
    angles = 2.0 * np.pi * np.arange(modes) / modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def sample_ring(n: int, *, modes: int = 8, radius: float = 2.0, std: float = 0.05,
                rng: np.random.Generator | int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n points from an equal-weight mixture of ``modes`` Gaussians on a ring.

    Each point picks a mode k uniformly, then adds N(0, std²·I) noise to ``ring_centers``[k].
    ``rng``: a ``np.random.Generator`` (advanced in place, for streams of batches) or an int
    seed. Returns X (n, 2) float64 and the modes (n,) int64. Draws ``rng.integers`` first,
    then ``rng.standard_normal((n, 2))``.
    """
    n = positive_int(n, "n")
    std = real_in_range(std, "std", low=0.0)
    centers = ring_centers(modes, radius)
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(positive_int(rng, "rng (a seed)", minimum=0))
    which = rng.integers(0, len(centers), size=n)
    return centers[which] + std * rng.standard_normal((n, 2)), which.astype(np.int64)


def mode_coverage(samples: np.ndarray, centers: np.ndarray, radius: float,
                  min_count: int = 1) -> tuple[int, np.ndarray]:
    """How many modes the samples reach: the measure of mode collapse on a mixture.

    A sample counts for the mode whose centre is nearest to it, if it lies within ``radius`` of
    that centre (with ``radius`` below half the distance between centres, the discs are
    disjoint and "nearest" does not matter). A mode is *covered* when at least ``min_count``
    samples count for it. samples: (n, d); centers: (K, d).
    Returns (number of covered modes, counts (K,) int64). counts.sum() / n is the fraction of
    "good" samples, those close to some mode.
    """
    X = as_array(samples, "samples", ndim=2, layout="(n, d)")
    C = as_array(centers, "centers", ndim=2, layout="(K, d)")
    if X.shape[1] != C.shape[1]:
        raise ValueError(f"{public_name()}: samples have {X.shape[1]} coordinates but centers have "
                         f"{C.shape[1]}.")
    radius = real_in_range(radius, "radius", low=0.0, low_open=True)
    min_count = positive_int(min_count, "min_count")
    dist = np.linalg.norm(X[:, None, :] - C[None, :, :], axis=2)          # (n, K)
    nearest = np.argmin(dist, axis=1)
    close = dist[np.arange(len(X)), nearest] <= radius
    counts = np.bincount(nearest[close], minlength=len(C)).astype(np.int64)
    return int(np.sum(counts >= min_count)), counts


# ---------------------------------------------------------------------------- training (torch)

@dataclass
class GANSnapshot:
    """The state of a GAN after ``step`` updates: generated samples from a fixed batch of noise,
    and the discriminator's probability D(x) = σ(l(x)) on the grid of ``GANRun.grid``."""

    step: int
    samples: np.ndarray      # (n, 2)
    surface: np.ndarray      # (resolution, resolution), rows follow y, columns follow x


@dataclass
class GANRun:
    """What ``train_gan`` returns. ``history`` holds one value per step (NumPy arrays):
    ``d_loss``, ``g_loss``, ``d_real`` and ``d_fake`` (mean D on the real and the generated
    batch, before D's update) and ``g_grad_norm`` (norm of the gradient that reached G's
    parameters)."""

    loss: str
    generator: Any
    discriminator: Any
    snapshots: list[GANSnapshot]
    history: dict[str, np.ndarray]
    centers: np.ndarray
    real: np.ndarray         # (n, 2) real samples, for the plots
    grid: tuple[np.ndarray, np.ndarray]   # the x and y coordinates of the surfaces
    seconds: float           # wall-clock time of the training loop (snapshots included)
    device: str
    config: dict = field(default_factory=dict)

    @property
    def steps(self) -> np.ndarray:
        return np.array([s.step for s in self.snapshots])

    def coverage(self, radius: float, min_count: int, index: int = -1) -> tuple[int, np.ndarray]:
        """``mode_coverage`` of a snapshot's samples (default: the last)."""
        return mode_coverage(self.snapshots[index].samples, self.centers, radius, min_count)


def discriminator_surface(discriminator: torch.nn.Module, limit: float = 3.0,
                          resolution: int = 61, device: torch.device | str | None = None,
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """D(x) = σ(logit) on a square grid [−limit, limit]², computed in eval mode without grads.

    Returns xs (resolution,), ys (resolution,) and probs (resolution, resolution) with
    probs[i, j] = D((xs[j], ys[i])), the layout ``plt.contourf(xs, ys, probs)`` expects.
    ``device`` defaults to the discriminator's own device.
    """
    import torch

    limit = real_in_range(limit, "limit", low=0.0, low_open=True)
    resolution = positive_int(resolution, "resolution", minimum=2)
    if device is None:
        device = _module_device(discriminator)
    xs = np.linspace(-limit, limit, resolution)
    gx, gy = np.meshgrid(xs, xs)
    points = torch.as_tensor(np.stack([gx.ravel(), gy.ravel()], axis=1), dtype=torch.float32,
                             device=device)
    was_training = discriminator.training
    discriminator.eval()
    with torch.no_grad():
        probs = torch.sigmoid(discriminator(points)).reshape(resolution, resolution)
    discriminator.train(was_training)
    return xs, xs.copy(), probs.cpu().numpy().astype(np.float64)


def _module_device(module: torch.nn.Module) -> torch.device:
    import torch

    first = next(module.parameters(), None)
    return first.device if first is not None else torch.device("cpu")


def _optimizer(name: str, net: torch.nn.Module, lr: float, betas: tuple[float, float],
               device: torch.device) -> torch.optim.Optimizer:
    import torch

    if name == "sgd":
        return torch.optim.SGD(net.parameters(), lr=lr)
    # the fused kernel updates all parameters in one pass: for nets this small the per-tensor
    # loop of the default implementation costs more than the arithmetic
    fused = True if device.type in ("cpu", "cuda") else None
    return torch.optim.Adam(net.parameters(), lr=lr, betas=betas, fused=fused)


def train_gan(*, loss: str = "nonsaturating", steps: int = 1000, batch_size: int = 256,
              z_dim: int = 2, hidden: int = 64, depth: int = 2, lr: float = 2e-3,
              betas: tuple[float, float] = (0.5, 0.999), modes: int = 8, radius: float = 2.0,
              std: float = 0.05, snapshot_every: int = 100, n_samples: int = 1000,
              limit: float = 3.0, resolution: int = 61, optimizer: str = "adam",
              d_warmup: int = 0, device: torch.device | str | None = None, seed: int = 0,
              progress: bool = True) -> GANRun:
    """Train a GAN on the ring of Gaussians (``sample_ring``) and keep snapshots for plotting.

    Each step: draw a real batch and a noise batch; one step of the optimizer on D with
    ``discriminator_loss``; one step on G with the chosen generator loss (``loss``:
    "nonsaturating", −log D(G(z)), or "saturating", log(1 − D(G(z)))), on the same noise,
    through the updated D. ``optimizer``: "adam" (with ``betas``) or "sgd", learning rate ``lr``
    for both nets. ``d_warmup`` > 0 first trains D alone for that many steps against the
    untrained G: the situation seed 000 describes, a poor generator and a confident
    discriminator. Every ``snapshot_every`` steps (and at step 0, after the warm-up) the
    samples G(z_fixed) of a fixed noise batch of ``n_samples`` and D's surface on a
    ``resolution``² grid over [−limit, limit]² are stored.

    Seeded and device-aware: the networks are initialised after ``torch.manual_seed(seed)``; the
    real data (NumPy, seed ``seed``) and the noise (a CPU ``torch.Generator``, seed ``seed``) are
    drawn on the CPU in chunks and moved to ``device``, so every device sees the same numbers.
    ``device`` defaults to ``get_device()``. The loss history stays on the device until the end
    (no synchronisation per step).
    """
    import torch
    import torch.nn.functional as F
    from tqdm.auto import tqdm

    from dlcourse.device import get_device
    from dlcourse.nets.gan import Discriminator, Generator

    loss = one_of(loss, GENERATOR_LOSSES, "loss")
    optimizer = one_of(optimizer, ("adam", "sgd"), "optimizer")
    steps = positive_int(steps, "steps")
    batch_size = positive_int(batch_size, "batch_size")
    snapshot_every = positive_int(snapshot_every, "snapshot_every")
    n_samples = positive_int(n_samples, "n_samples")
    d_warmup = positive_int(d_warmup, "d_warmup", minimum=0)
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    seed = positive_int(seed, "seed", minimum=0)
    device = get_device(device) if device is None or isinstance(device, str) else device

    torch.manual_seed(seed)
    G = Generator(z_dim, hidden, depth).to(device)
    D = Discriminator(2, hidden, depth).to(device)
    opt_g, opt_d = (_optimizer(optimizer, net, lr, betas, device) for net in (G, D))
    data_rng = np.random.default_rng(seed)
    noise_gen = torch.Generator().manual_seed(seed)   # CPU: the same stream on every device
    z_fixed = torch.randn(n_samples, z_dim, generator=noise_gen).to(device)
    centers = ring_centers(modes, radius)
    real_show, _ = sample_ring(n_samples, modes=modes, radius=radius, std=std,
                               rng=np.random.default_rng(seed + 1))

    def batches(count: int):
        """``count`` real batches and noise batches, drawn on the CPU, moved at once."""
        real_np, _ = sample_ring(count * batch_size, modes=modes, radius=radius, std=std,
                                 rng=data_rng)
        reals = torch.as_tensor(real_np, dtype=torch.float32).view(count, batch_size, 2)
        noises = torch.randn(count, batch_size, z_dim, generator=noise_gen)
        return reals.to(device), noises.to(device)

    def d_step(real, fake):
        """One update of D on −V; returns D's logits on the real and the fake batch."""
        logits = D(torch.cat([real, fake]))
        l_real, l_fake = logits[:batch_size], logits[batch_size:]
        d_loss = F.softplus(-l_real).mean() + F.softplus(l_fake).mean()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        return d_loss.detach(), l_real.detach(), l_fake.detach()

    snapshots: list[GANSnapshot] = []

    def snapshot(step: int) -> None:
        G.eval()
        with torch.no_grad():
            samples = G(z_fixed).cpu().numpy().astype(np.float64)
        G.train()
        _, _, surface = discriminator_surface(D, limit, resolution, device)
        snapshots.append(GANSnapshot(step, samples, surface))

    history = torch.zeros(steps, 5, device=device)
    bar = tqdm(total=d_warmup + steps, desc=f"GAN ({loss})", unit="step",
               disable=not progress, leave=False)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    done = 0
    while done < d_warmup:      # D alone, against the untrained generator
        chunk = min(snapshot_every, d_warmup - done)
        reals, noises = batches(chunk)
        for i in range(chunk):
            with torch.no_grad():
                fake = G(noises[i])
            d_step(reals[i], fake)
        done += chunk
        bar.update(chunk)
    snapshot(0)
    step = 0
    while step < steps:
        chunk = min(snapshot_every, steps - step)
        reals, noises = batches(chunk)
        for i in range(chunk):
            fake = G(noises[i])
            d_loss, l_real, l_fake = d_step(reals[i], fake.detach())
            l_gen = D(fake)     # through the freshly updated D
            g_loss = (-F.softplus(l_gen).mean() if loss == "saturating"
                      else F.softplus(-l_gen).mean())
            opt_g.zero_grad(set_to_none=True)
            g_loss.backward()
            opt_g.step()
            g_norm = torch.linalg.vector_norm(
                torch.stack([torch.linalg.vector_norm(p.grad) for p in G.parameters()]))
            history[step + i] = torch.stack([d_loss, g_loss.detach(),
                                             torch.sigmoid(l_real).mean(),
                                             torch.sigmoid(l_fake).mean(), g_norm])
        step += chunk
        snapshot(step)
        bar.update(chunk)
        if progress:
            last = history[step - 1].tolist()
            bar.set_postfix(d_loss=f"{last[0]:.3f}", g_loss=f"{last[1]:.3f}",
                            D_fake=f"{last[3]:.2f}")
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    seconds = time.perf_counter() - start
    bar.close()
    hist = history.cpu().numpy().astype(np.float64)
    names = ("d_loss", "g_loss", "d_real", "d_fake", "g_grad_norm")
    xs = np.linspace(-limit, limit, resolution)
    config = dict(loss=loss, steps=steps, batch_size=batch_size, z_dim=z_dim, hidden=hidden,
                  depth=depth, lr=lr, betas=tuple(betas), modes=modes, radius=radius, std=std,
                  optimizer=optimizer, d_warmup=d_warmup, seed=seed)
    return GANRun(loss, G, D, snapshots, {n: hist[:, k] for k, n in enumerate(names)},
                  centers, real_show, (xs, xs.copy()), seconds, str(device), config)
