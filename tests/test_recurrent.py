"""Recurrent cells against torch: RNNCell/RNN, LSTMCell/LSTM, GRUCell/GRU with copied weights,
autograd for every backward pass, and torch.nn.utils for clipping."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch

from dlcourse import recurrent as rec

RTOL, ATOL = 1e-10, 1e-12
SHAPES = [(1, 1, 1), (3, 4, 5), (4, 7, 2), (2, 3, 6)]  # (N, D, H)


@pytest.fixture(autouse=True)
def _float64_default():
    """torch modules built in these tests are float64 like the NumPy code; restored after each
    test, so that other test modules in the same worker keep torch's float32 default."""
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def t64(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)


def close(a, b):
    np.testing.assert_allclose(np.asarray(a), b.detach().numpy() if torch.is_tensor(b) else b,
                               rtol=RTOL, atol=ATOL)


def weights(rng, D, H, G, scale=0.5, two_biases=False):
    Wx = rng.normal(0, scale, (D, G * H))
    Wh = rng.normal(0, scale, (H, G * H))
    if two_biases:
        return Wx, Wh, rng.normal(0, scale, G * H), rng.normal(0, scale, G * H)
    return Wx, Wh, rng.normal(0, scale, G * H)


def copy_into(module, Wx, Wh, b_ih, b_hh, suffix=""):
    with torch.no_grad():
        getattr(module, "weight_ih" + suffix).copy_(torch.tensor(Wx.T))
        getattr(module, "weight_hh" + suffix).copy_(torch.tensor(Wh.T))
        getattr(module, "bias_ih" + suffix).copy_(torch.tensor(b_ih))
        getattr(module, "bias_hh" + suffix).copy_(torch.tensor(b_hh))
    return module


def split_bias(rng, b):
    """Two torch biases that add up to our single b."""
    b_ih = rng.normal(size=b.shape)
    return b_ih, b - b_ih


def frozen(*arrays):
    copies = [a.copy() for a in arrays]

    def check():
        for a, c in zip(arrays, copies, strict=True):
            np.testing.assert_array_equal(a, c)
    return check


# ----------------------------------------------------------------------------- vanilla RNN


@pytest.mark.parametrize(("N", "D", "H"), SHAPES)
def test_rnn_step_matches_rnncell_and_autograd(N, D, H):
    rng = np.random.default_rng(N * 100 + D * 10 + H)
    x, h_prev = rng.normal(size=(N, D)), rng.normal(size=(N, H))
    Wx, Wh, b = weights(rng, D, H, 1)
    dh = rng.normal(size=(N, H))
    unchanged = frozen(x, h_prev, Wx, Wh, b, dh)
    h, cache = rec.rnn_step_forward(x, h_prev, Wx, Wh, b)
    grads = rec.rnn_step_backward(dh, cache)
    unchanged()

    cell = copy_into(torch.nn.RNNCell(D, H), Wx, Wh, *split_bias(rng, b))
    close(h, cell(torch.tensor(x), torch.tensor(h_prev)))

    tx, th, tWx, tWh, tb = map(t64, (x, h_prev, Wx, Wh, b))
    out = torch.tanh(tx @ tWx + th @ tWh + tb)
    (out * torch.tensor(dh)).sum().backward()
    for g, ref in zip(grads, (tx, th, tWx, tWh, tb), strict=True):
        assert g.shape == ref.shape
        close(g, ref.grad)


@pytest.mark.parametrize(("T", "N", "D", "H"), [(1, 2, 3, 4), (5, 3, 2, 4), (8, 1, 5, 3)])
def test_rnn_sequence_matches_nn_rnn_and_bptt_matches_autograd(T, N, D, H):
    rng = np.random.default_rng(T + N + D + H)
    xs, h0 = rng.normal(size=(T, N, D)), rng.normal(size=(N, H))
    Wx, Wh, b = weights(rng, D, H, 1, scale=0.7)
    dhs = rng.normal(size=(T, N, H))  # an error at every step's output: both BPTT sources
    unchanged = frozen(xs, h0, Wx, Wh, b, dhs)
    hs, cache = rec.rnn_forward(xs, h0, Wx, Wh, b)
    grads = rec.rnn_backward(dhs, cache)
    unchanged()

    net = copy_into(torch.nn.RNN(D, H), Wx, Wh, *split_bias(rng, b), suffix="_l0")
    out, h_n = net(torch.tensor(xs), torch.tensor(h0)[None])
    close(hs, out)
    close(hs[-1], h_n[0])

    txs, th0 = t64(xs), t64(h0)
    params = [t64(a) for a in (Wx, Wh, b)]
    # autograd through an explicit unrolled loop, independent of nn.RNN's kernels
    h, outs = th0, []
    for t in range(T):
        h = torch.tanh(txs[t] @ params[0] + h @ params[1] + params[2])
        outs.append(h)
    (torch.stack(outs) * torch.tensor(dhs)).sum().backward()
    for g, ref in zip(grads, (txs, th0, *params), strict=True):
        close(g, ref.grad)


def test_rnn_backward_with_error_only_at_the_end_is_not_the_same_as_with_every_step():
    rng = np.random.default_rng(0)
    xs, h0 = rng.normal(size=(4, 2, 3)), rng.normal(size=(2, 3))
    Wx, Wh, b = weights(rng, 3, 3, 1)
    _, cache = rec.rnn_forward(xs, h0, Wx, Wh, b)
    dhs = rng.normal(size=(4, 2, 3))
    only_last = np.zeros_like(dhs)
    only_last[-1] = dhs[-1]
    full = rec.rnn_backward(dhs, cache)
    last = rec.rnn_backward(only_last, cache)
    assert not np.allclose(full[3], last[3])  # the per-step errors are accumulated


@pytest.mark.parametrize("scale", [0.3, 0.6, 1.5])
def test_bptt_gradient_norms_match_autograd(scale):
    rng = np.random.default_rng(7)
    T, N, D, H = 12, 3, 4, 5
    xs, h0 = rng.normal(size=(T, N, D)), rng.normal(size=(N, H))
    Wx, Wh, b = weights(rng, D, H, 1, scale=scale)
    dh_last = rng.normal(size=(N, H))
    norms = rec.bptt_gradient_norms(xs, h0, Wx, Wh, b, dh_last)
    assert norms.shape == (T,)

    tWx, tWh, tb = (torch.tensor(a) for a in (Wx, Wh, b))
    h, states = t64(h0), []
    for t in range(T):
        h = torch.tanh(torch.tensor(xs[t]) @ tWx + h @ tWh + tb)
        h.retain_grad()
        states.append(h)
    (h * torch.tensor(dh_last)).sum().backward()
    ref = [states[T - 1 - k].grad.norm().item() for k in range(T)]
    np.testing.assert_allclose(norms, ref, rtol=1e-10)


def test_bptt_gradient_norms_vanish_for_small_weights_and_default_loss():
    rng = np.random.default_rng(3)
    T, N, D, H = 30, 2, 3, 8
    xs, h0 = rng.normal(size=(T, N, D)), np.zeros((N, H))
    Wx, Wh, b = rng.normal(0, 0.5, (D, H)), rng.normal(0, 0.3 / np.sqrt(H), (H, H)), np.zeros(H)
    norms = rec.bptt_gradient_norms(xs, h0, Wx, Wh, b)
    assert norms[0] == pytest.approx(np.sqrt(N * H))  # default dL/dh_T is all ones
    assert np.all(np.diff(norms) < 0)
    assert norms[-1] < 1e-10 * norms[0]


# ----------------------------------------------------------------------------- LSTM


def torch_lstm_step(x, h, c, Wx, Wh, b):
    """The LSTM equations of seed 004, written with torch ops, order (i, f, g, o)."""
    H = h.shape[1]
    a = x @ Wx + h @ Wh + b
    i, f = torch.sigmoid(a[:, :H]), torch.sigmoid(a[:, H:2 * H])
    g, o = torch.tanh(a[:, 2 * H:3 * H]), torch.sigmoid(a[:, 3 * H:])
    c = f * c + i * g
    return o * torch.tanh(c), c


@pytest.mark.parametrize(("N", "D", "H"), SHAPES)
def test_lstm_step_matches_lstmcell_and_autograd(N, D, H):
    rng = np.random.default_rng(N + 10 * D + 100 * H)
    x, h_prev, c_prev = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = weights(rng, D, H, 4, scale=0.8)
    dh, dc = rng.normal(size=(N, H)), rng.normal(size=(N, H))
    unchanged = frozen(x, h_prev, c_prev, Wx, Wh, b, dh, dc)
    h, c, cache = rec.lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    grads = rec.lstm_step_backward(dh, dc, cache)
    unchanged()

    cell = copy_into(torch.nn.LSTMCell(D, H), Wx, Wh, *split_bias(rng, b))
    th, tc = cell(torch.tensor(x), (torch.tensor(h_prev), torch.tensor(c_prev)))
    close(h, th)
    close(c, tc)

    leaves = [t64(a) for a in (x, h_prev, c_prev, Wx, Wh, b)]
    th, tc = torch_lstm_step(*leaves)
    ((th * torch.tensor(dh)).sum() + (tc * torch.tensor(dc)).sum()).backward()
    assert len(grads) == 6
    for g, ref in zip(grads, leaves, strict=True):
        close(g, ref.grad)


@pytest.mark.parametrize(("T", "N", "D", "H"), [(1, 2, 3, 2), (6, 3, 4, 5), (9, 1, 2, 3)])
def test_lstm_sequence_matches_nn_lstm_and_autograd(T, N, D, H):
    rng = np.random.default_rng(T * N * D * H)
    xs, h0, c0 = rng.normal(size=(T, N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = weights(rng, D, H, 4, scale=0.6)
    dhs = rng.normal(size=(T, N, H))
    unchanged = frozen(xs, h0, c0, Wx, Wh, b, dhs)
    hs, cs, cache = rec.lstm_forward(xs, h0, c0, Wx, Wh, b)
    grads = rec.lstm_backward(dhs, cache)
    unchanged()

    net = copy_into(torch.nn.LSTM(D, H), Wx, Wh, *split_bias(rng, b), suffix="_l0")
    out, (h_n, c_n) = net(torch.tensor(xs), (torch.tensor(h0)[None], torch.tensor(c0)[None]))
    close(hs, out)
    close(cs[-1], c_n[0])
    close(hs[-1], h_n[0])

    leaves = [t64(a) for a in (xs, h0, c0, Wx, Wh, b)]
    h, c, outs = leaves[1], leaves[2], []
    for t in range(T):
        h, c = torch_lstm_step(leaves[0][t], h, c, *leaves[3:])
        outs.append(h)
    (torch.stack(outs) * torch.tensor(dhs)).sum().backward()
    for g, ref in zip(grads, leaves, strict=True):
        close(g, ref.grad)


# ----------------------------------------------------------------------------- GRU


def torch_gru_seed(x, h, Wx, Wh, b_x, b_h):
    """Seed 000's GRU written literally: every gate acts on the concatenation [h, x]."""
    H = h.shape[1]
    W = torch.cat([Wh, Wx], dim=0)            # (H + D, 3H): W·[h, x] in row format
    b = b_x + b_h
    hx = torch.cat([h, x], dim=1)
    r = torch.sigmoid(hx @ W[:, :H] + b[:H])
    z = torch.sigmoid(hx @ W[:, H:2 * H] + b[H:2 * H])
    h_tilde = torch.tanh(torch.cat([r * h, x], dim=1) @ W[:, 2 * H:] + b[2 * H:])
    return (1 - z) * h + z * h_tilde


def torch_gru_torchform(x, h, Wx, Wh, b_x, b_h):
    H = h.shape[1]
    ax, ah = x @ Wx + b_x, h @ Wh + b_h
    r = torch.sigmoid(ax[:, :H] + ah[:, :H])
    z = torch.sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = torch.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    return (1 - z) * n + z * h


@pytest.mark.parametrize(("N", "D", "H"), SHAPES)
def test_gru_torch_convention_matches_grucell(N, D, H):
    rng = np.random.default_rng(N + D + H + 1)
    x, h_prev = rng.normal(size=(N, D)), rng.normal(size=(N, H))
    Wx, Wh, b_x, b_h = weights(rng, D, H, 3, scale=0.8, two_biases=True)
    h, _ = rec.gru_step_forward(x, h_prev, Wx, Wh, b_x, b_h, convention="torch")
    cell = copy_into(torch.nn.GRUCell(D, H), Wx, Wh, b_x, b_h)
    close(h, cell(torch.tensor(x), torch.tensor(h_prev)))


@pytest.mark.parametrize("convention", ["seed", "torch"])
@pytest.mark.parametrize(("N", "D", "H"), SHAPES)
def test_gru_step_forward_and_backward_match_autograd(convention, N, D, H):
    rng = np.random.default_rng(N * D * H + len(convention))
    x, h_prev = rng.normal(size=(N, D)), rng.normal(size=(N, H))
    Wx, Wh, b_x, b_h = weights(rng, D, H, 3, scale=0.8, two_biases=True)
    dh = rng.normal(size=(N, H))
    unchanged = frozen(x, h_prev, Wx, Wh, b_x, b_h, dh)
    h, cache = rec.gru_step_forward(x, h_prev, Wx, Wh, b_x, b_h, convention)
    grads = rec.gru_step_backward(dh, cache)
    unchanged()

    leaves = [t64(a) for a in (x, h_prev, Wx, Wh, b_x, b_h)]
    ref_fn = torch_gru_seed if convention == "seed" else torch_gru_torchform
    out = ref_fn(*leaves)
    close(h, out)
    (out * torch.tensor(dh)).sum().backward()
    assert len(grads) == 6
    for g, ref in zip(grads, leaves, strict=True):
        close(g, ref.grad)
    if convention == "seed":  # the seed's cell only sees b_x + b_h: both get the same gradient
        np.testing.assert_array_equal(grads[4], grads[5])


def test_gru_default_convention_is_the_seed():
    rng = np.random.default_rng(0)
    args = (rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), *weights(rng, 3, 4, 3,
                                                                        two_biases=True))
    h_default, _ = rec.gru_step_forward(*args)
    h_seed, _ = rec.gru_step_forward(*args, convention="seed")
    h_torch, _ = rec.gru_step_forward(*args, convention="torch")
    np.testing.assert_array_equal(h_default, h_seed)
    assert np.max(np.abs(h_seed - h_torch)) > 1e-3


def test_gru_flip_update_gate_turns_z_into_one_minus_z():
    rng = np.random.default_rng(1)
    D, H = 3, 4
    Wx, Wh, b_x, b_h = weights(rng, D, H, 3, two_biases=True)
    unchanged = frozen(Wx, Wh, b_x, b_h)
    flipped = rec.gru_flip_update_gate(Wx, Wh, b_x, b_h)
    unchanged()
    x, h = rng.normal(size=(5, D)), rng.normal(size=(5, H))
    z = 1 / (1 + np.exp(-(x @ Wx + b_x + h @ Wh + b_h)[:, H:2 * H]))
    fx, fh, fbx, fbh = flipped
    z_flipped = 1 / (1 + np.exp(-(x @ fx + fbx + h @ fh + fbh)[:, H:2 * H]))
    np.testing.assert_allclose(z_flipped, 1 - z, rtol=1e-12, atol=1e-15)
    # the reset gate and candidate blocks are untouched, and flipping twice is the identity
    np.testing.assert_array_equal(fx[:, :H], Wx[:, :H])
    np.testing.assert_array_equal(fh[:, 2 * H:], Wh[:, 2 * H:])
    for a, b in zip(rec.gru_flip_update_gate(*flipped), (Wx, Wh, b_x, b_h), strict=True):
        np.testing.assert_array_equal(a, b)


def test_gru_seed_equals_torch_after_flip_where_the_reset_placement_cannot_matter():
    rng = np.random.default_rng(2)
    N, D = 6, 3
    # (a) one hidden unit and no hidden bias on the candidate: (r h) w = r (h w)
    Wx, Wh, b_x, b_h = weights(rng, D, 1, 3, scale=0.9, two_biases=True)
    b_h[2] = 0.0
    x, h = rng.normal(size=(N, D)), rng.normal(size=(N, 1))
    h_seed, _ = rec.gru_step_forward(x, h, *rec.gru_flip_update_gate(Wx, Wh, b_x, b_h), "seed")
    cell = copy_into(torch.nn.GRUCell(D, 1), Wx, Wh, b_x, b_h)
    close(h_seed, cell(torch.tensor(x), torch.tensor(h)))

    # (b) any H, reset gate saturated at exactly 1 (σ(60) rounds to 1.0 in float64)
    H = 5
    Wx, Wh, b_x, b_h = weights(rng, D, H, 3, scale=0.9, two_biases=True)
    Wx[:, :H], Wh[:, :H], b_x[:H] = 0.0, 0.0, 60.0
    x, h = rng.normal(size=(N, D)), rng.normal(size=(N, H))
    h_seed, _ = rec.gru_step_forward(x, h, *rec.gru_flip_update_gate(Wx, Wh, b_x, b_h), "seed")
    cell = copy_into(torch.nn.GRUCell(D, H), Wx, Wh, b_x, b_h)
    close(h_seed, cell(torch.tensor(x), torch.tensor(h)))

    # (c) in general the flip fixes z but not r's placement: the cells differ
    Wx, Wh, b_x, b_h = weights(rng, D, H, 3, scale=0.9, two_biases=True)
    h_seed, _ = rec.gru_step_forward(x, h, *rec.gru_flip_update_gate(Wx, Wh, b_x, b_h), "seed")
    h_torch, _ = rec.gru_step_forward(x, h, Wx, Wh, b_x, b_h, "torch")
    assert np.max(np.abs(h_seed - h_torch)) > 1e-3


@pytest.mark.parametrize("convention", ["seed", "torch"])
def test_gru_sequence_matches_nn_gru_and_autograd(convention):
    rng = np.random.default_rng(5)
    T, N, D, H = 7, 3, 4, 5
    xs, h0 = rng.normal(size=(T, N, D)), rng.normal(size=(N, H))
    Wx, Wh, b_x, b_h = weights(rng, D, H, 3, scale=0.7, two_biases=True)
    dhs = rng.normal(size=(T, N, H))
    unchanged = frozen(xs, h0, Wx, Wh, b_x, b_h, dhs)
    hs, cache = rec.gru_forward(xs, h0, Wx, Wh, b_x, b_h, convention)
    grads = rec.gru_backward(dhs, cache)
    unchanged()
    if convention == "torch":
        net = copy_into(torch.nn.GRU(D, H), Wx, Wh, b_x, b_h, suffix="_l0")
        out, _ = net(torch.tensor(xs), torch.tensor(h0)[None])
        close(hs, out)
    leaves = [t64(a) for a in (xs, h0, Wx, Wh, b_x, b_h)]
    step = torch_gru_seed if convention == "seed" else torch_gru_torchform
    h, outs = leaves[1], []
    for t in range(T):
        h = step(leaves[0][t], h, *leaves[2:])
        outs.append(h)
    close(hs, torch.stack(outs))
    (torch.stack(outs) * torch.tensor(dhs)).sum().backward()
    for g, ref in zip(grads, leaves, strict=True):
        close(g, ref.grad)


# ----------------------------------------------------------------------------- clipping


def torch_clip(grads, max_norm, norm_type):
    params = [torch.zeros(g.shape, requires_grad=True) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.tensor(g)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    return [p.grad.numpy() for p in params], total.item()


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3, float("inf")])
@pytest.mark.parametrize("max_norm", [0.0, 0.5, 3.0, 1e6])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    rng = np.random.default_rng(11)
    grads = [rng.normal(size=(3, 4)), rng.normal(size=5), rng.normal(size=(2, 2, 2)) * 3]
    unchanged = frozen(*grads)
    clipped, total = rec.clip_grad_norm(grads, max_norm, norm_type)
    unchanged()
    ref, ref_total = torch_clip(grads, max_norm, norm_type)
    assert total == pytest.approx(ref_total, rel=1e-12)
    for a, b in zip(clipped, ref, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_clip_grad_norm_keeps_direction_and_uses_torchs_epsilon():
    grads = [np.array([3.0, 0.0]), np.array([[4.0]])]  # total norm 5
    clipped, total = rec.clip_grad_norm(grads, 1.0)
    assert total == 5.0
    np.testing.assert_allclose(clipped[0], [3 / (5 + 1e-6), 0.0], rtol=1e-15)
    np.testing.assert_allclose(clipped[1], [[4 / (5 + 1e-6)]], rtol=1e-15)
    same, _ = rec.clip_grad_norm(grads, 10.0)
    np.testing.assert_array_equal(same[0], grads[0])
    assert rec.clip_grad_norm([], 1.0) == ([], 0.0)


@pytest.mark.parametrize("clip_value", [0.0, 0.3, 2.0])
def test_clip_grad_value_matches_torch(clip_value):
    rng = np.random.default_rng(12)
    grads = [rng.normal(size=(4, 3)), rng.normal(size=7) * 2]
    unchanged = frozen(*grads)
    clipped = rec.clip_grad_value(grads, clip_value)
    unchanged()
    params = [torch.zeros(g.shape, requires_grad=True) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.tensor(g)
    torch.nn.utils.clip_grad_value_(params, clip_value)
    for a, p in zip(clipped, params, strict=True):
        np.testing.assert_array_equal(a, p.grad.numpy())


# ----------------------------------------------------------------------------- widget helper


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_gradient_norms_through_time_match_autograd(cell):
    T, H, scale, fb = 25, 6, 0.9, 1.5
    norms = rec.gradient_norms_through_time(cell, T, hidden=H, seed=4, weight_scale=scale,
                                          forget_bias=fb)
    xs, h0, Wx, Wh, b, u = rec._random_cell(cell, T, H, 4, scale, fb)
    tWx, tWh, tb = (torch.tensor(a) for a in (Wx, Wh, b))
    h, c, states = t64(h0), t64(h0), []
    for t in range(T):
        x = torch.tensor(xs[t])
        if cell == "rnn":
            h = torch.tanh(x @ tWx + h @ tWh + tb)
        else:
            h, c = torch_lstm_step(x, h, c, tWx, tWh, tb)
        h.retain_grad()
        states.append(h)
    (h * torch.tensor(u)).sum().backward()
    np.testing.assert_allclose(norms, [s.grad.norm().item() for s in states], rtol=1e-9)
    assert norms[-1] == pytest.approx(1.0)


def test_gradient_norms_rnn_vanish_much_faster_than_lstm():
    for seed in range(5):
        rnn = rec.gradient_norms_through_time("rnn", 60, seed=seed, weight_scale=0.8)
        lstm = rec.gradient_norms_through_time("lstm", 60, seed=seed, weight_scale=0.8)
        remembering = rec.gradient_norms_through_time("lstm", 60, seed=seed, weight_scale=0.8,
                                                    forget_bias=3.0)
        assert rnn[0] < 1e-10
        assert lstm[0] > 1e6 * rnn[0]
        assert remembering[0] > 100 * lstm[0]  # a forget gate nearer 1 keeps more of the error
        np.testing.assert_array_equal(rnn, rec.gradient_norms_through_time(
            "rnn", 60, seed=seed, weight_scale=0.8))


def test_gradient_norms_through_time_is_fast():
    rec.gradient_norms_through_time("lstm", 10)
    start = time.perf_counter()
    rec.gradient_norms_through_time("lstm", 100, hidden=16)
    rec.gradient_norms_through_time("rnn", 100, hidden=16)
    assert time.perf_counter() - start < 0.2


# ----------------------------------------------------------------------------- bad input


def test_bad_inputs_raise_clear_errors():
    rng = np.random.default_rng(0)
    x, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    Wx, Wh, b = weights(rng, 3, 4, 1)
    with pytest.raises(ValueError, match=r"x must be a 2-D array laid out as \(N, D\).*x\[None\]"):
        rec.rnn_step_forward(x[0], h, Wx, Wh, b)
    with pytest.raises(ValueError, match=r"torch weight_ih \(4, 3\): pass its transpose"):
        rec.rnn_step_forward(x, h, Wx.T, Wh, b)
    with pytest.raises(ValueError, match="same batch size"):
        rec.rnn_step_forward(x, h[:1], Wx, Wh, b)
    with pytest.raises(ValueError, match=r"b must have shape \(H,\) = \(4,\); got \(3,\)"):
        rec.rnn_step_forward(x, h, Wx, Wh, b[:3])
    Wx4, Wh4, b4 = weights(rng, 3, 4, 4)
    with pytest.raises(ValueError, match=r"Wh must have shape \(H, 4H\) = \(4, 16\) \(4 gate"):
        rec.lstm_step_forward(x, h, h, Wx4, Wh4[:, :8], b4)
    with pytest.raises(ValueError, match=r"c_prev must have shape \(N, H\) = \(2, 4\)"):
        rec.lstm_step_forward(x, h, h[:, :2], Wx4, Wh4, b4)
    with pytest.raises(ValueError, match="unknown convention 'keras'"):
        rec.gru_step_forward(x, h, *weights(rng, 3, 4, 3, two_biases=True), convention="keras")
    _, cache = rec.rnn_step_forward(x, h, Wx, Wh, b)
    with pytest.raises(ValueError, match=r"dh must have shape \(N, H\) = \(2, 4\); got \(2, 5\)"):
        rec.rnn_step_backward(np.ones((2, 5)), cache)
    with pytest.raises(TypeError, match="cache returned by the matching forward"):
        rec.lstm_step_backward(h, h, cache)
    with pytest.raises(ValueError, match=r"xs must be a 3-D array laid out as \(T, N, D\)"):
        rec.rnn_forward(x, h, Wx, Wh, b)
    with pytest.raises(ValueError, match="at least one time step"):
        rec.rnn_forward(np.zeros((0, 2, 3)), h, Wx, Wh, b)
    with pytest.raises(TypeError, match="list of arrays"):
        rec.clip_grad_norm(np.ones(3), 1.0)
    with pytest.raises(ValueError, match="max_norm must be ≥ 0"):
        rec.clip_grad_norm([np.ones(3)], -1.0)
    with pytest.raises(ValueError, match="norm_type must be positive"):
        rec.clip_grad_norm([np.ones(3)], 1.0, norm_type=0)
    with pytest.raises(ValueError, match="unknown cell 'gru'"):
        rec.gradient_norms_through_time("gru", 10)
    with pytest.raises(ValueError, match="seq_len must be at least 1"):
        rec.gradient_norms_through_time("rnn", 0)


# ----------------------------------------------------------------------------- input/output types

def _torch_rnn(Wx, Wh, b, V, c):
    D, H = Wx.shape
    rnn, head = torch.nn.RNN(D, H).double(), torch.nn.Linear(H, V.shape[1]).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.tensor(Wx.T))
        rnn.weight_hh_l0.copy_(torch.tensor(Wh.T))
        rnn.bias_ih_l0.copy_(torch.tensor(b))
        rnn.bias_hh_l0.zero_()
        head.weight.copy_(torch.tensor(V.T))
        head.bias.copy_(torch.tensor(c))
    return rnn, head


@pytest.mark.parametrize(("T", "N", "D", "H", "K"), [(1, 1, 1, 1, 1), (5, 3, 4, 6, 2),
                                                    (9, 2, 1, 3, 5)])
def test_input_output_types_against_torch(T, N, D, H, K):
    rng = np.random.default_rng(T * 100 + H)
    xs, h0 = rng.normal(size=(T, N, D)), rng.normal(size=(N, H))
    Wx, Wh, b = rng.normal(0, 0.6, (D, H)), rng.normal(0, 0.6, (H, H)), rng.normal(size=H)
    V, c = rng.normal(size=(H, K)), rng.normal(size=K)
    rnn, head = _torch_rnn(Wx, Wh, b, V, c)
    with torch.no_grad():
        out, h_n = rnn(torch.tensor(xs), torch.tensor(h0)[None])
        assert out.shape == (T, N, H) and h_n.shape == (1, N, H)
        torch.testing.assert_close(out[-1], h_n[0])
        many = head(out).numpy()
        one = head(h_n[0]).numpy()
        # one-to-many: a cell fed x first, then zeros
        cell = torch.nn.RNNCell(D, H).double()
        cell.load_state_dict({k.replace("_l0", ""): v for k, v in rnn.state_dict().items()})
        h, ys = torch.tensor(h0), []
        for t in range(T):
            h = cell(torch.tensor(xs[0]) if t == 0 else torch.zeros(N, D, dtype=torch.float64),
                     h)
            ys.append(head(h))
        gen = torch.stack(ys).numpy()
    np.testing.assert_allclose(rec.rnn_many_to_many(xs, h0, Wx, Wh, b, V, c), many, rtol=1e-12,
                               atol=1e-12)
    np.testing.assert_allclose(rec.rnn_many_to_one(xs, h0, Wx, Wh, b, V, c), one, rtol=1e-12,
                               atol=1e-12)
    np.testing.assert_allclose(rec.rnn_one_to_many(xs[0], h0, Wx, Wh, b, V, c, T), gen,
                               rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match=r"V must be \(H, K\)"):
        rec.rnn_many_to_one(xs, h0, Wx, Wh, b, V.T if H != K else V[:-1], c)
