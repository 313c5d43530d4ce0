"""The worked back-propagation example of seed 001 §3.2.5: every number COURSE.md lists, digit
for digit, and every value and gradient against torch autograd on the same network built from
nn.Linear layers (float64), including 10,000 steps of torch.optim.SGD."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from dlcourse import worked_backprop as wb

TEXT = (wb.INPUTS, wb.TARGETS, wb.WEIGHTS, wb.BIASES)
RTOL, ATOL = 1e-10, 1e-13


def torch_network(w, b):
    """The 2-2-2 network as two nn.Linear layers (float64): weight rows are receiving units,
    so layer 1 holds [[w1, w2], [w3, w4]] and layer 2 [[w5, w6], [w7, w8]]; the shared biases
    are frozen, as the text keeps them fixed."""
    hidden, output = nn.Linear(2, 2).double(), nn.Linear(2, 2).double()
    with torch.no_grad():
        hidden.weight.copy_(torch.tensor(np.reshape(w[:4], (2, 2))))
        output.weight.copy_(torch.tensor(np.reshape(w[4:], (2, 2))))
        hidden.bias.fill_(float(b[0]))
        output.bias.fill_(float(b[1]))
    hidden.bias.requires_grad_(False)
    output.bias.requires_grad_(False)
    return hidden, output


def torch_pass(x, target, w, b):
    """Forward + backward in torch; returns the intermediates, E and ∂E/∂w (w1..w8)."""
    hidden, output = torch_network(w, b)
    net_h = hidden(torch.tensor(x))
    net_h.retain_grad()
    out_h = torch.sigmoid(net_h)
    out_h.retain_grad()
    net_o = output(out_h)
    net_o.retain_grad()
    out_o = torch.sigmoid(net_o)
    out_o.retain_grad()
    E = 0.5 * nn.functional.mse_loss(out_o, torch.tensor(target), reduction="sum")
    E.backward()
    grad = torch.cat([hidden.weight.grad.reshape(-1), output.weight.grad.reshape(-1)])
    values = {"net_h": net_h, "out_h": out_h, "net_o": net_o, "out_o": out_o}
    return ({k: v.detach().numpy() for k, v in values.items()},
            {k: v.grad.numpy() for k, v in values.items()}, float(E.detach()), grad.numpy())


def random_networks(count=6, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-1, 1, 2), rng.uniform(0.01, 0.99, 2), rng.normal(scale=0.8, size=8),
             rng.normal(scale=0.5, size=2)) for _ in range(count)]


# --- the numbers of COURSE.md row 05, digit for digit ------------------------------------------

def test_forward_reproduces_every_printed_value():
    v = wb.forward(wb.INPUTS, wb.WEIGHTS, wb.BIASES)
    printed = {"net_h1": "0.3775", "out_h1": "0.593269992", "out_h2": "0.596884378",
               "net_o1": "1.105905967", "out_o1": "0.75136507", "out_o2": "0.772928465"}
    for name, text in printed.items():
        assert wb.agrees_with_printed(v[name], text), (name, v[name], text)
    assert set(v) == set(wb.NAMES)


def test_errors_reproduce_the_printed_values():
    v = wb.forward(wb.INPUTS, wb.WEIGHTS, wb.BIASES)
    out = np.array([v["out_o1"], v["out_o2"]])
    assert wb.agrees_with_printed(wb.total_error(wb.TARGETS, out), "0.298371109")
    assert wb.agrees_with_printed(wb.total_error(wb.TARGETS[:1], out[:1]), "0.274811083")
    assert wb.agrees_with_printed(wb.total_error(wb.TARGETS[1:], out[1:]), "0.023560026")


def test_de_dw5_and_its_three_factors():
    f1, f2, f3 = wb.w5_chain_factors(*TEXT)
    assert wb.agrees_with_printed(f1 * f2 * f3, "0.082167041")
    v = wb.forward(wb.INPUTS, wb.WEIGHTS, wb.BIASES)
    assert f1 == pytest.approx(v["out_o1"] - 0.01, rel=1e-15)
    assert f3 == v["out_h1"]
    assert f1 * f2 * f3 == pytest.approx(wb.output_layer_gradients(*TEXT)[0], rel=1e-15)


def test_one_update_step_reproduces_the_printed_weights():
    new = wb.update_step(*TEXT, wb.LEARNING_RATE)
    printed = ["0.149780716", "0.19956143", "0.24975114", "0.29950229",
               "0.35891648", "0.408666186", "0.511301270", "0.561370121"]
    for k, (value, text) in enumerate(zip(new, printed, strict=True)):
        assert wb.agrees_with_printed(value, text), (f"w{k + 1}", value, text)


def test_ten_thousand_steps_reach_the_error_of_the_text():
    _, errors = wb.train(*TEXT, wb.LEARNING_RATE, 10_000)
    assert errors.shape == (10_001,)
    assert wb.agrees_with_printed(errors[0], "0.298371109")
    assert f"{errors[-1]:.2e}" == "3.51e-05"
    assert np.all(np.diff(errors) < 0)
    assert errors[-1] == pytest.approx(3.51e-05, abs=5e-08)


def test_training_follows_torch_sgd_step_for_step():
    """1,000 steps of torch.optim.SGD on the nn.Linear network (frozen biases) land on the same
    weights and error (10,000 would take ten seconds here; the gradients are tested above)."""
    w, errors = wb.train(*TEXT, wb.LEARNING_RATE, 1000)
    hidden, output = torch_network(wb.WEIGHTS, wb.BIASES)
    opt = torch.optim.SGD([hidden.weight, output.weight], lr=wb.LEARNING_RATE)
    x, t = torch.tensor(wb.INPUTS), torch.tensor(wb.TARGETS)
    for _ in range(1000):
        opt.zero_grad()
        E = 0.5 * ((t - torch.sigmoid(output(torch.sigmoid(hidden(x))))) ** 2).sum()
        E.backward()
        opt.step()
    with torch.no_grad():
        E_final = float(0.5 * ((t - torch.sigmoid(output(torch.sigmoid(hidden(x))))) ** 2).sum())
        w_torch = torch.cat([hidden.weight.reshape(-1), output.weight.reshape(-1)]).numpy()
    np.testing.assert_allclose(w, w_torch, rtol=1e-10, atol=1e-13)
    assert errors[-1] == pytest.approx(E_final, rel=1e-10)


def test_errata_out_o1_sign_of_the_exponent():
    v = wb.forward(wb.INPUTS, wb.WEIGHTS, wb.BIASES)
    as_printed = 1.0 / (1.0 + np.exp(+v["net_o1"]))      # the formula as the seed prints it
    assert as_printed == pytest.approx(1.0 - v["out_o1"], rel=1e-14)   # σ(−z) = 1 − σ(z)
    assert not wb.agrees_with_printed(as_printed, "0.75136079")
    assert wb.agrees_with_printed(v["out_o1"], "0.75136507")
    assert not wb.agrees_with_printed(v["out_o1"], "0.75136079")
    # the text's own E_o1 = 0.274811083 decides between the two printed values of out_o1
    # (up to the rounding of an 8-decimal out_o1, which moves E_o1 by at most 4e-9)
    assert abs(0.5 * (0.01 - 0.75136507) ** 2 - 0.274811083) < 1e-8
    assert abs(0.5 * (0.01 - 0.75136079) ** 2 - 0.274811083) > 1e-6


# --- against torch autograd --------------------------------------------------------------------

@pytest.mark.parametrize("net", [TEXT, *random_networks()])
def test_forward_error_and_all_gradients_match_autograd(net):
    x, target, w, b = net
    values, grads, E, grad = torch_pass(x, target, w, b)
    v = wb.forward(x, w, b)
    ours = {"net_h": [v["net_h1"], v["net_h2"]], "out_h": [v["out_h1"], v["out_h2"]],
            "net_o": [v["net_o1"], v["net_o2"]], "out_o": [v["out_o1"], v["out_o2"]]}
    for key, value in ours.items():
        np.testing.assert_allclose(value, values[key], rtol=RTOL, atol=ATOL)
    assert wb.total_error(target, np.array(ours["out_o"])) == pytest.approx(E, rel=1e-12)
    np.testing.assert_allclose(wb.gradients(x, target, w, b), grad, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(wb.hidden_layer_gradients(x, target, w, b), grad[:4],
                               rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(wb.output_layer_gradients(x, target, w, b), grad[4:],
                               rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(wb.output_deltas(x, target, w, b), grads["net_o"],
                               rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(wb.hidden_deltas(x, target, w, b), grads["net_h"],
                               rtol=RTOL, atol=ATOL)
    f1, f2, f3 = wb.w5_chain_factors(x, target, w, b)
    assert f1 == pytest.approx(grads["out_o"][0], rel=1e-12)
    assert f1 * f2 == pytest.approx(grads["net_o"][0], rel=1e-12)
    assert f1 * f2 * f3 == pytest.approx(grad[4], rel=1e-12)


@pytest.mark.parametrize("net", [TEXT, *random_networks(3, seed=1)])
def test_chain_rule_table_factors_match_autograd(net):
    x, target, w, b = net
    values, grads, _, grad = torch_pass(x, target, w, b)
    table = wb.chain_rule_table(x, target, w, b)
    assert table.shape == (8, 4)
    unit = [0, 0, 1, 1, 0, 0, 1, 1]
    layer = ["h"] * 4 + ["o"] * 4
    for k in range(8):
        d_out = grads[f"out_{layer[k]}"][unit[k]]
        d_net = grads[f"net_{layer[k]}"][unit[k]]
        source = (x if k < 4 else values["out_h"])[k % 2]
        np.testing.assert_allclose(table[k], [d_out, d_net / d_out, source, grad[k]],
                                   rtol=1e-9, atol=1e-13)


@pytest.mark.parametrize("net", [TEXT, *random_networks(3, seed=2)])
def test_update_step_is_one_sgd_step(net):
    x, target, w, b = net
    lr = 0.7
    hidden, output = torch_network(w, b)
    opt = torch.optim.SGD([hidden.weight, output.weight], lr=lr)
    E = 0.5 * ((torch.tensor(target) - torch.sigmoid(output(torch.sigmoid(
        hidden(torch.tensor(x)))))) ** 2).sum()
    E.backward()
    opt.step()
    expected = torch.cat([hidden.weight.reshape(-1), output.weight.reshape(-1)]).detach()
    np.testing.assert_allclose(wb.update_step(x, target, w, b, lr), expected.numpy(),
                               rtol=RTOL, atol=ATOL)


def test_train_and_trajectory_agree_and_count_updates():
    x, target, w, b = random_networks(1, seed=3)[0]
    w_final, errors = wb.train(x, target, w, b, 0.9, 25)
    weights, errors2 = wb.weight_trajectory(x, target, w, b, 0.9, 25)
    assert weights.shape == (26, 8) and errors.shape == errors2.shape == (26,)
    np.testing.assert_array_equal(weights[0], w)
    np.testing.assert_allclose(weights[-1], w_final, rtol=1e-14)
    np.testing.assert_allclose(errors, errors2, rtol=1e-14)
    step = w.copy()
    for k in range(25):
        assert errors[k] == pytest.approx(torch_pass(x, target, step, b)[2], rel=1e-12)
        step = wb.update_step(x, target, step, b, 0.9)
    np.testing.assert_allclose(step, w_final, rtol=1e-12)
    assert wb.train(x, target, w, b, 0.9, 0)[1].shape == (1,)


# --- agrees_with_printed ----------------------------------------------------------------------

@pytest.mark.parametrize(("value", "text", "ok"), [
    (0.5932699921071872, "0.593269992", True),
    (0.5932699926, "0.593269992", False),
    (0.5932699915, "0.593269992", True),
    (0.5932699914, "0.593269992", False),
    (0.3775, "0.3775", True),
    (0.37744, "0.3775", False),
    (3.510187782978851e-05, "0.0000351019", True),
    (-0.0226025405, "-0.022602541", True),
    (0.51130127, "0.511301270", True),
])
def test_agrees_with_printed(value, text, ok):
    assert wb.agrees_with_printed(value, text) is ok


def test_agrees_with_printed_rejects_non_numbers():
    with pytest.raises(ValueError, match="not a decimal"):
        wb.agrees_with_printed(1.0, "about 1")
    with pytest.raises(ValueError, match="finite"):
        wb.agrees_with_printed(1.0, "inf")


# --- bad input, and inputs left alone ----------------------------------------------------------

def test_bad_input_raises_clear_errors():
    x, t, w, b = TEXT
    with pytest.raises(ValueError, match="8 weights"):
        wb.forward(x, w[:6], b)
    with pytest.raises(ValueError, match="1-D"):
        wb.forward(x[None], w, b)
    with pytest.raises(ValueError, match="biases"):
        wb.gradients(x, t, w, np.array([0.35]))
    with pytest.raises(ValueError, match="targets"):
        wb.output_layer_gradients(x, np.array([0.1, 0.2, 0.3]), w, b)
    with pytest.raises(ValueError, match="same shape"):
        wb.total_error(t, np.array([0.5]))
    with pytest.raises(ValueError, match="lr"):
        wb.update_step(x, t, w, b, 0.0)
    with pytest.raises(ValueError, match="steps"):
        wb.train(x, t, w, b, 0.5, -1)
    with pytest.raises(TypeError, match="steps"):
        wb.train(x, t, w, b, 0.5, 2.5)


def test_inputs_are_not_modified():
    arrays = [a.copy() for a in TEXT]
    args = [a.copy() for a in TEXT]
    wb.forward(args[0], args[2], args[3])
    wb.update_step(*args, 0.5)
    wb.train(*args, 0.5, 3)
    wb.weight_trajectory(*args, 0.5, 3)
    wb.chain_rule_table(*args)
    for a, c in zip(args, arrays, strict=True):
        np.testing.assert_array_equal(a, c)
