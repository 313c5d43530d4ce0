"""The perceptron reference against scikit-learn and the numbers of the seeds."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.linear_model import Perceptron

from dlcourse import perceptron as pc
from dlcourse.data import logic_gate, make_separable


def test_neuron_forward_row_format():
    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert np.allclose(pc.neuron_forward(X, np.array([0.5, -1.0]), 2.0), [0.5, -0.5, -1.5])


def test_neuron_forward_errors_say_what_to_do():
    with pytest.raises(ValueError, match=r"X must be a 2-D array laid out as \(n, d\).*x\[None\]"):
        pc.neuron_forward(np.ones(3), np.ones(3), 0.0)
    with pytest.raises(ValueError, match="X's columns and w's length must match; got 3 and 2"):
        pc.neuron_forward(np.ones((2, 3)), np.ones(2), 0.0)


def test_nand_weights_of_the_seed():
    X, table = logic_gate("NAND")
    assert pc.gate_outputs(X, np.array([-2.0, -2.0]), 3.0).tolist() == table.tolist()
    assert pc.neuron_forward(np.array([[0.0, 1.0]]), np.array([-2.0, -2.0]), 3.0)[0] == 1.0


def test_voting_example_of_the_seed():
    scores, weights = np.array([4.0, 1.0, -3.0]), np.array([1.0, 3.0, 2.0])
    assert scores @ weights == 1.0
    assert pc.threshold_unit(scores, weights, threshold=3.0) == 0
    assert pc.threshold_unit(scores, weights, threshold=0.5) == 1


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND", "NOR"])
def test_hand_weights_compute_their_gate(gate):
    X, table = logic_gate(gate)
    w, b = pc.logic_gate_weights(gate)
    assert np.array_equal(pc.gate_outputs(X, w, b), table)
    assert pc.logic_gate_weights("XOR") is None


def test_update_rule():
    w, b = pc.perceptron_update(np.zeros(2), 0.0, np.array([1.0, 2.0]), -1.0, lr=0.5)
    assert np.allclose(w, [-0.5, -1.0]) and b == -0.5
    w0 = np.array([1.0, 1.0])
    w1, b1 = pc.perceptron_update(w0, 0.0, np.array([1.0, 1.0]), 1.0)
    assert np.array_equal(w1, w0) and w1 is not w0 and b1 == 0.0
    with pytest.raises(ValueError, match="labels must be −1 or \\+1.*y = 2 \\* t - 1"):
        pc.perceptron_update(w0, 0.0, w0, 0.0)
    with pytest.raises(ValueError, match="lr must be > 0"):
        pc.perceptron_update(w0, 0.0, w0, 1.0, lr=0.0)


@pytest.mark.parametrize("seed", range(6))
def test_training_matches_scikit_learn_exactly(seed):
    X, t = make_separable(50, margin=0.05, seed=seed)
    y = 2.0 * t - 1
    lr = [0.1, 0.5, 1.0, 2.0, 0.7, 1.3][seed]
    w, b, updates = pc.train_perceptron(X, y, lr=lr, max_epochs=5000)
    assert updates[-1] == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = Perceptron(eta0=lr, shuffle=False, tol=None, alpha=0.0,
                        max_iter=len(updates)).fit(X, y)
    assert np.allclose(w, sk.coef_[0], rtol=1e-12, atol=1e-12)
    assert np.isclose(b, sk.intercept_[0], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_novikoff_bound_holds(seed):
    X, t = make_separable(120, margin=0.03, seed=seed)
    y = 2.0 * t - 1
    _, _, updates = pc.train_perceptron(X, y, max_epochs=100_000)
    bound = pc.margin_bound(X, y, *pc.max_margin_separator(X, y))
    assert updates[-1] == 0
    assert updates.sum() <= bound.bound
    assert bound.gamma >= 0.03 * 0.5  # the augmented margin is at most a little smaller


def test_margin_bound_quantities_on_a_hand_example():
    X = np.array([[1.0, 0.0], [-1.0, 0.0]])
    y = np.array([1.0, -1.0])
    mb = pc.margin_bound(X, y, np.array([1.0, 0.0]), 0.0)
    assert np.isclose(mb.R, np.sqrt(2)) and np.isclose(mb.gamma, 1.0) and np.isclose(mb.bound, 2)
    with pytest.raises(ValueError, match="does not separate"):
        pc.margin_bound(X, y, np.array([-1.0, 0.0]), 0.0)


def test_xor_never_converges_and_the_learning_rate_does_not_matter():
    X, t = logic_gate("XOR")
    for lr in (0.1, 1.0, 10.0):
        _, _, updates = pc.train_perceptron(X, 2.0 * t - 1, lr=lr, max_epochs=200)
        assert len(updates) == 200 and updates.min() > 0


def test_mistake_count_is_independent_of_the_learning_rate_from_zero():
    X, t = make_separable(60, margin=0.05, seed=11)
    counts = [pc.train_perceptron(X, 2.0 * t - 1, lr=lr)[2].tolist() for lr in (0.01, 1.0, 100.0)]
    assert counts[0] == counts[1] == counts[2]
