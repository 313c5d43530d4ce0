"""dlcourse.optimizers against torch.optim, step by step, and gradient descent on regression."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse import optimizers

RTOL, ATOL = 1e-10, 1e-12


@pytest.fixture(autouse=True)
def _float64_default():
    # torch keeps NAdam's running momentum product in the default dtype (float32 unless changed);
    # in float64 it matches the float64 NumPy implementation to rounding.
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


# ---------------------------------------------------------------------------------------------
# Two test problems: Rosenbrock (one (2,) parameter) and an ill-conditioned quadratic over two
# parameters of different shapes.
# ---------------------------------------------------------------------------------------------

def rosenbrock_grad(ps):
    x, y = ps[0]
    return [np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])]


def make_quadratic(seed=0):
    rng = np.random.default_rng(seed)
    shapes = [(3, 4), (5,)]
    d = 17
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    H = Q @ np.diag(np.logspace(0, 2, d)) @ Q.T
    c = rng.standard_normal(d)

    def grad(ps):
        x = np.concatenate([np.ravel(p) for p in ps])
        g = H @ (x - c)
        return [g[:12].reshape(3, 4), g[12:]]

    x0 = [rng.standard_normal(s) for s in shapes]
    return grad, x0, c


PROBLEMS = {
    "rosenbrock": (rosenbrock_grad, [np.array([-1.2, 1.0])], 5e-4),
    "quadratic": (*make_quadratic()[:2], 0.015),
}


def configs(lr_gd):
    """(our class, our kwargs, torch class, torch kwargs); lr_gd: a stable plain-GD step."""
    T = torch.optim
    return [
        (optimizers.SGD, {"lr": lr_gd}, T.SGD, {"lr": lr_gd}),
        (optimizers.Momentum, {"lr": lr_gd / 5, "momentum": 0.9}, T.SGD,
         {"lr": lr_gd / 5, "momentum": 0.9}),
        (optimizers.Momentum, {"lr": lr_gd / 3, "momentum": 0.7, "dampening": 0.4}, T.SGD,
         {"lr": lr_gd / 3, "momentum": 0.7, "dampening": 0.4}),
        (optimizers.Nesterov, {"lr": lr_gd / 5, "momentum": 0.9}, T.SGD,
         {"lr": lr_gd / 5, "momentum": 0.9, "nesterov": True}),
        (optimizers.AdaGrad, {"lr": 0.3}, T.Adagrad, {"lr": 0.3}),
        (optimizers.AdaGrad, {"lr": 0.2, "eps": 1e-4, "initial_accumulator_value": 0.5}, T.Adagrad,
         {"lr": 0.2, "eps": 1e-4, "initial_accumulator_value": 0.5}),
        (optimizers.AdaDelta, {}, T.Adadelta, {}),
        (optimizers.AdaDelta, {"lr": 2.0, "rho": 0.95, "eps": 1e-5}, T.Adadelta,
         {"lr": 2.0, "rho": 0.95, "eps": 1e-5}),
        (optimizers.RMSProp, {"lr": 0.01}, T.RMSprop, {"lr": 0.01}),
        (optimizers.RMSProp, {"lr": 0.005, "alpha": 0.9, "eps": 1e-4, "momentum": 0.5}, T.RMSprop,
         {"lr": 0.005, "alpha": 0.9, "eps": 1e-4, "momentum": 0.5}),
        (optimizers.Adam, {"lr": 0.05}, T.Adam, {"lr": 0.05}),
        (optimizers.Adam, {"lr": 0.03, "betas": (0.8, 0.99), "eps": 1e-5}, T.Adam,
         {"lr": 0.03, "betas": (0.8, 0.99), "eps": 1e-5}),
        (optimizers.AMSGrad, {"lr": 0.05}, T.Adam, {"lr": 0.05, "amsgrad": True}),
        (optimizers.Adam, {"lr": 0.05, "betas": (0.5, 0.9), "amsgrad": True}, T.Adam,
         {"lr": 0.05, "betas": (0.5, 0.9), "amsgrad": True}),
        (optimizers.AdaMax, {"lr": 0.05}, T.Adamax, {"lr": 0.05}),
        (optimizers.AdaMax, {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-3}, T.Adamax,
         {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-3}),
        (optimizers.NAdam, {"lr": 0.05}, T.NAdam, {"lr": 0.05}),
        (optimizers.NAdam, {"lr": 0.03, "betas": (0.8, 0.99), "momentum_decay": 0.05}, T.NAdam,
         {"lr": 0.03, "betas": (0.8, 0.99), "momentum_decay": 0.05}),
        (optimizers.NAdam, {"lr": 0.05, "momentum_decay": None}, T.NAdam,
         {"lr": 0.05, "momentum_decay": 1e4}),
    ]


def _id(cfg):
    cls, kw = cfg[0], cfg[1]
    return cls.__name__ + "".join(f"-{k}={v}" for k, v in kw.items() if k != "lr")


def run_against_torch(ours, ours_kw, theirs, theirs_kw, grad_fn, x0, steps=100):
    params = [x.copy() for x in x0]
    opt = ours(params, **ours_kw)
    tparams = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in x0]
    topt = theirs(tparams, **theirs_kw)
    for t in range(1, steps + 1):
        opt.step(grad_fn(params))
        with torch.no_grad():
            tg = grad_fn([tp.numpy() for tp in tparams])
        for tp, g in zip(tparams, tg, strict=True):
            tp.grad = torch.from_numpy(g)
        topt.step()
        for p, tp in zip(params, tparams, strict=True):
            np.testing.assert_allclose(p, tp.detach().numpy(), rtol=RTOL, atol=ATOL,
                                       err_msg=f"{ours.__name__} differs at step {t}")
    return params


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("cfg", configs(1.0), ids=_id)
def test_every_step_equals_torch_optim(problem, cfg):
    grad_fn, x0, lr_gd = PROBLEMS[problem]
    ours, ours_kw, theirs, theirs_kw = cfg
    # the plain-gradient methods need a step size fitted to the problem's curvature
    if "lr" in ours_kw and ours in (optimizers.SGD, optimizers.Momentum, optimizers.Nesterov):
        ours_kw = {**ours_kw, "lr": ours_kw["lr"] * lr_gd}
        theirs_kw = {**theirs_kw, "lr": theirs_kw["lr"] * lr_gd}
    final = run_against_torch(ours, ours_kw, theirs, theirs_kw, grad_fn, x0)
    moved = max(np.max(np.abs(f - x)) for f, x in zip(final, x0, strict=True))
    assert moved > 1e-2, "the test problem should make the optimizer move"


def test_nesterov_lookahead_form_is_torch_shifted():
    """Sutskever's θ_t + μ·v_t is torch's (and our class's) parameter after t steps."""
    grad_fn, x0, _ = make_quadratic(seed=3)
    x = np.concatenate([np.ravel(p) for p in x0])

    def flat_grad(v):
        g = grad_fn([v[:12].reshape(3, 4), v[12:]])
        return np.concatenate([np.ravel(a) for a in g])

    lr, mu, steps = 0.004, 0.9, 100
    thetas, vel = optimizers.nesterov_lookahead_path(flat_grad, x, lr, mu, steps)
    assert thetas.shape == vel.shape == (steps + 1, 17)
    tp = torch.tensor(x, requires_grad=True)
    topt = torch.optim.SGD([tp], lr=lr, momentum=mu, nesterov=True)
    ours = optimizers.optimizer_trajectory("nesterov", flat_grad, x, steps, lr=lr, momentum=mu)
    for t in range(steps + 1):
        np.testing.assert_allclose(thetas[t] + mu * vel[t], tp.detach().numpy(),
                                   rtol=1e-9, atol=1e-11, err_msg=f"step {t}")
        np.testing.assert_allclose(ours[t], tp.detach().numpy(), rtol=RTOL, atol=ATOL)
        tp.grad = torch.from_numpy(flat_grad(tp.detach().numpy()))
        topt.step()
    # the two sequences are different points, but head for the same minimum
    assert np.max(np.abs(thetas[5] - ours[5])) > 1e-3
    _, _, c = make_quadratic(seed=3)
    long_th, _ = optimizers.nesterov_lookahead_path(flat_grad, x, lr, mu, 1500)
    long_p = optimizers.optimizer_trajectory("nesterov", flat_grad, x, 1500, lr=lr, momentum=mu)
    np.testing.assert_allclose(long_th[-1], c, atol=1e-8)
    np.testing.assert_allclose(long_p[-1], c, atol=1e-8)


def test_momentum_equals_textbook_velocity_form():
    """v ← μv − lr·g, p ← p + v (constant lr) is the class's update with v = −lr·b."""
    grad_fn, x0, _ = make_quadratic(seed=1)
    lr, mu = 0.003, 0.85
    params = [x.copy() for x in x0]
    opt = optimizers.Momentum(params, lr=lr, momentum=mu)
    theta = [x.copy() for x in x0]
    v = [np.zeros_like(x) for x in x0]
    for _ in range(100):
        g_theta = grad_fn(theta)
        v = [mu * vi - lr * gi for vi, gi in zip(v, g_theta, strict=True)]
        theta = [th + vi for th, vi in zip(theta, v, strict=True)]
        opt.step(grad_fn(params))
        for p, th in zip(params, theta, strict=True):
            np.testing.assert_allclose(p, th, rtol=1e-9, atol=1e-12)


def test_momentum_first_step_is_plain_gradient_even_with_dampening():
    w = np.array([1.0, -2.0])
    g = np.array([0.5, 4.0])
    opt = optimizers.Momentum([w], lr=0.1, momentum=0.9, dampening=0.5)
    opt.step([g])
    np.testing.assert_allclose(w, [1.0 - 0.05, -2.0 - 0.4], rtol=1e-15)
    opt.step([g])  # b = 0.9·g + 0.5·g
    np.testing.assert_allclose(w, [0.95 - 0.1 * 1.4 * 0.5, -2.4 - 0.1 * 1.4 * 4.0], rtol=1e-14)


def dozat_nadam_plain(grad_fn, x0, lr, b1, b2, eps, steps):
    """Dozat's NAdam with constant momentum β₁, written out independently."""
    x = x0.copy()
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    path = [x.copy()]
    for t in range(1, steps + 1):
        g = grad_fn(x)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_bar = b1 * m / (1 - b1 ** (t + 1)) + (1 - b1) * g / (1 - b1**t)
        x = x - lr * m_bar / (np.sqrt(v / (1 - b2**t)) + eps)
        path.append(x.copy())
    return np.array(path)


def test_nadam_plain_form_against_dozat_formula():
    def grad(x):
        return rosenbrock_grad([x])[0]

    x0 = np.array([-1.2, 1.0])
    plain = optimizers.optimizer_trajectory("nadam", grad, x0, 100, lr=0.02, momentum_decay=None,
                                   betas=(0.9, 0.999), eps=1e-8)
    ref = dozat_nadam_plain(grad, x0, 0.02, 0.9, 0.999, 1e-8, 100)
    np.testing.assert_allclose(plain, ref, rtol=1e-10, atol=1e-12)
    scheduled = optimizers.optimizer_trajectory("nadam", grad, x0, 100, lr=0.02)
    assert np.max(np.abs(scheduled - plain)) > 1e-2, "torch's schedule changes the path"


def test_float32_parameters_keep_their_dtype_and_match_torch():
    rng = np.random.default_rng(5)
    w = rng.standard_normal(1000).astype(np.float32)
    target = rng.standard_normal(1000).astype(np.float32)
    for cls, tcls, kw in [(optimizers.Adam, torch.optim.Adam, {"lr": 0.01}),
                          (optimizers.NAdam, torch.optim.NAdam, {"lr": 0.01}),
                          (optimizers.AdaDelta, torch.optim.Adadelta, {}),
                          (optimizers.Nesterov, torch.optim.SGD, {"lr": 0.01, "momentum": 0.9})]:
        p = w.copy()
        opt = cls([p], **kw)
        tp = torch.tensor(w.copy(), dtype=torch.float32, requires_grad=True)
        tkw = {**kw, "nesterov": True} if cls is optimizers.Nesterov else kw
        topt = tcls([tp], **tkw)
        for _ in range(20):
            opt.step([p - target])
            tp.grad = (tp - torch.from_numpy(target)).detach()
            topt.step()
        assert p.dtype == np.float32
        state = [v for v in vars(opt).values() if isinstance(v, list) and v
                 and isinstance(v[0], np.ndarray)]
        assert all(s[0].dtype == np.float32 for s in state)
        np.testing.assert_allclose(p, tp.detach().numpy(), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_step_updates_in_place_and_leaves_gradients_alone(name):
    W = np.ones((2, 3))
    b = np.zeros(3)
    opt = optimizers.OPTIMIZERS[name]([W, b], lr=0.1)
    gW, gb = np.full((2, 3), 0.5), np.arange(3.0)
    gW0, gb0 = gW.copy(), gb.copy()
    opt.step([gW, gb])
    assert opt.params[0] is W and opt.params[1] is b
    assert not np.array_equal(W, np.ones((2, 3)))
    np.testing.assert_array_equal(gW, gW0)
    np.testing.assert_array_equal(gb, gb0)
    assert opt.t == 1
    assert name in repr(opt).lower()


def test_registry_names_every_class():
    assert set(optimizers.OPTIMIZERS) == {"sgd", "momentum", "nesterov", "adagrad", "adadelta",
                                 "rmsprop", "adam", "amsgrad", "adamax", "nadam"}
    assert optimizers.OPTIMIZERS["amsgrad"]([np.zeros(2)]).amsgrad


@pytest.mark.parametrize("make, exc, match", [
    (lambda: optimizers.Adam(np.zeros(3)), TypeError, "list of arrays"),
    (lambda: optimizers.Adam([[0.0, 1.0]]), TypeError, "NumPy array"),
    (lambda: optimizers.Adam([np.zeros(3, dtype=int)]), TypeError, "floating-point"),
    (lambda: optimizers.Adam([]), ValueError, "empty"),
    (lambda: optimizers.SGD([np.zeros(3)], lr=-1), ValueError, "lr"),
    (lambda: optimizers.Adam([np.zeros(3)], betas=(0.9, 1.0)), ValueError, "betas"),
    (lambda: optimizers.Adam([np.zeros(3)], betas=0.9), TypeError, "pair"),
    (lambda: optimizers.RMSProp([np.zeros(3)], alpha=1.5), ValueError, "alpha"),
    (lambda: optimizers.AdaDelta([np.zeros(3)], rho=-0.1), ValueError, "rho"),
    (lambda: optimizers.Momentum([np.zeros(3)], momentum=-0.5), ValueError, "momentum"),
    (lambda: optimizers.NAdam([np.zeros(3)], momentum_decay=-1.0), ValueError, "momentum_decay"),
])
def test_bad_construction_raises_clearly(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_read_only_parameter_is_refused():
    w = np.zeros(3)
    w.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        optimizers.SGD([w])


@pytest.mark.parametrize("grads, exc, match", [
    (np.zeros(3), TypeError, "Wrap it in a list"),
    ([np.zeros(3), np.zeros(3)], ValueError, "number of gradients"),
    ([np.zeros(4)], ValueError, "shape"),
    ([["a", "b", "c"]], TypeError, "array-like of numbers"),
    (5, TypeError, "list of arrays"),
])
def test_bad_gradients_raise_clearly(grads, exc, match):
    opt = optimizers.Adam([np.zeros(3)])
    with pytest.raises(exc, match=match):
        opt.step(grads)


def test_optimizer_trajectory_matches_a_hand_loop_and_marks_divergence():
    def grad(x):
        return rosenbrock_grad([x])[0]

    x0 = np.array([-1.2, 1.0])
    path = optimizers.optimizer_trajectory(optimizers.RMSProp, grad, x0, 30, lr=0.01, momentum=0.2)
    x = x0.copy()
    opt = optimizers.RMSProp([x], lr=0.01, momentum=0.2)
    for t in range(1, 31):
        opt.step([grad(x)])
        np.testing.assert_array_equal(path[t], x)
    np.testing.assert_array_equal(path[0], x0)
    np.testing.assert_array_equal(x0, [-1.2, 1.0])
    blown = optimizers.optimizer_trajectory("sgd", grad, x0, 50, lr=0.01)
    bad = ~np.isfinite(blown).all(axis=1)
    assert bad.any() and bad[np.argmax(bad):].all()
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizers.optimizer_trajectory("adamw", grad, x0, 3)
    with pytest.raises(ValueError, match="shape"):
        optimizers.optimizer_trajectory("sgd", lambda v: np.zeros(3), x0, 3)


# ---------------------------------------------------------------------------------------------
# Gradient descent on linear regression
# ---------------------------------------------------------------------------------------------

def regression_data(n=23, d=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.3 * rng.standard_normal(n)
    return X, y


def torch_minibatch(X, y, lr, epochs, batch_size, seed, w0=None):
    """torch.optim.SGD on the same batches (the same permutations, drawn here)."""
    n, d = X.shape
    Xt, yt = torch.tensor(X), torch.tensor(y)
    w = torch.zeros(d, requires_grad=True) if w0 is None else torch.tensor(w0,
                                                                           requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr)
    rng = np.random.default_rng(seed)

    def full_loss():
        with torch.no_grad():
            return float(0.5 * torch.mean((Xt @ w - yt) ** 2))

    losses = [full_loss()]
    for _ in range(epochs):
        order = rng.permutation(n)
        for s in range(0, n, batch_size):
            idx = torch.from_numpy(order[s:s + batch_size])
            opt.zero_grad()
            loss = 0.5 * torch.mean((Xt[idx] @ w - yt[idx]) ** 2)
            loss.backward()
            opt.step()
            losses.append(full_loss())
    return w.detach().numpy(), np.array(losses)


@pytest.mark.parametrize("batch_size", [1, 5, 8, 23])
def test_minibatch_sgd_equals_torch(batch_size):
    X, y = regression_data()
    w0 = np.array([0.5, -0.5, 1.0, 0.0])
    w, losses = optimizers.minibatch_sgd(X, y, lr=0.05, epochs=3, batch_size=batch_size,
                                         seed=7, w0=w0)
    tw, tlosses = torch_minibatch(X, y, 0.05, 3, batch_size, 7, w0)
    assert losses.shape == (1 + 3 * -(-23 // batch_size),)
    np.testing.assert_allclose(w, tw, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(losses, tlosses, rtol=1e-10, atol=1e-12)


def test_sgd_and_batch_gd_equal_torch():
    X, y = regression_data(n=17, d=3, seed=2)
    w, losses = optimizers.sgd(X, y, lr=0.02, epochs=2, seed=11)
    tw, tlosses = torch_minibatch(X, y, 0.02, 2, 1, 11)
    np.testing.assert_allclose(w, tw, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(losses, tlosses, rtol=1e-10, atol=1e-12)
    w, losses = optimizers.batch_gradient_descent(X, y, lr=0.3, epochs=40)
    tw, tlosses = torch_minibatch(X, y, 0.3, 40, 17, 0)
    np.testing.assert_allclose(w, tw, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(losses, tlosses, rtol=1e-10, atol=1e-12)
    assert np.all(np.diff(losses) <= 1e-15), "batch GD with a small step never increases L"


def test_batch_gd_converges_to_least_squares_and_sgd_is_noisier():
    X, y = regression_data(n=200, d=5, seed=4)
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    w, _ = optimizers.batch_gradient_descent(X, y, lr=0.5, epochs=500)
    np.testing.assert_allclose(w, w_ls, atol=1e-10)
    _, l_sgd = optimizers.sgd(X, y, lr=0.05, epochs=3, seed=0)
    assert np.sum(np.diff(l_sgd) > 0) > 50, "single-example steps often increase the full loss"


def test_regression_loss_and_gradient_against_autograd():
    X, y = regression_data(n=9, d=3, seed=8)
    w = np.array([0.3, -1.0, 2.0])
    wt = torch.tensor(w, requires_grad=True)
    loss = 0.5 * torch.mean((torch.tensor(X) @ wt - torch.tensor(y)) ** 2)
    loss.backward()
    assert optimizers.linear_regression_loss(X, y, w) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(optimizers.linear_regression_grad(X, y, w), wt.grad.numpy(),
                               rtol=1e-12)


@pytest.mark.parametrize("call, exc, match", [
    (lambda X, y: optimizers.minibatch_sgd(X, y, 0.1, 1, batch_size=100), ValueError, "batch_size"),
    (lambda X, y: optimizers.minibatch_sgd(X[:, 0], y, 0.1, 1, 2), ValueError, "2-D"),
    (lambda X, y: optimizers.sgd(X, y[:-1], 0.1, 1), ValueError, "must match"),
    (lambda X, y: optimizers.batch_gradient_descent(X, y, -0.1, 1), ValueError, "lr"),
    (lambda X, y: optimizers.minibatch_sgd(X, y, 0.1, 1.5, 2), TypeError, "epochs"),
    (lambda X, y: optimizers.minibatch_sgd(X, y, 0.1, 1, 2, w0=np.zeros(2)), ValueError, "w0"),
    (lambda X, y: optimizers.linear_regression_grad(X, y, np.zeros(2)), ValueError, "must match"),
])
def test_regression_bad_input(call, exc, match):
    X, y = regression_data()
    with pytest.raises(exc, match=match):
        call(X, y)


def test_regression_leaves_inputs_alone():
    X, y = regression_data()
    w0 = np.ones(4)
    copies = X.copy(), y.copy(), w0.copy()
    optimizers.minibatch_sgd(X, y, 0.05, 2, 4, w0=w0)
    for a, b in zip((X, y, w0), copies, strict=True):
        np.testing.assert_array_equal(a, b)


def test_normalization_zigzag():
    z = optimizers.normalization_zigzag(steps=30)
    n = len(z.y)
    for X, path, lr in [(z.X_raw, z.path_raw, z.lr_raw), (z.X_norm, z.path_norm, z.lr_norm)]:
        s = np.linalg.svd(X / np.sqrt(n), compute_uv=False) ** 2
        assert lr == pytest.approx(2 / (s.max() + s.min()), rel=1e-12)
        w, losses = optimizers.batch_gradient_descent(X, z.y, lr, 30)
        np.testing.assert_allclose(path[-1], w, rtol=1e-12, atol=1e-14)
        expected = [optimizers.linear_regression_loss(X, z.y, p) for p in path]
        np.testing.assert_allclose(losses, expected, rtol=1e-12)
    np.testing.assert_allclose(z.X_norm.std(axis=0), 1.0)
    np.testing.assert_allclose(z.X_norm.mean(axis=0), 0.0, atol=1e-12)
    w_raw = np.linalg.lstsq(z.X_raw, z.y, rcond=None)[0]
    w_norm = np.linalg.lstsq(z.X_norm, z.y, rcond=None)[0]
    # raw: the step along the stiff (wide) feature flips sign nearly every step: the zigzag
    flips = np.sum(np.diff(np.sign(np.diff(z.path_raw[:, 1]))) != 0)
    assert flips >= 25
    # ... while progress along the flat direction crawls: still far from the minimum
    assert np.linalg.norm(z.path_raw[-1] - w_raw) > 0.1 * np.linalg.norm(w_raw)
    # path length / straight-line distance: long detours on raw features, none normalized
    def detour(path):
        return np.linalg.norm(np.diff(path, axis=0), axis=1).sum() / np.linalg.norm(
            path[-1] - path[0])

    assert detour(z.path_raw) > 5
    assert detour(z.path_norm) < 1.2
    # normalized: at the minimum within a few steps
    assert np.linalg.norm(z.path_norm[5] - w_norm) < 1e-3 * np.linalg.norm(w_norm)


FAST_SETTINGS = [
    ("sgd", {"lr": 0.05}), ("momentum", {"lr": 0.05, "momentum": 0.8}),
    ("momentum", {"lr": 0.05, "dampening": 0.4}),
    ("nesterov", {"lr": 0.05, "momentum": 0.7}), ("adagrad", {"lr": 0.1, "eps": 1e-3}),
    ("adadelta", {"lr": 0.9, "rho": 0.8}), ("rmsprop", {"lr": 0.01}),
    ("rmsprop", {"lr": 0.01, "momentum": 0.6, "alpha": 0.9}), ("adam", {"lr": 0.01}),
    ("adam", {"lr": 0.01, "betas": (0.8, 0.95), "amsgrad": True}), ("amsgrad", {"lr": 0.02}),
    ("adamax", {"lr": 0.02}), ("nadam", {"lr": 0.02}),
]


@pytest.mark.parametrize(("name", "kwargs"), FAST_SETTINGS)
def test_fast_path_equals_the_readable_update(name, kwargs):
    """Each optimizer's _update_inplace (what the benchmark times beside the readable _update)
    gives the same parameters and state, step after step."""
    cls = optimizers.OPTIMIZERS[name]
    assert hasattr(cls, "_update_inplace")
    rng = np.random.default_rng(11)
    p0 = [rng.normal(size=(5, 7)), rng.normal(size=3)]
    readable = cls([p.copy() for p in p0], **kwargs)
    fast = cls([p.copy() for p in p0], **kwargs)
    fast._update = fast._update_inplace
    for _ in range(25):
        grads = [rng.normal(size=p.shape) * 3 for p in p0]
        readable.step(grads)
        fast.step(grads)
        for a, b in zip(fast.params, readable.params, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    state = {k: v for k, v in vars(readable).items() if isinstance(v, list) and k != "params"}
    for key, arrays in state.items():
        for a, b in zip(getattr(fast, key), arrays, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14, err_msg=key)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sgd_fast_path_updates_in_place_for_every_layout(dtype):
    """The blocked route (contiguous arrays, one block or several) and the fallback (a
    transposed view) change p in place like the readable update, whatever g's dtype."""
    rng = np.random.default_rng(3)
    for p0, g in [(rng.normal(size=(4, 6)), rng.normal(size=(4, 6))),
                  (rng.normal(size=(3, 70_001)), rng.normal(size=(3, 70_001))),  # 4 blocks
                  (rng.normal(size=(6, 4)).T, rng.normal(size=(4, 6))),
                  (rng.normal(size=5), rng.normal(size=5).astype(np.float16))]:
        p0 = p0.astype(dtype) if p0.dtype != dtype else p0
        fast_p, readable_p = p0.copy(order="K"), p0.copy(order="K")
        fast = optimizers.SGD([fast_p], lr=0.3)
        readable = optimizers.SGD([readable_p], lr=0.3)
        fast._update = fast._update_inplace
        fast.step([g])
        readable.step([g])
        assert fast.params[0] is fast_p
        np.testing.assert_allclose(fast_p, readable_p, rtol=1e-6 if dtype == np.float32
                                   else 1e-14)
