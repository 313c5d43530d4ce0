"""The autoencoder pieces of chapter 15: the layer stack, the module, and the noise layer."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse.nets.autoencoder import Autoencoder, GaussianNoise, autoencoder_layers


def _describe(seq):
    """Each layer as ('Linear', in, out) or its class name."""
    return [("Linear", m.in_features, m.out_features) if isinstance(m, torch.nn.Linear)
            else type(m).__name__ for m in seq]


def test_layer_stack_is_the_mirror_image_of_the_encoder():
    encoder, decoder = autoencoder_layers(64, [64, 32], 2)
    assert _describe(encoder) == [("Linear", 64, 64), "ReLU", ("Linear", 64, 32), "ReLU",
                                  ("Linear", 32, 2)]
    assert _describe(decoder) == [("Linear", 2, 32), "ReLU", ("Linear", 32, 64), "ReLU",
                                  ("Linear", 64, 64), "Sigmoid"]
    enc, dec = autoencoder_layers(5, [], 3)
    assert _describe(enc) == [("Linear", 5, 3)]
    assert _describe(dec) == [("Linear", 3, 5), "Sigmoid"]


def test_autoencoder_forward_is_decode_of_encode_by_hand():
    torch.manual_seed(0)
    model = Autoencoder(6, [4], 2).double()
    x = torch.from_numpy(np.random.default_rng(0).uniform(size=(3, 6)))
    (W1, b1), (W2, b2), (W3, b3), (W4, b4) = [
        (lin.weight.detach().numpy(), lin.bias.detach().numpy())
        for lin in model.modules() if isinstance(lin, torch.nn.Linear)]
    xn = x.numpy()
    code = np.maximum(xn @ W1.T + b1, 0) @ W2.T + b2
    recon = 1 / (1 + np.exp(-(np.maximum(code @ W3.T + b3, 0) @ W4.T + b4)))
    np.testing.assert_allclose(model.encode(x).detach().numpy(), code, rtol=1e-12)
    np.testing.assert_allclose(model.decode(model.encode(x)).detach().numpy(), recon,
                               rtol=1e-12)
    np.testing.assert_allclose(model(x).detach().numpy(), recon, rtol=1e-12)
    assert Autoencoder().encoder[-1].out_features == 2  # the chapter's default: a 2-D code


def test_gaussian_noise_in_training_mode_only():
    torch.manual_seed(0)
    layer = GaussianNoise(0.3)
    x = torch.rand(200, 300, dtype=torch.float64)
    before = x.clone()
    noisy, again = layer(x), layer(x)
    noise = (noisy - x).numpy()
    assert abs(noise.std() - 0.3) < 0.005 and abs(noise.mean()) < 0.005
    assert abs(np.mean(np.abs(noise) < 0.3) - 0.6827) < 0.01      # Gaussian, not uniform
    assert not torch.equal(noisy, again)                            # fresh noise every call
    assert torch.equal(x, before)                                   # input untouched
    layer.eval()
    assert torch.equal(layer(x), x)
    assert torch.equal(GaussianNoise(0.0)(x), x)
    assert "std=0.3" in repr(GaussianNoise(0.3))


def test_a_noise_layer_inside_a_model_follows_the_model_mode():
    torch.manual_seed(0)
    model = torch.nn.Sequential(GaussianNoise(0.5), Autoencoder(4, [3], 2))
    x = torch.rand(5, 4)
    model.eval()
    assert torch.equal(model(x), model[1](x))
    model.train()
    assert not torch.equal(model(x), model[1](x))


def test_bad_input():
    with pytest.raises(TypeError, match="hidden must be a list of layer sizes"):
        autoencoder_layers(64, 32, 2)
    with pytest.raises(ValueError, match=r"hidden\[1\] must be at least 1"):
        autoencoder_layers(64, [32, 0], 2)
    with pytest.raises(ValueError, match="std must be ≥ 0"):
        GaussianNoise(-0.1)
