"""Benchmarks: how fast the course is, measured against its references.

    python -m dlcourse.bench                      # everything; writes bench/results.json
    python -m dlcourse.bench --only ratios,import --repeats 50
    python -m dlcourse.bench --quick              # a smoke run of every section (CI runs it)

Sections (``--only`` takes a comma-separated list):

- ``import``: the time of ``import dlcourse`` in a fresh interpreter, and whether it pulled in
  torch (it must not);
- ``ratios``: each vectorized NumPy reference against the same operation in torch on the CPU,
  measured in one process, interleaved, median of ``--repeats`` runs, float64 on both sides.
  Where a reference has a fast path (the same result by a less readable route, tested equal
  to it), both are timed; the target applies to the faster one, and the readable one's ratio
  is reported beside it;
- ``workloads``: the chapters' torch training workloads, seconds per epoch on the CPU and, when
  the course's device helper picks a GPU (CUDA or MPS; ``$DLCOURSE_DEVICE`` decides as in the
  notebooks), on it too, with the speed-up;
- ``grader``: seconds per submission for a class of 50 copies of chapter 01, two at a time;
- ``notebooks``: every solution notebook executed in a fresh kernel, outputs discarded;
- ``widgets``: every explorer of ``dlcourse.widgets`` built with its notebook's settings, then
  each of its controls set to three other values: the kernel-side time of each change (the
  view, the scene and its serialization for the browser), median and worst against ≤ 50 ms
  and ≤ 100 ms; for the training explorers also the time of an animation frame (≥ 5 frames a
  second). Background caches an explorer starts (``live.Precompute``) are awaited first, as
  a student meets them a few seconds after the cell ran. The browser side (key press to
  painted picture, p90 ≤ 200 ms) is measured by ``tests/test_browser.py`` and printed there.

Each figure is printed next to its target; the JSON file holds them all with the machine's
description. Timings depend on the machine: compare figures taken on the same one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("import", "ratios", "workloads", "grader", "notebooks", "widgets")
WIDGET_TARGET_MEDIAN_MS, WIDGET_TARGET_WORST_MS = 50.0, 100.0
FRAME_TARGET_FPS = 5.0
TRAINING_CHAPTERS = {"12", "13", "14", "15", "16"}


@dataclass
class Timing:
    """One NumPy-vs-torch comparison: the readable reference, its fast path if it has one."""

    name: str
    readable_s: float
    torch_s: float
    target: float | None
    fast_s: float | None = None

    @property
    def ratio(self) -> float:
        """The ratio the target applies to: the fast path's where there is one."""
        return (self.readable_s if self.fast_s is None else self.fast_s) / self.torch_s

    def row(self) -> dict[str, Any]:
        def ms(seconds: float | None) -> float | None:
            return None if seconds is None else round(seconds * 1e3, 4)

        return {"name": self.name, "readable_ms": ms(self.readable_s), "fast_ms": ms(self.fast_s),
                "torch_ms": ms(self.torch_s),
                "readable_ratio": round(self.readable_s / self.torch_s, 3),
                "fast_ratio": None if self.fast_s is None else round(self.fast_s / self.torch_s, 3),
                "ratio": round(self.ratio, 3), "target": self.target,
                "meets_target": None if self.target is None else self.ratio <= self.target}


def interleaved_median(first: Callable[[], Any], second: Callable[[], Any], repeats: int,
                       ) -> tuple[float, float]:
    """Median seconds of ``first`` and ``second``, called alternately after one warm-up each."""
    first()
    second()
    a, b = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        first()
        a.append(time.perf_counter() - t)
        t = time.perf_counter()
        second()
        b.append(time.perf_counter() - t)
    return statistics.median(a), statistics.median(b)


def interleaved_medians(fns: list[Callable[[], Any]], repeats: int) -> list[float]:
    """Median seconds of each function, called in turn (one round per repeat) after a warm-up."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, spent in zip(fns, times, strict=True):
            t = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - t)
    return [statistics.median(spent) for spent in times]


# ---------------------------------------------------------------- NumPy vs torch


def _ratio_cases(quick: bool) -> list[tuple[str, float | None, Callable[[], tuple]]]:
    """(name, target ratio, builder) for every comparison. A builder returns (numpy_fn,
    torch_fn), or (numpy_fn, fast_fn, torch_fn) where the reference has a fast path."""
    import torch
    import torch.nn.functional as F

    from dlcourse import conv, layers, losses, normalization, recurrent

    rng = np.random.default_rng(0)
    t64 = torch.float64

    def tensor(a, grad=False):
        return torch.tensor(a, dtype=t64, requires_grad=grad)

    def dense():
        n, d, m = (32, 64, 32) if quick else (256, 512, 256)
        x, W, b = rng.normal(size=(n, d)), rng.normal(size=(d, m)), rng.normal(size=m)
        dout = rng.normal(size=(n, m))
        tx, tW, tb, tdout = tensor(x, True), tensor(W, True), tensor(b, True), tensor(dout)

        def np_fn():
            _out, cache = layers.dense_forward(x, W, b)
            return layers.dense_backward(dout, cache)

        def torch_fn():
            out = tx @ tW + tb
            return torch.autograd.grad(out, (tx, tW, tb), tdout)

        return np_fn, torch_fn

    def softmax_ce():
        n, k = (32, 10) if quick else (256, 1000)
        z, y = rng.normal(size=(n, k)), rng.integers(0, k, size=n)
        tz, ty = tensor(z, True), torch.tensor(y)

        def np_fn():
            return losses.cross_entropy_with_grad(z, y)

        def torch_fn():
            loss = F.cross_entropy(tz, ty)
            return torch.autograd.grad(loss, tz)

        return np_fn, torch_fn

    def mlp_epoch():
        """Chapter 06: one epoch of the from-scratch MLP 64-128-10 on the digits, plain SGD with
        batches of 32 and the loss on the whole set afterwards (what ``train_mlp`` does), against
        the same model and the same batches in torch."""
        from dlcourse.data import load_digits_split

        split = load_digits_split()
        X, y = split.X_train, split.y_train
        if quick:
            X, y = X[:128], y[:128]
        model = layers.MLP([64, 128, 10], activation="relu", seed=0)
        net = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(),
                                  torch.nn.Linear(128, 10)).to(t64)
        tX, ty = tensor(X), torch.tensor(y)
        order = torch.from_numpy(np.random.default_rng(0).permutation(len(X)))
        lr = 0.5

        def np_fn():
            layers.train_mlp(model, X, y, lr=lr, epochs=1, batch_size=32, seed=0)

        def torch_fn():
            for start in range(0, len(order), 32):
                idx = order[start:start + 32]
                loss = F.cross_entropy(net(tX[idx]), ty[idx])
                net.zero_grad()
                loss.backward()
                with torch.no_grad():
                    for param in net.parameters():
                        param -= lr * param.grad
            with torch.no_grad():
                F.cross_entropy(net(tX), ty)

        return np_fn, torch_fn

    def conv2d():
        n = 8 if quick else 64
        x, w, b = rng.normal(size=(n, 1, 28, 28)), rng.normal(size=(6, 1, 5, 5)), rng.normal(
            size=6)
        dout = rng.normal(size=(n, 6, 24, 24))
        tx, tw, tb, td = tensor(x, True), tensor(w, True), tensor(b, True), tensor(dout)

        def np_fn():
            _out, cache = conv.conv2d_forward(x, w, b)
            return conv.conv2d_backward(dout, cache)

        def fast_fn():
            _out, cache = conv.conv2d_forward(x, w, b)
            return conv._conv2d_backward_fast(dout, cache)

        def torch_fn():
            return torch.autograd.grad(F.conv2d(tx, tw, tb), (tx, tw, tb), td)

        return np_fn, fast_fn, torch_fn

    def pool(kind):
        def build():
            n = 8 if quick else 64
            x = rng.normal(size=(n, 6, 24, 24))
            dout = rng.normal(size=(n, 6, 12, 12))
            tx, td = tensor(x, True), tensor(dout)
            fwd = getattr(conv, f"{kind}_pool2d_forward")
            bwd = getattr(conv, f"{kind}_pool2d_backward")
            fast_fwd = getattr(conv, f"_{kind}_pool2d_forward_fast")
            fast_bwd = getattr(conv, f"_{kind}_pool2d_backward_fast", bwd)
            tfn = getattr(F, f"{kind}_pool2d")

            def np_fn():
                _out, cache = fwd(x, 2)
                return bwd(dout, cache)

            def fast_fn():
                _out, cache = fast_fwd(x, 2)
                return fast_bwd(dout, cache)

            def torch_fn():
                return torch.autograd.grad(tfn(tx, 2), tx, td)

            return np_fn, fast_fn, torch_fn

        return build

    def batch_norm(shape):
        def build():
            x = rng.normal(size=shape)
            c = shape[1]
            gamma, beta = rng.normal(size=c), rng.normal(size=c)
            dout = rng.normal(size=shape)
            tx, tg, tb, td = tensor(x, True), tensor(gamma, True), tensor(beta, True), \
                tensor(dout)
            rm, rv = np.zeros(c), np.ones(c)

            # a training step: forward, backward and the running statistics (torch updates
            # the running_mean and running_var it is given)
            def np_fn():
                _out, cache = normalization.batch_norm_forward(x, gamma, beta, rm, rv,
                                                               training=True)
                normalization.batch_norm_running_stats(x, rm, rv)
                return normalization.batch_norm_backward(dout, cache)

            def fast_fn():
                _out, cache, _mean, _var = normalization._batch_norm_train_step_fast(
                    x, gamma, beta, rm, rv)
                return normalization._batch_norm_backward_fast(dout, cache)

            def torch_fn():
                out = F.batch_norm(tx, torch.zeros(c, dtype=t64), torch.ones(c, dtype=t64), tg,
                                   tb, training=True)
                return torch.autograd.grad(out, (tx, tg, tb), td)

            return np_fn, fast_fn, torch_fn

        return build

    def lstm_step():
        n, d, h = (8, 16, 16) if quick else (64, 128, 128)
        x, hp, cp = rng.normal(size=(n, d)), rng.normal(size=(n, h)), rng.normal(size=(n, h))
        Wx, Wh, b = rng.normal(size=(d, 4 * h)) * 0.1, rng.normal(size=(h, 4 * h)) * 0.1, \
            rng.normal(size=4 * h)
        dh, dc = rng.normal(size=(n, h)), rng.normal(size=(n, h))
        cell = torch.nn.LSTMCell(d, h, dtype=t64)
        with torch.no_grad():
            cell.weight_ih.copy_(torch.from_numpy(Wx.T))
            cell.weight_hh.copy_(torch.from_numpy(Wh.T))
            cell.bias_ih.copy_(torch.from_numpy(b))
            cell.bias_hh.zero_()
        tx, th, tc = tensor(x, True), tensor(hp, True), tensor(cp, True)
        tdh, tdc = tensor(dh), tensor(dc)

        def np_fn():
            _h1, _c1, cache = recurrent.lstm_step_forward(x, hp, cp, Wx, Wh, b)
            return recurrent.lstm_step_backward(dh, dc, cache)

        def torch_fn():
            h1, c1 = cell(tx, (th, tc))
            params = (tx, th, tc, *cell.parameters())
            return torch.autograd.grad((h1, c1), params, (tdh, tdc))

        return np_fn, torch_fn

    def optimizer(name, torch_cls, kwargs, ours_kwargs=None):
        def build():
            from dlcourse import optimizers

            size = 10_000 if quick else 1_000_000
            p0 = rng.normal(size=size)
            grad = rng.normal(size=size)
            cls = optimizers.OPTIMIZERS[name]
            mine = cls([p0.copy()], **(ours_kwargs or kwargs))
            tp = torch.tensor(p0, dtype=t64, requires_grad=True)
            tp.grad = torch.tensor(grad, dtype=t64)
            theirs = torch_cls([tp], **kwargs)

            def np_fn():
                mine.step([grad])

            def torch_fn():
                theirs.step()

            if not hasattr(cls, "_update_inplace"):
                return np_fn, torch_fn
            fast = cls([p0.copy()], **(ours_kwargs or kwargs))
            fast._update = fast._update_inplace  # the class's fast path, tested equal

            def fast_fn():
                fast.step([grad])

            return np_fn, fast_fn, torch_fn

        return build

    opt = torch.optim
    cases = [
        ("dense forward+backward", 3.0, dense),
        ("softmax cross-entropy + gradient", 3.0, softmax_ce),
        ("MLP 64-128-10 epoch on the digits, SGD batch 32", 3.0, mlp_epoch),
        ("conv2d forward+backward (LeNet batch)", 5.0, conv2d),
        ("max_pool2d forward+backward", 5.0, pool("max")),
        ("avg_pool2d forward+backward", 5.0, pool("avg")),
        ("batch norm forward+backward (256, 512)", 3.0, batch_norm((256, 512) if not quick
                                                                   else (32, 16))),
        ("batch norm forward+backward (64, 16, 28, 28)", 3.0,
         batch_norm((64, 16, 28, 28) if not quick else (4, 4, 8, 8))),
        ("LSTM cell step forward+backward", None, lstm_step),
    ]
    from dlcourse import optimizers

    torch_optimizers = {
        "SGD": (opt.SGD, {"lr": 0.01}),
        "Momentum": (opt.SGD, {"lr": 0.01, "momentum": 0.9}),
        "Nesterov": (opt.SGD, {"lr": 0.01, "momentum": 0.9, "nesterov": True}),
        "AdaGrad": (opt.Adagrad, {"lr": 0.01}),
        "AdaDelta": (opt.Adadelta, {"lr": 1.0}),
        "RMSProp": (opt.RMSprop, {"lr": 0.01}),
        "Adam": (opt.Adam, {"lr": 0.001}),
        "AMSGrad": (opt.Adam, {"lr": 0.001, "amsgrad": True}),
        "AdaMax": (opt.Adamax, {"lr": 0.002}),
        "NAdam": (opt.NAdam, {"lr": 0.002}),
    }
    for name in optimizers.OPTIMIZERS:
        key = next((k for k in torch_optimizers if k.lower() == name.lower()), None)
        if key is None:
            continue
        torch_cls, kwargs = torch_optimizers[key]
        ours = {k: v for k, v in kwargs.items() if k not in ("nesterov", "amsgrad")}
        cases.append((f"optimizer step {name} (1M float64)", 3.0,
                      optimizer(name, torch_cls, kwargs, ours)))
    return cases


def run_ratios(repeats: int, quick: bool) -> list[dict[str, Any]]:
    import torch

    rows = []
    for name, target, build in _ratio_cases(quick):
        *numpy_fns, torch_fn = build()
        *numpy_s, torch_s = interleaved_medians([*numpy_fns, torch_fn], repeats)
        fast_s = numpy_s[1] if len(numpy_s) == 2 else None
        rows.append(Timing(name, numpy_s[0], torch_s, target, fast_s).row())
        rows[-1]["torch_threads"] = torch.get_num_threads()
    return rows


# ---------------------------------------------------------------- import time


def run_import(repeats: int) -> dict[str, Any]:
    code = ("import time, sys; t = time.perf_counter(); import dlcourse, dlcourse.checking; "
            "print(time.perf_counter() - t, 'torch' in sys.modules)")
    times, pulled = [], False
    for _ in range(max(3, repeats // 5)):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()
        times.append(float(out[0]))
        pulled |= out[1] == "True"
    median = statistics.median(times)
    return {"import_dlcourse_s": round(median, 4), "imports_torch": pulled, "target_s": 1.0,
            "meets_target": median <= 1.0 and not pulled}


# ---------------------------------------------------------------- grader throughput


def run_grader(quick: bool) -> dict[str, Any]:
    from dlcourse import grade

    n = 3 if quick else 50
    solution = ROOT / "solutions" / "01_perceptron.ipynb"
    with tempfile.TemporaryDirectory(prefix="dlcourse-bench-") as tmp:
        subs = Path(tmp) / "submissions"
        subs.mkdir()
        for i in range(n):
            shutil.copy(solution, subs / f"student{i:03d}.ipynb")
        start = time.perf_counter()
        code = grade.main([str(subs), "--out", str(Path(tmp) / "out"), "--jobs", "2",
                           "--quiet"])
        wall = time.perf_counter() - start
        data = json.loads((Path(tmp) / "out" / "grades.json").read_text())
    child = [s["seconds"] for s in data["students"].values()]
    per = wall / n
    return {"submissions": n, "jobs": 2, "wall_s": round(wall, 3),
            "seconds_per_submission": round(per, 4),
            "child_seconds_per_submission": round(statistics.mean(child), 4),
            "all_full_marks": all(s["total"] == s["max_total"]
                                  for s in data["students"].values()),
            "exit_status": code, "isolation": data["meta"]["isolation"],
            "mode": data["meta"]["mode"], "target_s": 0.5, "meets_target": per <= 0.5}


# ---------------------------------------------------------------- widgets


def _gan_run(quick: bool):
    from dlcourse.gan import train_gan

    return train_gan(steps=40 if quick else 300, snapshot_every=10 if quick else 50,
                     device="cpu", progress=False, seed=0)


def widget_cases(quick: bool = False) -> list[tuple[str, str, Callable[[], Any]]]:
    """(chapter, explorer, build) for every explorer, with its notebook's settings; explorers
    around a trained model get a small one here (their per-change cost does not depend on how
    well it was trained)."""
    from dlcourse.widgets import (
        activation_explorer,
        activation_health,
        backprop_steps,
        batch_size_tradeoff,
        code_space,
        conv_window,
        covariate_shift,
        decision_line,
        digit_shift,
        dropout_practice,
        gan_snapshots,
        gan_training,
        gradient_flow,
        init_histograms,
        layer_gradients,
        local_vs_conv,
        mlp_curves,
        norm_noise,
        optimizer_paths,
        playground,
        regularization_curves,
        residual_gradients,
        rnn_shapes,
        shifted_accuracy,
        softmax_explorer,
        transfer_curves,
        vae_kl,
    )

    def digits_cnn():
        import torch

        from dlcourse.data import load_digits_split
        from dlcourse.nets.lenet import MLP, LeNet

        torch.manual_seed(0)
        split = load_digits_split()
        return digit_shift.digit_shift_explorer(LeNet(), split.X_test.reshape(-1, 8, 8),
                                                split.y_test, mlp=MLP(), index=5)

    def pca_codes():
        from dlcourse.data import load_digits_split
        from dlcourse.decomposition import pca_inverse_transform, pca_svd, pca_transform

        split = load_digits_split()
        components, _, mean = pca_svd(split.X_train, 2)
        return code_space.code_space_explorer(
            lambda z: pca_inverse_transform(z, components, mean),
            pca_transform(split.X_train, components, mean), split.y_train)

    def batch_sweep():
        from dlcourse.batch_size import sweep_batch_sizes
        from dlcourse.data import load_digits_split

        split = load_digits_split()
        n = 300 if quick else len(split.X_train)
        runs = sweep_batch_sizes(split.X_train[:n], split.y_train[:n], [1, 4, 16, 64, 256, n],
                                 target=1.0 if quick else 0.5, device="cpu")
        return batch_size_tradeoff.batch_size_explorer(runs, batch_size=16, axis="seconds")

    def shift_recordings():
        from dlcourse.data import load_digits_split
        from dlcourse.nets.shift_mlp import train_recording_shift

        split = load_digits_split()
        recordings = [train_recording_shift(split.X_train, split.y_train, split.X_val, norm=n,
                                            steps=30 if quick else 300, device="cpu")
                      for n in ("none", "batch", "noisy")]
        return covariate_shift.covariate_shift_explorer(recordings)


    def shifted_grids():
        import numpy as np
        import torch

        from dlcourse.data import load_digits_split
        from dlcourse.nets.lenet import MLP, LeNet
        from dlcourse.widgets.shifted_accuracy import shift_accuracy_grid

        torch.manual_seed(0)
        split = load_digits_split()
        images, labels = split.images(split.X_test), split.y_test

        def predictor(net):
            def predict(x):
                with torch.no_grad():
                    return net(torch.as_tensor(x[:, None], dtype=torch.float32)).argmax(1).numpy()
            return predict

        grids = {name: shift_accuracy_grid(predictor(net.eval()), images, labels)
                 for name, net in (("CNN", LeNet()), ("MLP", MLP()))}
        grids["flat"] = np.full((5, 5), 0.5)
        return shifted_accuracy.shifted_accuracy_explorer(grids, images, labels, index=3)

    def transfer_results():
        import numpy as np

        rng = np.random.default_rng(0)
        ways = ("from scratch", "last layer", "new head", "everything", "last layer, autoencoder")
        return transfer_curves.transfer_explorer(
            {way: rng.uniform(0.3, 1.0, size=(4, 3)) for way in ways}, [1, 3, 10, 30])

    return [
        ("01", "decision_line_explorer", lambda: decision_line.decision_line_explorer()),
        ("02", "playground", lambda: playground.playground(epochs=20 if quick else 200)),
        ("03", "activation_explorer", lambda: activation_explorer.activation_explorer()),
        ("03", "activation_health_explorer",
         lambda: activation_health.activation_health_explorer()),
        ("04", "softmax_explorer", lambda: softmax_explorer.softmax_explorer()),
        ("05", "backprop_steps", lambda: backprop_steps.backprop_steps()),
        ("06", "mlp_curves_explorer", lambda: mlp_curves.mlp_curves_explorer(
            epochs=2 if quick else 15)),
        ("07", "optimizer_paths_explorer", lambda: optimizer_paths.optimizer_paths_explorer()),
        ("07", "batch_size_explorer", batch_sweep),
        ("08", "init_histograms_explorer", lambda: init_histograms.init_histograms_explorer()),
        ("09", "regularization_curves_explorer",
         lambda: regularization_curves.regularization_curves_explorer(
             epochs=20 if quick else 300)),
        ("09", "dropout_practice_explorer",
         lambda: dropout_practice.dropout_practice_explorer(device="cpu")),
        ("10", "norm_noise_explorer", lambda: norm_noise.norm_noise_explorer()),
        ("10", "covariate_shift_explorer", shift_recordings),
        ("11", "conv_window_explorer", lambda: conv_window.conv_window_explorer()),
        ("11", "local_vs_conv_explorer", lambda: local_vs_conv.local_vs_conv_explorer()),
        ("12", "digit_shift_explorer", digits_cnn),
        ("12", "shifted_accuracy_explorer", shifted_grids),
        ("13", "gradient_flow_explorer", lambda: gradient_flow.gradient_flow_explorer(
            seq_len=60, forget_bias=3.0)),
        ("13", "rnn_shapes_explorer", lambda: rnn_shapes.rnn_shapes_explorer()),
        ("14", "gan_snapshots_explorer",
         lambda: gan_snapshots.gan_snapshots_explorer(_gan_run(quick))),
        ("14", "gan_training_explorer", lambda: gan_training.gan_training_explorer(
            steps=20 if quick else 200)),
        ("15", "code_space_explorer", pca_codes),
        ("15", "transfer_explorer", transfer_results),
        ("15", "vae_kl_explorer", lambda: vae_kl.vae_kl_explorer()),
        ("16", "layer_gradients_explorer", lambda: layer_gradients.layer_gradients_explorer()),
        ("16", "residual_gradients_explorer",
         lambda: residual_gradients.residual_gradients_explorer()),
    ]


def other_values(control, count: int) -> list[Any]:
    """Up to ``count`` valid values of a control other than its current one: the next
    positions of a slider (upwards, turning back at the end), other options of a picker."""
    import ipywidgets as w

    if isinstance(control, w.widgets.widget_selection._MultipleSelection):
        options = list(control._options_values)
        current = tuple(control.value)
        picks = [tuple(options[:k]) for k in range(1, len(options) + 1)]
        return [p for p in picks if p != current][:count]
    if isinstance(control, w.widgets.widget_selection._Selection):
        return [v for v in control._options_values if v != control.value][:count]
    if isinstance(control, w.widgets.widget_bool._Bool):
        return [not control.value, control.value, not control.value][:count]
    values, value, direction = [], control.value, 1
    for _ in range(count):
        if isinstance(control, w.FloatLogSlider):
            factor = control.base ** control.step
            nxt = value * factor if direction > 0 else value / factor
            if not control.base ** control.min <= nxt <= control.base ** control.max:
                direction = -direction
                nxt = value * factor if direction > 0 else value / factor
        else:
            step = control.step or 1
            nxt = value + direction * step
            if not control.min <= nxt <= control.max:
                direction = -direction
                nxt = value + direction * step
        values.append(nxt)
        value = nxt
    return values


def time_explorer(build: Callable[[], Any], changes: int = 3, frames: int = 10,
                  ) -> dict[str, Any]:
    """Build an explorer, then time ``changes`` changes of every control (kernel side: the
    explorer's redraw and the serialization of the figure's new state) and, for a training
    explorer, ``frames`` animation frames."""
    from dlcourse.widgets import live

    start = time.perf_counter()
    ui = build()
    bundle = ui._repr_mimebundle_()          # what displaying it costs: the static PNG too
    build_s = time.perf_counter() - start
    live.wait_for_precomputations()
    times = []
    for control in ui.explorer.controls.values():
        for value in other_values(control, changes):
            start = time.perf_counter()
            control.value = value
            live.serialized_size(ui.figure)
            times.append(time.perf_counter() - start)
    row: dict[str, Any] = {
        "build_s": round(build_s, 3), "changes": len(times),
        "median_ms": round(1e3 * statistics.median(times), 2),
        "worst_ms": round(1e3 * max(times), 2),
        "state_kb": round(live.serialized_size(ui.figure) / 1024, 1),
        "static_png": "image/png" in bundle}
    row["meets_target"] = (row["median_ms"] <= WIDGET_TARGET_MEDIAN_MS
                           and row["worst_ms"] <= WIDGET_TARGET_WORST_MS)
    animation = ui.animation
    if animation is not None:
        animation.reset()
        frame_times = []
        for _ in range(frames):
            start = time.perf_counter()
            animation.frame()
            live.serialized_size(ui.figure)
            frame_times.append(time.perf_counter() - start)
        frame = statistics.median(frame_times[1:] or frame_times)
        row["frame_ms"] = round(1e3 * frame, 1)
        row["fps"] = round(1.0 / max(frame, animation.frame_interval), 1)
        row["meets_target"] = row["meets_target"] and row["fps"] >= FRAME_TARGET_FPS
    return row


def run_widgets(quick: bool) -> list[dict[str, Any]]:
    rows = []
    for chapter, name, build in widget_cases(quick):
        row = {"chapter": chapter, "explorer": name,
               **time_explorer(build, changes=1 if quick else 3, frames=3 if quick else 10)}
        rows.append(row)
    return rows


# ---------------------------------------------------------------- notebooks


def run_notebooks(quick: bool) -> dict[str, Any]:
    import nbformat

    from dlcourse.kernel import run_notebook

    paths = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
    if quick:
        paths = paths[:1]
    rows = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()  # kernel start-up included: a student's "Run All" pays it
        run_notebook(nb, path.parent, timeout=300)
        seconds = time.perf_counter() - start
        target = 30.0 if path.name[:2] in TRAINING_CHAPTERS else 20.0
        rows.append({"notebook": path.name, "seconds": round(seconds, 2), "target_s": target,
                     "meets_target": seconds <= target})
    total = sum(r["seconds"] for r in rows)
    return {"notebooks": rows, "total_s": round(total, 2), "total_target_s": 300.0,
            "meets_target": total <= 300.0 and all(r["meets_target"] for r in rows)}


# ---------------------------------------------------------------- torch workloads


@dataclass
class Workload:
    """A training workload: ``run(device, quick)`` returns seconds per ``unit``.

    ``speedup_target``: the least GPU-over-CPU speed-up it should reach (None: no target).
    """

    name: str
    unit: str
    run: Callable[[str, bool], float]
    speedup_target: float | None = None


def workloads() -> list[Workload]:
    """The chapters' torch training workloads, each at the batch size its notebook uses."""
    return [
        Workload("MLP on digits (ch06/09)", "epoch: 1,169 digits, batch 32, SGD", _mlp_epoch),
        Workload("CNN on digits (ch12)", "epoch: 1,169 digits, batch 64, Adam", _cnn_epoch, 5.0),
        Workload("GAN on the ring (ch14)", "100 steps of batch 256 + 1 snapshot", _gan_100_steps,
                 5.0),
        Workload("char-level LSTM (ch13)", "epoch: every 32-char window once, batch 32",
                 _char_lstm_epoch),
    ]


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()
    elif device == "mps":
        torch.mps.synchronize()


def _timed_epochs(step_epoch: Callable[[], None], device: str, epochs: int) -> float:
    """Median seconds of ``epochs`` calls of ``step_epoch`` after one warm-up call."""
    step_epoch()  # warm-up: allocations, kernels, caches, torch's lazy imports
    times = []
    for _ in range(epochs):
        _sync(device)
        start = time.perf_counter()
        step_epoch()
        _sync(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _mlp_epoch(device: str, quick: bool) -> float:
    import torch
    from torch import nn

    from dlcourse.data import load_digits_split
    from dlcourse.training import fit

    split = load_digits_split()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    X, y = split.X_train, split.y_train

    def epoch():
        fit(model, X, y, epochs=1, batch_size=32, lr=0.1, device=device, progress=False)

    return _timed_epochs(epoch, device, 1 if quick else 5)


def _cnn_epoch(device: str, quick: bool) -> float:
    import torch

    from dlcourse.data import load_digits_split
    from dlcourse.nets.lenet import LeNet
    from dlcourse.training import fit

    split = load_digits_split()
    X = split.X_train.reshape(-1, 1, 8, 8)
    torch.manual_seed(0)
    model = LeNet().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

    def epoch():
        fit(model, X, split.y_train, optimizer=optimizer, epochs=1, batch_size=64,
            device=device, progress=False)

    return _timed_epochs(epoch, device, 1 if quick else 5)


def _gan_100_steps(device: str, quick: bool) -> float:
    from dlcourse.gan import train_gan

    steps = 10 if quick else 100

    def run():
        train_gan(steps=steps, snapshot_every=steps, device=device, progress=False)

    return _timed_epochs(run, device, 1 if quick else 5) * 100 / steps


def _char_lstm_epoch(device: str, quick: bool) -> float:
    from dlcourse.device import seed_everything
    from dlcourse.nets.char_rnn import CharRNN, train_char_model
    from dlcourse.sequence_tasks import (
        PROJECT_TEXT,
        char_vocabulary,
        encode_text,
        next_char_windows,
    )

    vocabulary = char_vocabulary(PROJECT_TEXT)
    inputs, targets = next_char_windows(encode_text(PROJECT_TEXT, vocabulary), 32)
    seed_everything(0)
    model = CharRNN(len(vocabulary), hidden=64, cell="lstm")
    steps_per_epoch = -(-len(inputs) // 32)
    steps = 5 if quick else steps_per_epoch

    def run():
        train_char_model(model, inputs, targets, steps=steps, batch_size=32, lr=1e-2,
                         device=device)

    return _timed_epochs(run, device, 1 if quick else 3) * steps_per_epoch / steps


def workload_devices() -> list[str]:
    """The devices to time: always the CPU, and the GPU the course would use, if any.

    ``get_device()`` decides, so ``$DLCOURSE_DEVICE`` is honoured: ``cpu`` times the CPU only,
    ``cuda`` on a machine without a CUDA GPU stops with the device helper's clear error.
    """
    from dlcourse.device import get_device

    chosen = get_device()
    return ["cpu"] if chosen.type == "cpu" else ["cpu", str(chosen)]


def run_workloads(quick: bool, devices: list[str]) -> list[dict[str, Any]]:
    """Seconds per unit on each of ``devices`` (from ``workload_devices``), with the GPU's
    speed-up over the CPU when a GPU is among them."""
    gpu = devices[1] if len(devices) > 1 else None
    rows = []
    for workload in workloads():
        row: dict[str, Any] = {"workload": workload.name, "unit": workload.unit}
        for device in devices:
            key = "cpu" if device == "cpu" else "gpu"
            try:
                row[f"{key}_s"] = round(workload.run(device, quick), 4)
            except Exception as err:  # one broken workload must not hide the others' figures
                row[f"{key}_error"] = f"{type(err).__name__}: {err}"
        if gpu is None:
            row["gpu_s"] = "no GPU"
        else:
            row["gpu"] = gpu
        if "gpu_s" in row and isinstance(row["gpu_s"], float) and "cpu_s" in row:
            row["speedup"] = round(row["cpu_s"] / row["gpu_s"], 2)
            if workload.speedup_target is not None:
                row["speedup_target"] = workload.speedup_target
                row["meets_target"] = row["speedup"] >= workload.speedup_target
        rows.append(row)
    return rows


# ---------------------------------------------------------------- the command


def machine() -> dict[str, Any]:
    import torch

    info = {"python": platform.python_version(), "platform": platform.platform(),
            "cpu_count": os.cpu_count(), "numpy": np.__version__, "torch": torch.__version__,
            "torch_threads": torch.get_num_threads(),
            "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}
    return info


def _print_table(title: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    print(f"\n{title}")
    widths = [max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for r in rows:
        print("  ".join(str(r.get(c, "")).ljust(w) for c, w in zip(columns, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.bench",
                                     description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections (default: all of {', '.join(SECTIONS)})")
    parser.add_argument("--repeats", type=int, default=30, help="repeats per ratio timing")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes and one repeat: checks that every section runs")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from "
                     f"{', '.join(SECTIONS)}")
    devices: list[str] = []
    if "workloads" in sections:
        from dlcourse.device import DeviceUnavailableError

        try:
            devices = workload_devices()
        except (ValueError, DeviceUnavailableError) as err:  # before minutes of other sections
            parser.error(str(err))
    repeats = 2 if args.quick else max(1, args.repeats)
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick,
                               "date": time.strftime("%Y-%m-%d %H:%M")}
    if "import" in sections:
        results["import"] = run_import(repeats)
        r = results["import"]
        print(f"import dlcourse: {r['import_dlcourse_s']:.3f} s (target ≤ 1 s), torch imported: "
              f"{r['imports_torch']}")
    if "ratios" in sections:
        results["ratios"] = run_ratios(repeats, args.quick)
        _print_table("NumPy reference (readable, and its fast path where it has one) vs torch "
                     "(CPU, float64, median, interleaved); the target applies to the faster",
                     results["ratios"], ["name", "readable_ms", "fast_ms", "torch_ms",
                                         "readable_ratio", "fast_ratio", "target",
                                         "meets_target"])
    if "workloads" in sections:
        results["workloads"] = run_workloads(args.quick, devices)
        _print_table("Training workloads (seconds per unit; on a GPU, CNN and GAN ≥ 5× the CPU)",
                     results["workloads"],
                     ["workload", "unit", "cpu_s", "gpu_s", "speedup", "cpu_error", "gpu_error"])
    if "grader" in sections:
        results["grader"] = run_grader(args.quick)
        g = results["grader"]
        print(f"\ngrader: {g['submissions']} submissions in {g['wall_s']} s with --jobs 2: "
              f"{g['seconds_per_submission']} s per submission (target ≤ 0.5 s); "
              f"isolation {g['isolation']}, mode {g['mode']}")
    if "notebooks" in sections:
        results["notebooks"] = run_notebooks(args.quick)
        _print_table("Solution notebooks (fresh kernel)", results["notebooks"]["notebooks"],
                     ["notebook", "seconds", "target_s", "meets_target"])
        print(f"total: {results['notebooks']['total_s']} s (target ≤ 300 s)")
    if "widgets" in sections:
        results["widgets"] = run_widgets(args.quick)
        _print_table(f"Explorers: kernel-side ms per control change (target median ≤ "
                     f"{WIDGET_TARGET_MEDIAN_MS:g}, worst ≤ {WIDGET_TARGET_WORST_MS:g}); "
                     f"training explorers: ms per animation frame (≥ {FRAME_TARGET_FPS:g} fps)",
                     results["widgets"], ["chapter", "explorer", "changes", "median_ms",
                                          "worst_ms", "frame_ms", "fps", "build_s", "state_kb",
                                          "meets_target"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
