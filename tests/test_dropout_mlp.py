"""dlcourse.nets.dropout_mlp: the dropout placements, the max-norm projection, the training
loop's record, and the dropout-practice explorer of chapter 09."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse import regularization as reg
from dlcourse.nets.dropout_mlp import (
    DropoutMLP,
    apply_max_norm_,
    largest_unit_norm,
    small_digits,
    train_dropout_mlp,
)


def test_dropout_sits_on_the_input_and_after_each_hidden_layer():
    torch.manual_seed(0)
    model = DropoutMLP([64, 32, 16, 10], p_input=0.2, p_hidden=0.5)
    kinds = [type(m).__name__ for m in model.layers]
    assert kinds == ["Dropout", "Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout",
                     "Linear"]
    assert [m.p for m in model.layers if isinstance(m, torch.nn.Dropout)] == [0.2, 0.5, 0.5]
    x = torch.ones(4000, 64)
    model.train()
    dropped = float((model.layers[0](x) == 0).float().mean())
    assert abs(dropped - 0.2) < 0.01                         # the input rate
    model.eval()
    torch.testing.assert_close(model(x[:5]), model(x[:5]))  # evaluation: deterministic


def test_apply_max_norm_equals_the_numpy_reference():
    torch.manual_seed(1)
    model = DropoutMLP([6, 5, 3], p_input=0.0, p_hidden=0.0).double()
    with torch.no_grad():
        for layer in model.linears:
            layer.weight.mul_(3.0)
    before = [layer.weight.detach().numpy().copy() for layer in model.linears]
    apply_max_norm_(model, 1.0)
    for W, layer in zip(before, model.linears, strict=True):
        # nn.Linear holds Wᵀ: the row-format reference runs over axis 0 of W.T
        expected = reg.max_norm(W.T, 1.0).T
        np.testing.assert_allclose(layer.weight.detach().numpy(), expected, rtol=1e-6)
    assert largest_unit_norm(model) <= 1.0


@pytest.fixture(scope="module")
def runs():
    data = small_digits(60)
    kwargs = dict(epochs=30, hidden=32, eval_every=10, device="cpu")
    return {
        "plain": train_dropout_mlp(*data, lr=0.2, **kwargs),
        "again": train_dropout_mlp(*data, lr=0.2, **kwargs),
        "capped": train_dropout_mlp(*data, lr=0.2, max_norm=1.0, **kwargs),
        "dropout": train_dropout_mlp(*data, p_input=0.2, p_hidden=0.5, lr=0.2, **kwargs),
    }


def test_the_record(runs):
    run = runs["plain"]
    np.testing.assert_array_equal(run.epochs, [10, 20, 30])
    for values in (run.train_loss, run.val_loss, run.val_acc, run.unit_norm):
        assert values.shape == (3,) and np.all(np.isfinite(values))
    np.testing.assert_array_equal(run.val_loss, runs["again"].val_loss)   # seeded
    assert not np.array_equal(run.val_loss, runs["dropout"].val_loss)
    assert run.train_loss[-1] < run.train_loss[0]
    assert "max-norm off" in run.label and "max-norm 1" in runs["capped"].label


def test_max_norm_bounds_every_unit(runs):
    assert np.all(runs["capped"].unit_norm <= 1.0 + 1e-6)
    assert runs["plain"].unit_norm.max() > 1.0


def test_bad_arguments():
    data = small_digits(20)
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        train_dropout_mlp(*data, max_norm=0.0, device="cpu")
    with pytest.raises(ValueError, match="p_input must be < 1"):
        DropoutMLP(p_input=1.0)
    with pytest.raises(ValueError, match="same number of rows"):
        train_dropout_mlp(data[0], data[1][:-1], data[2], data[3], device="cpu")
