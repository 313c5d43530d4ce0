"""Chapter 14's training explorer: watch a GAN learn the ring of Gaussians, live.

Play, pause, step and reset, as in TensorFlow Playground: the generator and the discriminator
of ``dlcourse.gan.train_gan`` (two small MLPs, one update of D then one of G per step, G
through the freshly updated D) train a few dozen steps per frame. The left plot shows D's
probability "real" over the plane (blue: real, red: fake), the real data, the samples G makes
from a fixed batch of noise and which modes they cover (green circles covered, dotted red
missed); the right plot follows the mean of D on the real and on the generated batch, step by
step. A picker chooses the generator's loss (non-saturating −log D(G(z)) or saturating
log(1 − D(G(z)))) and a slider the learning rate; either starts a fresh pair of networks at
step 0, and training only ever starts from the play or step button.

``GANTrainer`` does the computing (a ``live.Trainer``), ``gan_training_scene`` says what is
drawn, ``gan_training_explorer`` is the thin widget.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse._validate import one_of, positive_int, real_in_range
from dlcourse.gan import (
    GENERATOR_LOSSES,
    _optimizer,
    mode_coverage,
    ring_centers,
    sample_ring,
)
from dlcourse.widgets import live

GENERATED_COLOR, REAL_COLOR = "#E69F00", "#555555"
SURFACE_COLORS = ("#B2182B", "#F7F7F7", "#2166AC")
"""D's surface: red where D says "fake" (0), white at 1/2, blue where it says "real" (1)."""


class GANTrainer:
    """A GAN on the ring of Gaussians, advanced step by step (a ``live.Trainer``).

    The networks, optimizers and update order are those of ``dlcourse.gan.train_gan`` (Adam
    with ``betas``, D on −V, then G with ``loss`` through the updated D). Real batches come from
    ``np.random.default_rng(seed)``, noise from a CPU ``torch.Generator`` seeded ``seed``; the
    samples shown are G of a fixed noise batch of ``n_samples``. ``reset()`` re-seeds
    everything, so a run is repeatable. ``history`` holds the mean D on the real and on the
    generated batch (before D's update) per step.
    """

    def __init__(self, loss: str = "nonsaturating", lr: float = 2e-3, *, batch_size: int = 256,
                 z_dim: int = 2, hidden: int = 64, depth: int = 2,
                 betas: tuple[float, float] = (0.5, 0.999), modes: int = 8,
                 radius: float = 2.0, std: float = 0.05, n_samples: int = 500,
                 limit: float = 3.0, resolution: int = 41, max_steps: int = 5000,
                 coverage_radius: float = 0.25, min_count: int = 10, seed: int = 0,
                 device: Any = None):
        from dlcourse.device import get_device

        self.loss = one_of(loss, GENERATOR_LOSSES, "loss")
        self.lr = real_in_range(lr, "lr", low=0.0, low_open=True)
        self.batch_size = positive_int(batch_size, "batch_size")
        self.z_dim, self.hidden, self.depth = z_dim, hidden, depth
        self.betas = betas
        self.modes, self.radius, self.std = modes, radius, std
        self.n_samples = positive_int(n_samples, "n_samples")
        self.limit = real_in_range(limit, "limit", low=0.0, low_open=True)
        self.resolution = positive_int(resolution, "resolution", minimum=2)
        self.max_steps = positive_int(max_steps, "max_steps")
        self.coverage_radius, self.min_count = coverage_radius, min_count
        self.seed = positive_int(seed, "seed", minimum=0)
        self.device = get_device(device) if device is None or isinstance(device, str) else device
        self.centers = ring_centers(modes, radius)
        self.real_show, _ = sample_ring(self.n_samples, modes=modes, radius=radius, std=std,
                                        rng=np.random.default_rng(self.seed + 1))
        self.reset()

    def reset(self) -> None:
        import torch

        from dlcourse.nets.gan import Discriminator, Generator

        torch.manual_seed(self.seed)
        self.G = Generator(self.z_dim, self.hidden, self.depth).to(self.device)
        self.D = Discriminator(2, self.hidden, self.depth).to(self.device)
        self.opt_g, self.opt_d = (_optimizer("adam", net, self.lr, self.betas, self.device)
                                  for net in (self.G, self.D))
        self.data_rng = np.random.default_rng(self.seed)
        self.noise_gen = torch.Generator().manual_seed(self.seed)
        self.z_fixed = torch.randn(self.n_samples, self.z_dim,
                                   generator=self.noise_gen).to(self.device)
        self.history: dict[str, list[float]] = {"d_real": [], "d_fake": []}

    @property
    def position(self) -> int:
        return len(self.history["d_real"])

    @property
    def done(self) -> bool:
        return self.position >= self.max_steps

    def step(self, n: int = 1) -> None:
        """``n`` more GAN steps: one update of D, then one of G through the updated D."""
        import torch
        import torch.nn.functional as F

        n = min(n, self.max_steps - self.position)
        if n <= 0:
            return
        means = torch.zeros(n, 2, device=self.device)
        b = self.batch_size
        for i in range(n):
            # drawn step by step: the run is the same however the steps are grouped in frames
            real_np, _ = sample_ring(b, modes=self.modes, radius=self.radius, std=self.std,
                                     rng=self.data_rng)
            real = torch.as_tensor(real_np, dtype=torch.float32).to(self.device)
            noise = torch.randn(b, self.z_dim, generator=self.noise_gen).to(self.device)
            fake = self.G(noise)
            logits = self.D(torch.cat([real, fake.detach()]))
            l_real, l_fake = logits[:b], logits[b:]
            d_loss = F.softplus(-l_real).mean() + F.softplus(l_fake).mean()
            self.opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            self.opt_d.step()
            l_gen = self.D(fake)
            g_loss = (-F.softplus(l_gen).mean() if self.loss == "saturating"
                      else F.softplus(-l_gen).mean())
            self.opt_g.zero_grad(set_to_none=True)
            g_loss.backward()
            self.opt_g.step()
            means[i] = torch.stack([torch.sigmoid(l_real.detach()).mean(),
                                    torch.sigmoid(l_fake.detach()).mean()])
        means_np = means.cpu().numpy().astype(np.float64)
        self.history["d_real"] += means_np[:, 0].tolist()
        self.history["d_fake"] += means_np[:, 1].tolist()

    def samples(self) -> np.ndarray:
        """(n_samples, 2): G of the fixed noise batch."""
        import torch

        with torch.no_grad():
            return self.G(self.z_fixed).cpu().numpy().astype(np.float64)

    def surface(self) -> np.ndarray:
        """(r, r) D(x) on the grid over [−limit, limit]², row 0 at the bottom."""
        from dlcourse.gan import discriminator_surface

        return discriminator_surface(self.D, self.limit, self.resolution, self.device)[2]

    def scene(self) -> dict:
        return gan_training_scene(self)


def gan_training_scene(trainer: GANTrainer, width: int = 980, height: int = 430) -> dict:
    """The live figure of a GAN run: D's surface, the real and generated points and the modes
    they cover (left); the mean D on the real and the generated batch per step (right)."""
    samples = trainer.samples()
    covered, counts = mode_coverage(samples, trainer.centers, trainer.coverage_radius,
                                    trainer.min_count)
    lim = trainer.limit
    left, right = live.grid_boxes(width, height, ncols=2, ratios=[1, 1.15], top=50, left=50,
                                  wspace=80)
    surface = trainer.surface()
    grid = np.linspace(-lim, lim, trainer.resolution)
    plane = [live.image(surface, (-lim, lim, -lim, lim), cmap=SURFACE_COLORS,
                        vmin=0.0, vmax=1.0, alpha=0.55, smooth=True,
                        label="D(x): blue real, red fake"),
             live.contour(grid, grid, surface, 0.5, color="#000000", width=0.8, dash="dashed"),
             live.scatter(trainer.real_show[:, 0], trainer.real_show[:, 1], size=3,
                          color=REAL_COLOR, alpha=0.5, label="real data"),
             live.scatter(samples[:, 0], samples[:, 1], size=4, color=GENERATED_COLOR,
                          alpha=0.8, label="generated")]
    for center, count in zip(trainer.centers, counts, strict=True):
        ok = count >= trainer.min_count
        plane.append(live.circle(center[0], center[1], trainer.coverage_radius, width=1.4,
                                 edgecolor="#009E73" if ok else "#D55E00",
                                 dash=None if ok else "dotted"))
    curves = []
    if trainer.position:
        steps = np.arange(1, trainer.position + 1)
        keep = np.unique(np.linspace(0, len(steps) - 1, min(len(steps), 500)).astype(int))
        curves = [live.line(steps[keep], np.array(trainer.history["d_real"])[keep],
                            color="#0072B2", width=1, label="mean D(x), real batch"),
                  live.line(steps[keep], np.array(trainer.history["d_fake"])[keep],
                            color=GENERATED_COLOR, width=1, label="mean D(G(z)), generated")]
    curves.append(live.hline(0.5, color="#808080", dash="dotted",
                             label="1/2: D cannot tell them apart"))
    near = float(counts.sum() / len(samples))
    return live.scene(width, height, [
        live.panel(left, plane, xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal",
                   title=f"{covered}/{len(trainer.centers)} modes covered, {near:.0%} of the "
                         "samples near a mode", legend="lower left"),
        live.panel(right, curves, xlim=(0.5, max(100.0, trainer.position * 1.02)),
                   ylim=(0.0, 1.0), xlabel="step", ylabel="mean D", grid=True,
                   legend="upper right", title="what D says about each batch")],
        title=f"{trainer.loss} generator loss, lr {trainer.lr:.2g}: step {trainer.position}")


def gan_training_explorer(loss: str = "nonsaturating", lr: float = 2e-3, steps: int = 200):
    """The widget: the generator's loss and the learning rate (log slider), with play, pause,
    step and reset. Shown, it has trained ``steps`` steps; play trains on, animated."""
    import ipywidgets as widgets

    controls = {
        "loss": widgets.Dropdown(options=list(GENERATOR_LOSSES), value=loss,
                                 description="G's loss"),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-4, max=-1, step=0.1,
                                     description="learning rate", readout_format=".2g"),
    }
    trainer = GANTrainer(loss, lr)
    trainer.step(steps)
    figure = live.LiveFigure()
    animation = live.Animation(trainer, figure, max_per_frame=25, unit="step")

    def draw(loss, lr):
        current = animation.trainer
        if (loss, lr) != (current.loss, current.lr):
            animation.pause()
            animation.trainer = GANTrainer(loss, lr)
            animation.counter.value = animation.count_text()
        return animation.trainer.scene()

    return live.Explorer(controls, draw, animation=animation).widget
