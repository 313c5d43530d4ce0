"""Dense/activation/PReLU layers against torch autograd, the from-scratch MLP against the same
network in torch (copied weights, 20 SGD steps, with and without weight decay), a gradient check,
and the digits benchmark (≥ 95% test accuracy)."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
import torch.nn.functional as nnf
from torch import nn

from dlcourse import layers as ly
from dlcourse.activations import ACTIVATIONS
from dlcourse.data import load_digits_split
from dlcourse.gradcheck import gradient_check

RTOL, ATOL = 1e-10, 1e-12
TORCH_ACTIVATIONS = {
    "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "softsign": nn.Softsign, "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU, "softplus": nn.Softplus, "linear": nn.Identity,
}


def tt(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


# --- dense layer --------------------------------------------------------------------------------

@pytest.mark.parametrize("n,d,m", [(1, 1, 1), (4, 3, 5), (7, 10, 2), (2, 64, 9)])
def test_dense_forward_backward_match_torch(n, d, m):
    rng = np.random.default_rng(n * d * m)
    x, W, b, dout = (rng.normal(size=s) for s in [(n, d), (d, m), (m,), (n, m)])
    copies = [a.copy() for a in (x, W, b, dout)]
    xt, Wt, bt = tt(x, True), tt(W, True), tt(b, True)
    ref = nnf.linear(xt, Wt.T, bt)          # torch keeps weights as (out, in)
    ref.backward(tt(dout))
    out, cache = ly.dense_forward(x, W, b)
    np.testing.assert_allclose(out, ref.detach().numpy(), rtol=RTOL, atol=ATOL)
    dx, dW, db = ly.dense_backward(dout, cache)
    for ours, t in [(dx, xt), (dW, Wt), (db, bt)]:
        assert ours.shape == t.shape
        np.testing.assert_allclose(ours, t.grad.numpy(), rtol=RTOL, atol=ATOL)
    for a, c in zip((x, W, b, dout), copies, strict=True):
        np.testing.assert_array_equal(a, c)


def test_dense_errors_explain_layout():
    x, W, b = np.zeros((4, 3)), np.zeros((3, 5)), np.zeros(5)
    with pytest.raises(ValueError, match=r"weight is \(outputs, inputs\): pass weight.T"):
        ly.dense_forward(x, W.T, b)
    with pytest.raises(ValueError, match=r"x must be a 2-D array laid out as \(N, D\).*x\[None\]"):
        ly.dense_forward(np.zeros(3), W, b)
    with pytest.raises(ValueError, match="length of b and the number of columns of W"):
        ly.dense_forward(x, W, np.zeros(4))
    _, cache = ly.dense_forward(x, W, b)
    with pytest.raises(ValueError, match=r"dout must have the shape of the forward's output, "
                                         r"\(4, 5\)"):
        ly.dense_backward(np.zeros((5, 4)), cache)


# --- activation and PReLU layers ----------------------------------------------------------------

@pytest.mark.parametrize("name", TORCH_ACTIVATIONS)
def test_activation_layer_matches_torch(name):
    rng = np.random.default_rng(len(name))
    x, dout = rng.normal(0, 3, (5, 4)), rng.normal(size=(5, 4))
    xt = tt(x, True)
    ref = TORCH_ACTIVATIONS[name]()(xt)
    ref.backward(tt(dout))
    out, cache = ly.activation_forward(x, name)
    np.testing.assert_allclose(out, ref.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ly.activation_backward(dout, cache), xt.grad.numpy(),
                               rtol=RTOL, atol=ATOL)


def test_activation_layer_errors():
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        ly.activation_forward(np.zeros(3), "gelu")
    _, cache = ly.activation_forward(np.zeros((2, 3)), "tanh")
    with pytest.raises(ValueError, match="dout must have the shape"):
        ly.activation_backward(np.zeros(3), cache)


@pytest.mark.parametrize("shape,per_feature", [((5, 3), False), ((5, 3), True),
                                               ((2, 4, 3), True), ((2, 4, 3), False)])
def test_prelu_layer_matches_torch(shape, per_feature):
    rng = np.random.default_rng(len(shape) + per_feature)
    x, dout = rng.normal(size=shape), rng.normal(size=shape)
    alpha = rng.uniform(0, 0.5, shape[-1]) if per_feature else np.float64(0.25)
    # torch puts PReLU channels on axis 1; ours are on the last axis
    xt = tt(x, True)
    at = tt(np.atleast_1d(alpha), True)
    ref = nnf.prelu(xt.movedim(-1, 1), at).movedim(1, -1)
    ref.backward(tt(dout))
    out, cache = ly.prelu_forward(x, alpha)
    np.testing.assert_allclose(out, ref.detach().numpy(), rtol=RTOL, atol=ATOL)
    dx, dalpha = ly.prelu_backward(dout, cache)
    assert dalpha.shape == np.shape(alpha)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(np.atleast_1d(dalpha), at.grad.numpy(), rtol=RTOL, atol=ATOL)


# --- MLP: gradients -----------------------------------------------------------------------------

@pytest.mark.parametrize("sizes,activation,output,wd", [
    ([5, 7, 3], "relu", "softmax", 0.0),
    ([4, 6, 5, 3], "tanh", "softmax", 0.1),
    ([3, 8, 2], "sigmoid", "linear", 0.05),
    ([6, 4, 4, 1], "softplus", "linear", 0.0),
    ([5, 9, 4], "leaky_relu", "softmax", 0.02),
])
def test_mlp_gradient_check(sizes, activation, output, wd):
    rng = np.random.default_rng(len(sizes) * 10 + sizes[1])
    x = rng.normal(size=(6, sizes[0]))
    y = (rng.integers(0, sizes[-1], 6) if output == "softmax"
         else rng.normal(size=(6, sizes[-1])))
    model = ly.MLP(sizes, activation=activation, output=output, weight_decay=wd, seed=3)
    errors = gradient_check(model, x, y)
    assert len(errors) == 2 * (len(sizes) - 1)
    assert max(errors) < 1e-6, errors


def test_weight_decay_adds_half_lambda_norm_and_lambda_w():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(5, 4)), rng.integers(0, 3, 5)
    plain = ly.MLP([4, 6, 3], seed=1)
    decayed = ly.MLP([4, 6, 3], weight_decay=0.3, seed=1)
    (l0, g0), (l1, g1) = plain.loss(x, y), decayed.loss(x, y)
    W1, _, W2, _ = plain.params
    assert l1 - l0 == pytest.approx(0.15 * (np.sum(W1**2) + np.sum(W2**2)), rel=1e-12)
    np.testing.assert_allclose(g1[0] - g0[0], 0.3 * W1, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g1[2] - g0[2], 0.3 * W2, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(g1[1], g0[1])   # biases are not decayed
    np.testing.assert_array_equal(g1[3], g0[3])


# --- MLP: same numbers as torch -------------------------------------------------------------------

def torch_copy(model: ly.MLP) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i, (d_in, d_out) in enumerate(zip(model.layer_sizes[:-1], model.layer_sizes[1:],
                                          strict=True)):
        linear = nn.Linear(d_in, d_out, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(model.params[2 * i].T))
            linear.bias.copy_(torch.from_numpy(model.params[2 * i + 1]))
        layers.append(linear)
        if i < len(model.layer_sizes) - 2:
            layers.append(TORCH_ACTIVATIONS[model.activation]())
    return nn.Sequential(*layers)


def batches(rng, X, y, steps, size):
    for _ in range(steps):
        idx = rng.choice(len(X), size, replace=False)
        yield X[idx], y[idx]


@pytest.mark.parametrize("activation,wd,decay_in", [("relu", 0.0, "optimizer"),
                                                    ("relu", 0.01, "optimizer"),
                                                    ("tanh", 0.05, "loss"),
                                                    ("sigmoid", 0.0, "optimizer")])
def test_mlp_sgd_matches_torch_for_20_steps(activation, wd, decay_in):
    d = load_digits_split()
    model = ly.MLP([64, 32, 16, 10], activation=activation, weight_decay=wd, seed=5)
    net = torch_copy(model)
    weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in net.named_parameters() if name.endswith("bias")]
    lr = 0.3
    if decay_in == "optimizer":  # torch's weight_decay adds λW to the gradient: biases excluded
        opt = torch.optim.SGD([{"params": weights, "weight_decay": wd},
                               {"params": biases, "weight_decay": 0.0}], lr=lr)
    else:
        opt = torch.optim.SGD(net.parameters(), lr=lr)
    rng = np.random.default_rng(0)
    for xb, yb in batches(rng, d.X_train, d.y_train, 20, 16):
        ours = model.train_step(xb, yb, lr)
        opt.zero_grad()
        loss = nnf.cross_entropy(net(torch.from_numpy(xb)), torch.from_numpy(yb))
        penalty = 0.5 * wd * sum((w * w).sum() for w in weights)
        if decay_in == "loss":
            loss = loss + penalty
        loss.backward()
        opt.step()
        assert ours == pytest.approx((loss if decay_in == "loss" else loss + penalty).item(),
                                     rel=0, abs=1e-10)
    for ours_p, (_, theirs) in zip(model.params, net.named_parameters(), strict=True):
        np.testing.assert_allclose(ours_p, theirs.detach().numpy().T, rtol=1e-9, atol=1e-12)


def test_mlp_linear_output_matches_torch_mse():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(40, 3)), rng.normal(size=(40, 2))
    model = ly.MLP([3, 8, 2], activation="tanh", output="linear", seed=2)
    net = torch_copy(model)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for xb, yb in batches(rng, X, Y, 20, 8):
        ours = model.train_step(xb, yb, 0.1)
        opt.zero_grad()
        loss = nnf.mse_loss(net(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        opt.step()
        assert ours == pytest.approx(loss.item(), rel=0, abs=1e-10)
    np.testing.assert_allclose(model.forward(X), net(torch.from_numpy(X)).detach().numpy(),
                               rtol=1e-9, atol=1e-12)


def test_init_is_torch_linear_distribution():
    model = ly.MLP([400, 300, 10], seed=0)
    torch.manual_seed(0)
    ref = nn.Linear(400, 300, dtype=torch.float64)
    bound = 1 / np.sqrt(400)
    ref_w = ref.weight.detach().numpy()
    for ours, theirs in [(model.params[0], ref_w), (model.params[1], ref.bias.detach().numpy())]:
        assert np.abs(ours).max() <= bound and np.abs(theirs).max() <= bound
        assert np.abs(ours).max() > 0.99 * bound
    # U(-a, a) has standard deviation a/√3; both agree with it to 1%
    for w in (model.params[0], ref_w):
        assert w.std() == pytest.approx(bound / np.sqrt(3), rel=0.01)
    assert model.params[2].shape == (300, 10) and np.abs(model.params[2]).max() <= 1 / np.sqrt(300)
    np.testing.assert_array_equal(ly.MLP([400, 300, 10], seed=0).params[0], model.params[0])
    assert not np.array_equal(ly.MLP([400, 300, 10], seed=1).params[0], model.params[0])


# --- MLP: behaviour ------------------------------------------------------------------------------

def test_train_step_updates_in_place_and_predict():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(8, 4)), rng.integers(0, 3, 8)
    model = ly.MLP([4, 5, 3], seed=0)
    ids = [id(p) for p in model.params]
    before = [p.copy() for p in model.params]
    loss, grads = model.loss(x, y)
    assert model.train_step(x, y, 0.5) == loss
    assert [id(p) for p in model.params] == ids
    for p, b, g in zip(model.params, before, grads, strict=True):
        np.testing.assert_allclose(p, b - 0.5 * g, rtol=1e-14, atol=1e-15)
    proba = model.predict_proba(x)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(x), proba.argmax(axis=1))
    assert ly.MLP([4, 1], output="linear").predict(x).shape == (8, 1)


def test_mlp_errors():
    with pytest.raises(ValueError, match=r"at least two sizes, \[inputs, ..., outputs\]"):
        ly.MLP([5])
    with pytest.raises(ValueError, match="each layer size must be at least 1"):
        ly.MLP([5, 0, 2])
    with pytest.raises(ValueError, match="unknown output 'sigmoid'"):
        ly.MLP([2, 2], output="sigmoid")
    with pytest.raises(ValueError, match="weight_decay must be ≥ 0"):
        ly.MLP([2, 2], weight_decay=-1.0)
    model = ly.MLP([3, 4, 2], output="linear")
    with pytest.raises(ValueError, match=r"y must have shape \(N, M\) = \(5, 2\)"):
        model.loss(np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="linear output"):
        model.predict_proba(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="lr must be >"):
        model.train_step(np.zeros((5, 3)), np.zeros((5, 2)), 0.0)
    with pytest.raises(ValueError, match="pass both X_val and y_val"):
        ly.train_mlp(model, np.zeros((5, 3)), np.zeros((5, 2)), 0.1, 1, 2, X_val=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"class index in 0\.\.1; found 2"):
        ly.MLP([3, 2]).loss(np.zeros((2, 3)), np.array([0, 2]))


def test_train_mlp_history_and_determinism():
    d = load_digits_split()
    X, y = d.X_train[:200], d.y_train[:200]
    runs = []
    for _ in range(2):
        model = ly.MLP([64, 16, 10], seed=0)
        runs.append(ly.train_mlp(model, X, y, lr=0.3, epochs=4, batch_size=32, seed=1,
                                 X_val=d.X_val, y_val=d.y_val))
    history = runs[0]
    assert set(history) == {"train_loss", "train_acc", "val_loss", "val_acc"}
    assert all(len(v) == 4 for v in history.values())
    assert history == runs[1]
    assert history["train_loss"][-1] < history["train_loss"][0]
    # the recorded loss is the data loss on the whole set after the epoch
    assert history["train_loss"][-1] == pytest.approx(model.loss(X, y)[0], rel=1e-12)
    linear = ly.train_mlp(ly.MLP([2, 3, 1], output="linear"), np.ones((10, 2)), np.ones(10),
                          0.1, 2, 4)
    assert set(linear) == {"train_loss"}


def test_train_mlp_history_excludes_weight_decay_term():
    d = load_digits_split()
    X, y = d.X_train[:100], d.y_train[:100]
    model = ly.MLP([64, 8, 10], weight_decay=0.5, seed=0)
    history = ly.train_mlp(model, X, y, 0.1, 1, 50)
    assert history["train_loss"][0] == pytest.approx(model.loss(X, y)[0] - model.penalty())
    assert model.penalty() > 0


def test_digits_accuracy_at_least_95_percent():
    d = load_digits_split()
    model = ly.MLP([64, 128, 10], activation="relu", seed=0)
    start = time.perf_counter()
    history = ly.train_mlp(model, d.X_train, d.y_train, lr=0.5, epochs=50, batch_size=32,
                           seed=0, X_val=d.X_val, y_val=d.y_val)
    elapsed = time.perf_counter() - start
    accuracy = np.mean(model.predict(d.X_test) == d.y_test)
    assert accuracy >= 0.95, accuracy
    assert history["val_acc"][-1] >= 0.95
    assert elapsed < 30, f"training took {elapsed:.1f} s"


def test_registry_names_all_usable_in_mlp():
    x, y = np.random.default_rng(0).normal(size=(4, 3)), np.array([0, 1, 1, 0])
    for name in ACTIVATIONS:
        loss, grads = ly.MLP([3, 4, 2], activation=name).loss(x, y)
        assert np.isfinite(loss) and len(grads) == 4
