"""Global average pooling and the GAP network of chapter 12, against torch's own layers."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from dlcourse.nets.gap import GAPNet, global_avg_pool
from dlcourse.nets.lenet import LeNet, param_count


def test_global_avg_pool_equals_adaptive_avg_pool2d():
    x = torch.randn(3, 5, 7, 4, dtype=torch.float64)
    torch.testing.assert_close(global_avg_pool(x), F.adaptive_avg_pool2d(x, 1).flatten(1),
                               rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(global_avg_pool(x), F.avg_pool2d(x, (7, 4)).flatten(1),
                               rtol=1e-12, atol=1e-14)


def test_global_avg_pool_ignores_where_a_pattern_is():
    x = torch.randn(2, 3, 6, 6, dtype=torch.float64)
    moved = torch.roll(x, shifts=(2, -1), dims=(2, 3))
    shuffled = x.flatten(2)[:, :, torch.randperm(36)].view(2, 3, 6, 6)
    torch.testing.assert_close(global_avg_pool(moved), global_avg_pool(x))
    torch.testing.assert_close(global_avg_pool(shuffled), global_avg_pool(x))


def test_gapnet_equals_its_layers_composed_with_torch_functions():
    torch.manual_seed(0)
    net = GAPNet(4, 6, 3).double()
    x = torch.randn(5, 1, 8, 8, dtype=torch.float64)
    h = F.relu(F.conv2d(x, net.conv1.weight, net.conv1.bias, padding=1))
    h = F.relu(F.conv2d(F.max_pool2d(h, 2), net.conv2.weight, net.conv2.bias, padding=1))
    expected = F.linear(F.adaptive_avg_pool2d(h, 1).flatten(1), net.fc.weight, net.fc.bias)
    torch.testing.assert_close(net(x), expected, rtol=1e-12, atol=1e-14)
    assert net.feature_maps(x).shape == (5, 6, 4, 4)


@pytest.mark.parametrize("size", [2, 5, 8, 11, 16])
def test_gapnet_accepts_any_image_size(size):
    net = GAPNet()
    assert net(torch.zeros(2, 1, size, size)).shape == (2, 10)


def test_parameter_counts():
    # conv1 (9·1 + 1)·16, conv2 (9·16 + 1)·64, fc (64 + 1)·10
    assert param_count(GAPNet()) == 160 + 9280 + 650 == 10_090
    assert param_count(LeNet()) == 13_706
    c1, c2, k = 3, 7, 4
    assert param_count(GAPNet(c1, c2, k)) == 10 * c1 + (9 * c1 + 1) * c2 + (c2 + 1) * k


def test_bad_input():
    with pytest.raises(ValueError, match=r"\(N, 1, H, W\)"):
        GAPNet()(torch.zeros(2, 64))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        global_avg_pool(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="c2"):
        GAPNet(c2=0)
