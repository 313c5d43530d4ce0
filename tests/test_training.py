"""The training loop: learns, repeats with a seed, switches modes, respects the device."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from dlcourse.data import make_xor
from dlcourse.training import History, as_tensor, fit, loss_and_accuracy, predict


def _model(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))


def test_fit_learns_xor_clouds_and_reports_history():
    X, y = make_xor(400, noise=0.2, seed=0)
    model = _model()
    hist = fit(model, X[:300], y[:300], X_val=X[300:], y_val=y[300:], lr=0.5, epochs=30,
               batch_size=32, device="cpu", progress=False)
    assert isinstance(hist, History) and len(hist.train_loss) == 30 == len(hist.val_acc)
    assert hist.train_loss[-1] < hist.train_loss[0]
    assert hist.val_acc[-1] >= 0.95
    loss, acc = loss_and_accuracy(model, X[300:], y[300:], nn.functional.cross_entropy,
                                  device="cpu")
    assert acc == pytest.approx(hist.val_acc[-1]) and loss == pytest.approx(hist.val_loss[-1])


def test_fit_is_repeatable_with_the_same_seeds():
    X, y = make_xor(200, seed=1)
    runs = []
    for _ in range(2):
        model = _model(seed=3)
        runs.append(fit(model, X, y, epochs=3, device="cpu", seed=5, progress=False).train_loss)
    assert runs[0] == runs[1]
    other = fit(_model(seed=3), X, y, epochs=3, device="cpu", seed=6, progress=False)
    assert other.train_loss != runs[0]


def test_fit_uses_train_mode_and_loss_and_accuracy_uses_eval_mode():
    modes = []

    class Spy(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(2, 2)

        def forward(self, x):
            modes.append(self.training)
            return self.linear(x)

    X, y = make_xor(20, seed=2)
    fit(Spy(), X, y, X_val=X, y_val=y, epochs=1, batch_size=20, device="cpu", progress=False)
    assert modes == [True, False]


def test_regression_targets_use_mse_and_no_accuracy():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]])
    model = nn.Linear(3, 1)
    hist = fit(model, X, y, lr=0.1, epochs=40, device="cpu", progress=False)
    assert hist.train_acc == [] and hist.train_loss[-1] < 1e-3
    assert predict(model, X, device="cpu").shape == (64, 1)


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="X_train has 3 examples but y_train has 2"):
        fit(nn.Linear(2, 2), np.zeros((3, 2)), np.zeros(2, dtype=int), device="cpu",
            progress=False)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        fit(nn.Linear(2, 2), np.zeros((3, 2)), np.zeros(3, dtype=int), epochs=0)


def test_as_tensor_dtypes():
    assert as_tensor(np.zeros(2)).dtype == torch.float32
    assert as_tensor(np.zeros(2, dtype=np.int64)).dtype == torch.int64
    assert as_tensor(np.zeros(2), dtype=torch.float64).dtype == torch.float64


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_fit_runs_on_cuda():
    X, y = make_xor(64, seed=0)
    model = _model()
    fit(model, X, y, epochs=2, device="cuda", progress=False)
    assert next(model.parameters()).is_cuda


def test_as_tensor_accepts_read_only_arrays_without_warning(recwarn):
    from dlcourse.data import load_digits_split

    t = as_tensor(load_digits_split().X_train)
    assert t.shape == (1169, 64) and not recwarn.list
