"""dlcourse.surfaces: analytic gradients vs autograd, paths vs the optimizer classes."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch

from dlcourse import optimizers, surfaces

TORCH_VALUE = {
    "bowl": lambda x, y: 0.5 * (0.2 * x**2 + 4 * y**2),
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "saddle": lambda x, y: x**2 - y**2,
    "himmelblau": lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "beale": lambda x, y: ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2
                           + (2.625 - x + x * y**3) ** 2),
}


def test_every_surface_has_a_reference():
    assert set(surfaces.SURFACES) == set(TORCH_VALUE)


@pytest.mark.parametrize("name", list(surfaces.SURFACES))
def test_value_and_gradient_against_autograd(name):
    s = surfaces.SURFACES[name]
    rng = np.random.default_rng(0)
    pts = np.column_stack([rng.uniform(*s.xlim, 50), rng.uniform(*s.ylim, 50)])
    pts = np.vstack([pts, s.start])
    t = torch.tensor(pts, requires_grad=True)
    f = TORCH_VALUE[name](t[:, 0], t[:, 1])
    f.sum().backward()
    np.testing.assert_allclose(s.value(pts[:, 0], pts[:, 1]), f.detach().numpy(),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(s.grad(pts), t.grad.numpy(), rtol=1e-12, atol=1e-10)
    # a single point works too, and a grid of points keeps its shape
    np.testing.assert_allclose(s.grad(pts[3]), t.grad.numpy()[3], rtol=1e-12, atol=1e-10)
    assert s.grad(pts.reshape(3, 17, 2)).shape == (3, 17, 2)
    assert s(pts[:, 0], pts[:, 1]).shape == (51,)


@pytest.mark.parametrize("name", ["bowl", "rosenbrock", "himmelblau", "beale"])
def test_minima_are_stationary_and_lowest(name):
    s = surfaces.SURFACES[name]
    for m in s.minima:
        assert np.max(np.abs(s.grad(m))) < 1e-4
    _, _, Z = surfaces.surface_grid(s, 301)
    lowest = min(float(s.value(*m)) for m in s.minima)
    assert lowest <= Z.min() + 1e-12
    assert lowest == pytest.approx(0.0, abs=1e-9)


def test_saddle_is_a_saddle():
    s = surfaces.SURFACES["saddle"]
    np.testing.assert_array_equal(s.grad(np.zeros(2)), [0.0, 0.0])
    assert s.value(0.1, 0.0) > 0 > s.value(0.0, 0.1)
    assert s.minima.shape == (0, 2)


def test_grid_and_levels():
    X, Y, Z = surfaces.surface_grid("rosenbrock", 50)
    assert X.shape == Y.shape == Z.shape == (50, 50)
    assert X[0, 0] == -2.0 and X[0, -1] == 2.0 and Y[0, 0] == -1.0 and Y[-1, 0] == 3.0
    np.testing.assert_allclose(Z, TORCH_VALUE["rosenbrock"](X, Y), rtol=1e-14)
    lv = surfaces.contour_levels("rosenbrock", Z, 15)
    assert lv.shape == (15,) and np.all(np.diff(lv) > 0)
    assert lv[0] > Z.min() and lv[-1] == pytest.approx(Z.max())
    ratios = (lv[1:] - Z.min()) / (lv[:-1] - Z.min())
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)   # geometric spacing
    X, Y, Z = surfaces.surface_grid("saddle", 40)
    lv = surfaces.contour_levels("saddle", Z, 9)
    np.testing.assert_allclose(np.diff(lv), np.diff(lv)[0], rtol=1e-9)
    assert Z.min() < lv[0] and lv[-1] < Z.max()


@pytest.mark.parametrize("surface, lr", [("bowl", 0.3), ("rosenbrock", 1e-3),
                                         ("himmelblau", 0.01), ("beale", 0.005)])
def test_paths_equal_running_the_classes_by_hand(surface, lr):
    s = surfaces.get_surface(surface)
    names = list(optimizers.OPTIMIZERS)
    paths = surfaces.optimizer_paths(surface, names, lr, momentum=0.8, steps=60)
    assert list(paths) == names
    for name in names:
        kw = {"lr": lr}
        if name in ("momentum", "nesterov"):
            kw["momentum"] = 0.8
        elif name in ("adam", "amsgrad", "adamax", "nadam"):
            kw["betas"] = (0.8, 0.999)
        x = np.array(s.start, dtype=float)
        opt = optimizers.OPTIMIZERS[name]([x], **kw)
        expected = [x.copy()]
        for _ in range(60):
            opt.step([s.grad(x)])
            expected.append(x.copy())
        expected = np.array(expected)
        if np.all(np.isfinite(expected)) and np.max(np.abs(expected)) < 1e3:
            np.testing.assert_array_equal(paths[name], expected, err_msg=name)
        else:   # a diverging run: equal up to where it leaves the box, NaN after
            ok = np.isfinite(paths[name]).all(axis=1)
            np.testing.assert_array_equal(paths[name][ok], expected[ok], err_msg=name)
            assert not ok[-1]


def test_lr_per_optimizer_start_and_momentum_are_used():
    p = surfaces.optimizer_paths("bowl", ["sgd", "momentum"], {"sgd": 0.1, "momentum": 0.01},
                          momentum=0.5, steps=3, start=(1.0, 1.0))
    # by hand: SGD on ½(0.2x² + 4y²) from (1, 1) with lr 0.1
    np.testing.assert_allclose(p["sgd"][1], [1 - 0.1 * 0.2, 1 - 0.1 * 4])
    g1 = np.array([0.2, 4.0])
    x1 = np.array([1.0, 1.0]) - 0.01 * g1
    g2 = np.array([0.2, 4.0]) * x1
    x2 = x1 - 0.01 * (0.5 * g1 + g2)
    np.testing.assert_allclose(p["momentum"][2], x2, rtol=1e-14)
    assert p["sgd"].shape == (4, 2)


def test_diverging_run_ends_in_nan_and_escapes_the_saddle():
    p = surfaces.optimizer_paths("rosenbrock", ["sgd"], 0.01, steps=50)["sgd"]
    finite = np.isfinite(p).all(axis=1)
    assert finite[0] and not finite[-1]
    assert finite[: np.argmin(finite)].all() and not finite[np.argmin(finite):].any()
    saddle = surfaces.optimizer_paths("saddle", ["momentum", "adam"], 0.05, steps=60)
    for path in saddle.values():
        ok = path[np.isfinite(path).all(axis=1)]
        assert abs(ok[-1, 1]) > 1.0, "the runs leave the saddle along y"
        assert abs(ok[-1, 0]) < 1.0


def test_optimizer_paths_is_fast():
    surfaces.optimizer_paths("rosenbrock", ["sgd", "momentum", "adam", "rmsprop"], 1e-3, steps=200)
    t0 = time.perf_counter()
    surfaces.optimizer_paths("rosenbrock", ["sgd", "momentum", "adam", "rmsprop"], 1e-3, steps=200)
    assert time.perf_counter() - t0 < 0.5   # ~30 ms here; generous for a busy machine


@pytest.mark.parametrize("call, exc, match", [
    (lambda: surfaces.get_surface("sphere"), ValueError, "unknown surface"),
    (lambda: surfaces.optimizer_paths("bowl", ["adamw"], 0.1), ValueError, "unknown optimizer"),
    (lambda: surfaces.optimizer_paths("bowl", ["sgd"], -0.1), ValueError, "lr for sgd"),
    (lambda: surfaces.optimizer_paths("bowl", ["sgd"], 0.1, momentum=1.0), ValueError, "momentum"),
    (lambda: surfaces.optimizer_paths("bowl", ["sgd"], 0.1, start=(1, 2, 3)), ValueError, "start"),
    (lambda: surfaces.optimizer_paths("bowl", ["sgd"], {"adam": 0.1}), ValueError,
     "no learning rate for 'sgd'"),
    (lambda: surfaces.surface_grid("bowl", 1), ValueError, "n"),
    (lambda: surfaces.SURFACES["bowl"].grad(np.zeros(3)), ValueError, "shape"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_start_is_not_modified():
    start = np.array([0.5, 0.5])
    surfaces.optimizer_paths("bowl", ["adam", "sgd"], 0.1, steps=5, start=start)
    np.testing.assert_array_equal(start, [0.5, 0.5])
