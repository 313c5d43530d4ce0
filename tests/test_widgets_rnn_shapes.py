"""Chapter 13's RNN-shapes explorer: every shape it lists is the shape torch produces."""

from __future__ import annotations

import pytest
import torch

from dlcourse.widgets import live
from dlcourse.widgets.rnn_shapes import (
    KINDS,
    rnn_shapes_explorer,
    rnn_shapes_scene,
    rnn_shapes_view,
)


def torch_shapes(kind, T, T_out, N, D, H, K):
    """Run the kind with torch modules and collect the shapes, in the view's order."""
    torch.manual_seed(0)
    rnn, head = torch.nn.RNN(D, H), torch.nn.Linear(H, K)
    h0 = torch.zeros(1, N, H)
    if kind == "one-to-one":
        x = torch.randn(N, D)
        hidden = torch.tanh(torch.nn.Linear(D, H)(x))
        return [x.shape, hidden.shape, head(hidden).shape]
    if kind == "one-to-many":
        x = torch.randn(N, D)
        xs = torch.cat([x[None], torch.zeros(T_out - 1, N, D)])
        out, h_n = rnn(xs, h0)
        return [x.shape, xs.shape, h0.shape, out.shape, h_n.shape, head(out).shape]
    if kind in ("many-to-one", "many-to-many"):
        xs = torch.randn(T, N, D)
        out, h_n = rnn(xs, h0)
        torch.testing.assert_close(out[-1], h_n[0])
        y = head(h_n[0]) if kind == "many-to-one" else head(out)
        return [xs.shape, h0.shape, out.shape, h_n.shape, y.shape]
    encoder, decoder = rnn, torch.nn.RNN(D, H)
    xs = torch.randn(T, N, D)
    enc_out, enc_h = encoder(xs, h0)
    dec_in = torch.zeros(T_out, N, D)
    dec_out, _ = decoder(dec_in, enc_h)
    return [xs.shape, enc_out.shape, enc_h.shape, dec_in.shape, dec_out.shape,
            head(dec_out).shape]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sizes", [(4, 3, 2, 3, 5, 4), (1, 1, 1, 1, 1, 1), (6, 2, 3, 7, 2, 9)])
def test_shapes_are_torchs(kind, sizes):
    view = rnn_shapes_view(kind, *sizes)
    assert list(view.shapes.values()) == [tuple(s) for s in torch_shapes(kind, *sizes)]
    T, T_out = sizes[:2]
    assert view.steps == {"one-to-one": 1, "one-to-many": T_out, "many-to-one": T,
                          "many-to-many": T, "encoder-decoder": T + T_out}[kind]
    assert len(view.has_input) == len(view.has_output) == view.steps
    assert sum(view.has_output) == {"one-to-one": 1, "one-to-many": T_out, "many-to-one": 1,
                                    "many-to-many": T, "encoder-decoder": T_out}[kind]


def test_scene_and_widget():
    for kind in KINDS:
        live.validate_scene(rnn_shapes_scene(rnn_shapes_view(kind)))
    with pytest.raises(ValueError, match="unknown kind"):
        rnn_shapes_view("many-to-some")
    ui = rnn_shapes_explorer()
    assert ui.figure.current["title"].startswith("many-to-one")
    ui.explorer.controls["kind"].value = "encoder-decoder"
    ui.explorer.controls["out_len"].value = 6
    texts = [m["text"] for m in ui.figure.current["panels"][1]["marks"]]
    assert "y = head(decoder out): (6, 2, 4)" in texts
