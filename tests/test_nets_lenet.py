"""The LeNet of chapter 12 (shapes vs torch and the chapter 11 formula), its MLP, and the
hand-written epoch loop (dlcourse.epoch) against dlcourse.training and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.metrics import accuracy_score
from torch import nn

from dlcourse import epoch
from dlcourse.conv import conv_output_size
from dlcourse.nets.lenet import MLP, LeNet, lenet_shapes, param_count
from dlcourse.training import fit, loss_and_accuracy


def _torch_shapes(size, c1, c2, k, p, pool):
    """The shapes torch's own layers produce, stage by stage."""
    x = torch.zeros(1, 1, size, size)
    x = nn.Conv2d(1, c1, k, padding=p)(x)
    shapes = [x.shape[1:]]
    x = F.max_pool2d(x, pool)
    shapes.append(x.shape[1:])
    x = nn.Conv2d(c1, c2, k, padding=p)(x)
    shapes.append(x.shape[1:])
    shapes.append(F.max_pool2d(x, pool).shape[1:])
    return np.array([list(s) for s in shapes])


@pytest.mark.parametrize("seed", range(8))
def test_lenet_shapes_match_torch(seed):
    rng = np.random.default_rng(seed)
    while True:
        size, k = int(rng.integers(5, 30)), int(rng.choice([1, 3, 5]))
        p, pool = int(rng.integers(0, 3)), int(rng.choice([2, 3]))
        try:
            ours = lenet_shapes(size, 3, 5, k, p, pool)
            break
        except ValueError:
            continue
    np.testing.assert_array_equal(ours, _torch_shapes(size, 3, 5, k, p, pool))
    assert ours[0, 1] == conv_output_size(size, k, 1, p)


def test_lenet5_numbers_and_the_digits():
    # LeNet-5 (LeCun et al., 1998): 32×32 → 28 → 14 → 10 → 5, 16·5·5 = 400 features
    assert lenet_shapes(32, 6, 16, 5, 0, 2).tolist() == [[6, 28, 28], [6, 14, 14],
                                                         [16, 10, 10], [16, 5, 5]]
    assert lenet_shapes(8, 16, 32).tolist() == [[16, 8, 8], [16, 4, 4], [32, 4, 4], [32, 2, 2]]
    with pytest.raises(ValueError, match="larger than the padded input"):
        lenet_shapes(3, 1, 1, 5, 0, 2)


def test_lenet_forward_parameters_and_names():
    torch.manual_seed(0)
    net = LeNet()
    x = torch.rand(5, 1, 8, 8)
    assert net(x).shape == (5, 10)
    assert net.feature_maps(x).shape == (5, 16, 8, 8)
    assert list(net.state_dict()) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                      "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    # (3·3·1 + 1)·16 + (3·3·16 + 1)·32 + (32·2·2 + 1)·64 + (64 + 1)·10
    assert param_count(net) == 160 + 4640 + 8256 + 650 == 13706
    assert param_count(MLP()) == 64 * 183 + 183 + 183 * 10 + 10 == 13735
    odd = LeNet(c1=2, c2=3, hidden=4, num_classes=3, size=11)
    assert odd(torch.rand(2, 1, 11, 11)).shape == (2, 3) and odd.fc1.in_features == 3 * 2 * 2


def test_lenet_forward_equals_the_functional_definition():
    torch.manual_seed(1)
    net = LeNet(c1=4, c2=6, hidden=7).double()
    x = torch.rand(3, 1, 8, 8, dtype=torch.float64)
    h = F.max_pool2d(F.relu(F.conv2d(x, net.conv1.weight, net.conv1.bias, padding=1)), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, net.conv2.weight, net.conv2.bias, padding=1)), 2)
    h = F.relu(h.reshape(3, -1) @ net.fc1.weight.T + net.fc1.bias)
    torch.testing.assert_close(net(x), h @ net.fc2.weight.T + net.fc2.bias, rtol=1e-12,
                               atol=1e-12)


def test_lenet_and_mlp_explain_bad_input():
    net = LeNet()
    with pytest.raises(ValueError, match=r"x must have shape \(N, 1, 8, 8\).*x.view"):
        net(torch.zeros(4, 64))
    with pytest.raises(TypeError, match="c1 must be an integer"):
        LeNet(c1=2.5)
    assert MLP()(torch.zeros(4, 1, 8, 8)).shape == MLP()(torch.zeros(4, 64)).shape == (4, 10)


def test_convolution_is_shift_equivariant_away_from_the_border():
    torch.manual_seed(2)
    net = LeNet().double()
    x = torch.zeros(1, 1, 8, 8, dtype=torch.float64)
    x[0, 0, 2:5, 2:5] = torch.rand(3, 3, dtype=torch.float64)
    shifted = torch.roll(x, shifts=(1, 1), dims=(2, 3))   # nothing crosses the border
    maps, maps_shifted = net.feature_maps(x), net.feature_maps(shifted)
    torch.testing.assert_close(maps_shifted[..., 1:, 1:], maps[..., :-1, :-1])


# ------------------------------------------------------------------------------ the loop


def _data(seed=0, n=70, d=5, k=3):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, size=n)
    X = rng.normal(size=(k, d))[y] * 2 + rng.normal(size=(n, d))
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y)


def _net(seed=0, d=5, k=3):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(d, 16), nn.ReLU(), nn.Linear(16, k))


def test_train_epoch_matches_fit_on_the_same_order():
    X, y = _data()
    model_a, model_b = _net(), _net()
    hist = fit(model_a, X, y, optimizer=torch.optim.SGD(model_a.parameters(), lr=0.1),
               epochs=1, batch_size=16, device="cpu", seed=7, progress=False)
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(7))
    loss, acc = epoch.train_epoch(model_b, X[order], y[order],
                                  torch.optim.SGD(model_b.parameters(), lr=0.1), 16)
    assert loss == pytest.approx(hist.train_loss[0], rel=1e-6)
    assert acc == pytest.approx(hist.train_acc[0])
    for a, b in zip(model_a.parameters(), model_b.parameters(), strict=True):
        torch.testing.assert_close(a, b)


def test_evaluate_matches_loss_and_accuracy_and_sklearn():
    X, y = _data(1)
    model = _net(1)
    loss, acc = epoch.evaluate(model, X, y, batch_size=16)
    ref_loss, ref_acc = loss_and_accuracy(model, X, y, F.cross_entropy, device="cpu")
    assert loss == pytest.approx(ref_loss, rel=1e-6) and acc == pytest.approx(ref_acc)
    with torch.no_grad():
        logits = model(X).numpy()
    assert epoch.accuracy_from_logits(logits, y.numpy()) == pytest.approx(
        accuracy_score(y.numpy(), logits.argmax(1)))


def test_modes_and_gradients_are_switched():
    seen = []

    class Spy(nn.Module):
        def forward(self, h):
            seen.append((self.training, torch.is_grad_enabled()))
            return h

    X, y = _data(2)
    model = nn.Sequential(nn.Linear(5, 3), Spy())
    model.eval()
    epoch.train_epoch(model, X, y, torch.optim.SGD(model.parameters(), lr=0.1), 32)
    assert seen and all(m and g for m, g in seen)
    seen.clear()
    model.train()
    epoch.evaluate(model, X, y)
    assert seen and not any(m or g for m, g in seen)


def test_label_smoothing_changes_the_training_loss():
    X, y = _data(3)
    plain, smooth = _net(3), _net(3)
    l0, _ = epoch.train_epoch(plain, X, y, torch.optim.SGD(plain.parameters(), lr=0.0), 16)
    l1, _ = epoch.train_epoch(smooth, X, y, torch.optim.SGD(smooth.parameters(), lr=0.0), 16,
                              label_smoothing=0.2)
    with torch.no_grad():
        expected = F.cross_entropy(plain(X), y, label_smoothing=0.2).item()
    assert l1 == pytest.approx(expected, rel=1e-5) and l1 != pytest.approx(l0)


def test_loop_and_accuracy_explain_bad_input():
    X, y = _data()
    with pytest.raises(TypeError, match="must be torch tensors"):
        epoch.evaluate(_net(), X.numpy(), y.numpy())
    with pytest.raises(ValueError, match="X has 70 examples and y 69"):
        epoch.evaluate(_net(), X, y[:-1])
    with pytest.raises(ValueError, match="must be equal"):
        epoch.accuracy_from_logits(np.zeros((3, 2)), np.zeros(2, dtype=int))
