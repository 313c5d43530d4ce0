"""The torch recurrent models of chapter 13 against the NumPy reference cells of
``dlcourse.recurrent`` (an independent implementation), and the sampling and training loops."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse import recurrent as rec
from dlcourse.nets.char_rnn import (
    CharRNN,
    SequenceClassifier,
    recurrent_layer,
    sample_text,
    set_forget_bias,
    train_char_model,
)


def _weights(layer):
    """(Wx, Wh, b_ih, b_hh) of a one-layer torch recurrent module, as float64 NumPy."""
    get = {name: p.detach().double().numpy() for name, p in layer.named_parameters()}
    return get["weight_ih_l0"].T, get["weight_hh_l0"].T, get["bias_ih_l0"], get["bias_hh_l0"]


def _reference_states(cell, layer, xs_batch_first):
    """Hidden states (N, T, H) of the layer, computed by dlcourse.recurrent in float64."""
    Wx, Wh, b_ih, b_hh = _weights(layer)
    xs = np.transpose(xs_batch_first, (1, 0, 2)).astype(np.float64)
    h0 = np.zeros((xs.shape[1], Wh.shape[0]))
    if cell == "rnn":
        hs, _ = rec.rnn_forward(xs, h0, Wx, Wh, b_ih + b_hh)
    elif cell == "lstm":
        hs, _, _ = rec.lstm_forward(xs, h0, h0, Wx, Wh, b_ih + b_hh)
    else:
        hs, _ = rec.gru_forward(xs, h0, Wx, Wh, b_ih, b_hh, convention="torch")
    return np.transpose(hs, (1, 0, 2))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_sequence_classifier_matches_the_numpy_cells(cell):
    torch.manual_seed(0)
    model = SequenceClassifier(3, 5, 4, cell=cell).double()
    xs = np.random.default_rng(1).normal(size=(2, 6, 3))
    logits = model(torch.from_numpy(xs)).detach().numpy()
    states = _reference_states(cell, model.rnn, xs)
    W, b = model.head.weight.detach().numpy(), model.head.bias.detach().numpy()
    np.testing.assert_allclose(logits, states[:, -1] @ W.T + b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_char_rnn_matches_the_numpy_cells_and_carries_its_state(cell):
    torch.manual_seed(2)
    model = CharRNN(7, hidden=6, cell=cell, embedding_dim=4).double()
    codes = np.random.default_rng(3).integers(0, 7, size=(3, 9))
    logits, _ = model(torch.from_numpy(codes))
    embedded = model.embed.weight.detach().numpy()[codes]
    states = _reference_states(cell, model.rnn, embedded)
    W, b = model.head.weight.detach().numpy(), model.head.bias.detach().numpy()
    np.testing.assert_allclose(logits.detach().numpy(), states @ W.T + b, rtol=1e-10,
                               atol=1e-12)
    # reading the sequence in two pieces, passing the state along, changes nothing
    first, state = model(torch.from_numpy(codes[:, :4]))
    second, _ = model(torch.from_numpy(codes[:, 4:]), state)
    np.testing.assert_allclose(torch.cat([first, second], 1).detach().numpy(),
                               logits.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_set_forget_bias_opens_the_forget_gates():
    torch.manual_seed(0)
    lstm = recurrent_layer("lstm", 3, 4)
    set_forget_bias(lstm, 5.0)
    b_ih, b_hh = lstm.bias_ih_l0.detach().numpy(), lstm.bias_hh_l0.detach().numpy()
    np.testing.assert_array_equal(b_hh, np.zeros(16))
    np.testing.assert_array_equal(b_ih, np.r_[np.zeros(4), np.full(4, 5.0), np.zeros(8)])
    # with zero input and state, the cell keeps σ(5) of its old content
    Wx, Wh, b1, b2 = _weights(lstm)
    _, c, _ = rec.lstm_step_forward(np.zeros((1, 3)), np.zeros((1, 4)), np.ones((1, 4)), Wx, Wh,
                                    b1 + b2)
    np.testing.assert_allclose(c, np.full((1, 4), 1 / (1 + np.exp(-5.0))), rtol=1e-6)
    model = SequenceClassifier(2, 4, 3, cell="lstm", forget_bias=2.0)
    assert float(model.rnn.bias_ih_l0.detach()[5]) == 2.0


def test_greedy_sampling_is_the_argmax_chain():
    torch.manual_seed(4)
    model = CharRNN(5, hidden=8, cell="gru").double()
    prompt = np.array([1, 3, 2])
    out = sample_text(model, prompt, 12, temperature=0, device="cpu")
    seq = list(prompt)
    with torch.no_grad():
        for _ in range(12):  # recompute from scratch each time: no state carried
            logits, _ = model(torch.tensor([seq]))
            seq.append(int(logits[0, -1].argmax()))
    np.testing.assert_array_equal(out, seq[3:])
    assert out.dtype == np.int64


def test_sampling_is_seeded_and_follows_the_temperature():
    torch.manual_seed(5)
    model = CharRNN(6, hidden=8)
    a = sample_text(model, np.array([0]), 60, seed=3, device="cpu")
    b = sample_text(model, np.array([0]), 60, seed=3, device="cpu")
    c = sample_text(model, np.array([0]), 60, seed=4, device="cpu")
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert sample_text(model, np.array([0]), 0, device="cpu").shape == (0,)
    cold = sample_text(model, np.array([0]), 60, temperature=1e-3, seed=9, device="cpu")
    np.testing.assert_array_equal(cold, sample_text(model, np.array([0]), 60, temperature=0,
                                                    device="cpu"))


def test_train_char_model_learns_a_repeating_text():
    text = np.array([0, 1, 2, 3] * 30)
    inputs = np.stack([text[i:i + 8] for i in range(100)])
    targets = np.stack([text[i + 1:i + 9] for i in range(100)])
    torch.manual_seed(0)
    model = CharRNN(4, hidden=16, cell="lstm")
    losses = train_char_model(model, inputs, targets, steps=120, batch_size=16, lr=0.02,
                              device="cpu")
    assert len(losses) == 120 and all(isinstance(v, float) for v in losses)
    assert np.mean(losses[-10:]) < 0.1 * losses[0]
    np.testing.assert_array_equal(sample_text(model, np.array([2]), 8, temperature=0,
                                              device="cpu"), [3, 0, 1, 2, 3, 0, 1, 2])


def test_bad_input():
    with pytest.raises(ValueError, match="unknown cell 'transformer'"):
        CharRNN(5, cell="transformer")
    with pytest.raises(ValueError, match="forget_bias applies to the LSTM only"):
        SequenceClassifier(2, 3, 2, cell="gru", forget_bias=1.0)
    with pytest.raises(ValueError, match=r"x must be \(N, T, D\)"):
        SequenceClassifier(2, 3, 2)(torch.zeros(4, 2))
    with pytest.raises(ValueError, match=r"codes must be \(N, T\)"):
        CharRNN(5)(torch.zeros(4, dtype=torch.long))
    with pytest.raises(ValueError, match="prompt must be a non-empty 1-D array"):
        sample_text(CharRNN(5), np.array([]), 3, device="cpu")
    with pytest.raises(ValueError, match=r"inputs and targets must both be \(M, T\)"):
        train_char_model(CharRNN(5), np.zeros((3, 4), int), np.zeros((3, 5), int),
                         device="cpu")
    with pytest.raises(TypeError, match="expected a torch.nn.LSTM"):
        set_forget_bias(torch.nn.GRU(2, 3), 1.0)
