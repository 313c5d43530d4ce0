"""The torch MLP and the NumPy forward pass of chapter 02: the same weights give the same
outputs (float64) in torch, in ``layers.MLP`` and in ``feedforward.mlp_forward``; the hand-made
XOR network; the trained classifiers reach the accuracies the chapter promises on held-out
points."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from torch import nn

from dlcourse import feedforward, layers
from dlcourse.data import logic_gate, make_circles, make_spirals, make_xor
from dlcourse.exercises import ch02_mlp as ch02
from dlcourse.nets.mlp import ACTIVATIONS, MLP

RTOL, ATOL = 1e-10, 1e-12


def random_weights(sizes, rng):
    weights = [rng.normal(size=(a, b)) for a, b in itertools.pairwise(sizes)]
    biases = [rng.normal(size=b) for b in sizes[1:]]
    return weights, biases


def test_structure_follows_sizes_and_activation():
    model = MLP([3, 4, 5, 2], "tanh")
    kinds = [type(m) for m in model.layers]
    assert kinds == [nn.Linear, nn.Tanh, nn.Linear, nn.Tanh, nn.Linear]
    assert [(m.in_features, m.out_features) for m in model.linears] == [(3, 4), (4, 5), (5, 2)]
    assert sum(p.numel() for p in model.parameters()) == (3 * 4 + 4) + (4 * 5 + 5) + (5 * 2 + 2)
    assert "sizes=[3, 4, 5, 2]" in repr(model) and "'tanh'" in repr(model)
    single = MLP([2, 1], "relu")
    assert [type(m) for m in single.layers] == [nn.Linear]


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("sizes", [[2, 1], [3, 4, 2], [2, 8, 8, 3], [5, 1, 4, 2, 3]])
def test_same_weights_same_outputs_in_torch_and_numpy(sizes, activation):
    rng = np.random.default_rng(len(sizes) * 10 + len(activation))
    weights, biases = random_weights(sizes, rng)
    X = rng.normal(size=(7, sizes[0]))
    model = MLP(sizes, activation).double().load_numpy(weights, biases)
    with torch.no_grad():
        torch_out = model(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(feedforward.mlp_forward(X, weights, biases, activation), torch_out,
                               rtol=RTOL, atol=ATOL)
    # and dlcourse.layers' from-scratch MLP, given the same parameters
    scratch = layers.MLP(sizes, activation=activation, output="linear")
    scratch.params = [p.copy() for pair in zip(weights, biases, strict=True) for p in pair]
    np.testing.assert_allclose(scratch.forward(X), torch_out, rtol=RTOL, atol=ATOL)


def test_numpy_weights_round_trip_and_transpose():
    torch.manual_seed(0)
    model = MLP([3, 5, 2], "relu")
    weights, biases = model.numpy_weights()
    assert [W.shape for W in weights] == [(3, 5), (5, 2)]
    np.testing.assert_array_equal(weights[0], model.linears[0].weight.detach().numpy().T)
    other = MLP([3, 5, 2], "relu").load_numpy(weights, biases)
    x = torch.randn(4, 3)
    torch.testing.assert_close(other(x), model(x))


def test_load_numpy_rejects_bad_shapes_clearly():
    model = MLP([3, 4, 2])
    rng = np.random.default_rng(0)
    weights, biases = random_weights([3, 4, 2], rng)
    with pytest.raises(ValueError, match="transposed"):
        model.load_numpy([weights[0].T, weights[1]], biases)
    with pytest.raises(ValueError, match="2 layers"):
        model.load_numpy(weights[:1], biases[:1])
    with pytest.raises(ValueError, match=r"biases\[1\]"):
        model.load_numpy(weights, [biases[0], np.zeros(3)])


def test_bad_construction_raises_clear_errors():
    with pytest.raises(ValueError, match="at least two"):
        MLP([2])
    with pytest.raises(ValueError, match="at least two"):
        MLP(5)
    with pytest.raises(ValueError, match="activation"):
        MLP([2, 2], "swish")
    with pytest.raises(ValueError, match="at least 1"):
        MLP([2, 0, 2])


def test_model_runs_on_the_chosen_device():
    from dlcourse.device import get_device

    device = get_device()
    model = MLP([2, 4, 2], "tanh").to(device)
    out = model(torch.zeros(3, 2, device=device))
    assert out.device.type == device.type and out.shape == (3, 2)


def test_inputs_are_not_modified_by_load_and_forward():
    rng = np.random.default_rng(1)
    weights, biases = random_weights([2, 3, 2], rng)
    copies = [a.copy() for a in (*weights, *biases)]
    X = rng.normal(size=(4, 2))
    X_copy = X.copy()
    MLP([2, 3, 2]).load_numpy(weights, biases)
    feedforward.mlp_forward(X, weights, biases, "sigmoid", "sigmoid")
    for a, c in zip((*weights, *biases), copies, strict=True):
        np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(X, X_copy)


# --- the chapter's hand network, the 3-4-2 example, and the trained classifiers ---------------

def test_hand_network_computes_xor_exactly():
    X, table = logic_gate("XOR")
    weights, biases = feedforward.xor_network()
    out = feedforward.mlp_forward(X, weights, biases, "step", "step")
    np.testing.assert_array_equal(out[:, 0], table)
    hidden = feedforward.mlp_forward(X, weights[:1], biases[:1], "step", "step")
    np.testing.assert_array_equal(hidden[:, 0], logic_gate("OR")[1])
    np.testing.assert_array_equal(hidden[:, 1], logic_gate("NAND")[1])


def test_342_example_node_by_node_equals_the_matrix_form_and_torch():
    x = feedforward.EXAMPLE_342_X[0]
    W1, W2, b1, b2 = (feedforward.EXAMPLE_342_W1, feedforward.EXAMPLE_342_W2,
                      feedforward.EXAMPLE_342_B1, feedforward.EXAMPLE_342_B2)
    sigma = torch.sigmoid
    a = [float(sigma(torch.tensor(sum(W1[i, j] * x[i] for i in range(3)) + b1[j])))
         for j in range(4)]                                 # nodes 4..7
    y = [float(sigma(torch.tensor(sum(W2[j, k] * a[j] for j in range(4)) + b2[k])))
         for k in range(2)]                                 # nodes 8, 9
    matrix = feedforward.mlp_forward(feedforward.EXAMPLE_342_X, [W1, W2], [b1, b2], "sigmoid",
                                     "sigmoid")
    np.testing.assert_allclose(matrix[0], y, rtol=1e-12)
    model = MLP([3, 4, 2], "sigmoid").double().load_numpy([W1, W2], [b1, b2])
    with torch.no_grad():
        np.testing.assert_allclose(torch.sigmoid(model(torch.from_numpy(feedforward.EXAMPLE_342_X)))
                                   .numpy()[0], y, rtol=1e-12)


@pytest.mark.parametrize(("name", "maker", "threshold"), [
    ("xor", make_xor, 0.99), ("circles", make_circles, 0.95), ("spiral", make_spirals, 0.95)])
def test_trained_classifier_reaches_the_promised_held_out_accuracy(name, maker, threshold):
    _, spec, lr, epochs, *_ = ch02.TRAINING_SETUPS[name]
    X, y = maker(200, seed=10)
    X_test, y_test = maker(200, seed=11)
    torch.manual_seed(10)
    model = MLP(spec["sizes"], spec["activation"])
    losses = feedforward.train_classifier(model, X, y, lr=lr, epochs=epochs, device="cpu")
    assert len(losses) == epochs and losses[-1] < 0.5 * losses[0]
    with torch.no_grad():
        pred = model(torch.as_tensor(X_test, dtype=torch.float32)).argmax(1).numpy()
    assert np.mean(pred == y_test) >= threshold


def test_mlp_forward_rejects_mismatched_lists():
    with pytest.raises(ValueError, match="one bias vector per weight"):
        feedforward.mlp_forward(np.zeros((1, 2)), [np.zeros((2, 2))], [])
    with pytest.raises(ValueError, match="activation"):
        feedforward.mlp_forward(np.zeros((1, 2)), [np.zeros((2, 2))], [np.zeros(2)], "swish",
                                "swish")
