"""Small recurrent networks in PyTorch, with a choice of cell (vanilla tanh RNN, LSTM, GRU).

- ``CharRNN`` reads integer codes (characters), embeds them, runs a recurrent layer and scores
  the next character at every step: seed 004's code-writing RNN in miniature. ``sample_text``
  lets a trained model write, one character at a time; ``train_char_model`` trains it.
- ``SequenceClassifier`` reads a sequence of vectors and classifies it from the state after the
  last step: the model for the long-lag recall task (``dlcourse.sequence_tasks.recall_task``),
  trained with the shared loop ``dlcourse.training.fit``.

Tensors are batch first, (N, T, ...). Every function that runs a model takes a ``device``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from dlcourse._validate import one_of, positive_int, public_name, real_in_range

CELLS = ("rnn", "lstm", "gru")


def recurrent_layer(cell: str, input_size: int, hidden: int) -> torch.nn.Module:
    """A one-layer ``nn.RNN`` (tanh), ``nn.LSTM`` or ``nn.GRU`` with ``batch_first=True``."""
    kind = one_of(cell, CELLS, "cell")
    layer = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    return layer(input_size, hidden, batch_first=True)


def set_forget_bias(lstm: torch.nn.LSTM, value: float) -> None:
    """Start an ``nn.LSTM`` with its forget gates open: forget bias ``value``, other biases 0.

    torch stacks the gate biases as (i, f, g, o) and adds ``bias_ih`` and ``bias_hh``; this sets
    the f block of ``bias_ih`` to ``value`` and every other bias entry to zero. With a value of a
    few units, f = σ(value + ...) is close to 1 at the start: the cell state keeps what is
    written into it, and the error flowing back along the cell is barely damped (Gers et al.,
    2000; Jozefowicz et al., 2015 recommend a positive forget bias).
    """
    if not isinstance(lstm, torch.nn.LSTM):
        raise TypeError(f"{public_name()}: expected a torch.nn.LSTM; got "
                        f"{type(lstm).__name__}.")
    value = real_in_range(value, "value")
    H = lstm.hidden_size
    with torch.no_grad():
        for name, param in lstm.named_parameters():
            if name.startswith("bias_"):
                param.zero_()
                if name.startswith("bias_ih"):
                    param[H:2 * H] = value


class SequenceClassifier(torch.nn.Module):
    """Classify a sequence from the recurrent state after its last step.

    x: (N, T, D) float  ->  logits (N, n_classes). ``cell`` is 'rnn' (tanh), 'lstm' or 'gru'.
    ``forget_bias`` (LSTM only; None keeps torch's initialisation) starts the forget gates open,
    see ``set_forget_bias``.
    """

    def __init__(self, input_size: int, hidden: int, n_classes: int, cell: str = "lstm",
                 forget_bias: float | None = None):
        super().__init__()
        input_size = positive_int(input_size, "input_size")
        hidden = positive_int(hidden, "hidden")
        n_classes = positive_int(n_classes, "n_classes", minimum=2)
        self.cell = one_of(cell, CELLS, "cell")
        self.rnn = recurrent_layer(self.cell, input_size, hidden)
        if forget_bias is not None:
            if self.cell != "lstm":
                raise ValueError(f"{public_name()}: forget_bias applies to the LSTM only; got cell "
                                 f"{cell!r}.")
            set_forget_bias(self.rnn, forget_bias)
        self.head = torch.nn.Linear(hidden, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 3:
            raise ValueError(f"SequenceClassifier: x must be (N, T, D), batch first; got shape "
                             f"{tuple(x.shape)}.")
        states, _ = self.rnn(x)
        return self.head(states[:, -1])


class CharRNN(torch.nn.Module):
    """A character-level language model: embedding -> recurrent layer -> linear scores.

    ``forward(codes, state=None)`` takes codes (N, T) int64 and returns
    ``(logits (N, T, vocab_size), state)``: ``logits[:, t]`` scores the character that follows
    ``codes[:, t]``; ``state`` is the recurrent layer's final state (h, or (h, c) for the LSTM),
    to continue from when sampling.
    """

    def __init__(self, vocab_size: int, hidden: int = 128, cell: str = "lstm",
                 embedding_dim: int = 16):
        super().__init__()
        self.vocab_size = positive_int(vocab_size, "vocab_size", minimum=2)
        hidden = positive_int(hidden, "hidden")
        embedding_dim = positive_int(embedding_dim, "embedding_dim")
        self.embed = torch.nn.Embedding(self.vocab_size, embedding_dim)
        self.cell = one_of(cell, CELLS, "cell")
        self.rnn = recurrent_layer(self.cell, embedding_dim, hidden)
        self.head = torch.nn.Linear(hidden, self.vocab_size)

    def forward(self, codes: torch.Tensor, state: Any = None) -> tuple[torch.Tensor, Any]:
        if codes.dim() != 2:
            raise ValueError(f"CharRNN: codes must be (N, T) integer codes; got shape "
                             f"{tuple(codes.shape)}.")
        states, state = self.rnn(self.embed(codes), state)
        return self.head(states), state


def train_char_model(model: CharRNN, inputs: np.ndarray, targets: np.ndarray, *,
                     steps: int = 300, batch_size: int = 32, lr: float = 3e-3,
                     max_norm: float | None = 1.0, device: torch.device | str | None = None,
                     seed: int = 0) -> list[float]:
    """Train a ``CharRNN`` to predict the next character with Adam, on random mini-batches.

    inputs, targets: (M, T) int codes from ``sequence_tasks.next_char_windows``. Each step draws
    ``batch_size`` windows (a seeded generator, so a run is repeatable), computes the mean
    cross-entropy over every position of every window, and clips the gradient norm to
    ``max_norm`` before the update (None: no clipping), the usual guard against the exploding
    gradients of recurrent nets. Returns the loss of every step (nats per character).
    """
    from dlcourse.training import _resolve, as_tensor

    steps = positive_int(steps, "steps")
    batch_size = positive_int(batch_size, "batch_size")
    device = _resolve(device)
    model.to(device)
    X, Y = as_tensor(inputs, device), as_tensor(targets, device)
    if X.shape != Y.shape or X.dim() != 2:
        raise ValueError(f"{public_name()}: inputs and targets must both be (M, T) integer codes; "
                         f"got {tuple(X.shape)} and {tuple(Y.shape)}.")
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    losses = []
    model.train()
    for _ in range(steps):
        idx = torch.randint(0, len(X), (batch_size,), generator=generator).to(device)
        logits, _ = model(X[idx])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, model.vocab_size),
                                                 Y[idx].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        if max_norm is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        losses.append(float(loss.detach()))
    return losses


def sample_text(model: CharRNN, prompt: np.ndarray, length: int, *, temperature: float = 1.0,
                seed: int = 0, device: torch.device | str | None = None) -> np.ndarray:
    """Let the model write: feed ``prompt`` (codes (P,)), then draw ``length`` characters.

    At each step the next code is drawn from softmax(logits / temperature) with a seeded
    generator on the CPU (so the text is the same on every device for the same probabilities);
    it is fed back in as the next input, with the recurrent state carried along. A low
    temperature (0.5) makes the model pick its favourite characters; 1.0 samples its real
    distribution; ``temperature=0`` always takes the most likely character (greedy).
    Returns the ``length`` new codes, int64 (the prompt is not included).
    """
    from dlcourse.training import _resolve

    length = positive_int(length, "length", minimum=0)
    temperature = real_in_range(temperature, "temperature", low=0.0)
    prompt = np.asarray(prompt, dtype=np.int64)
    if prompt.ndim != 1 or prompt.size == 0:
        raise ValueError(f"{public_name()}: prompt must be a non-empty 1-D array of codes; got "
                         f"shape {prompt.shape}.")
    device = _resolve(device)
    model.to(device)
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    out = np.empty(length, dtype=np.int64)
    with torch.no_grad():
        logits, state = model(torch.as_tensor(prompt, device=device)[None], None)
        for t in range(length):
            scores = logits[0, -1].double().cpu()
            if temperature == 0:
                code = int(scores.argmax())
            else:
                probs = torch.softmax(scores / temperature, dim=0)
                code = int(torch.multinomial(probs, 1, generator=generator))
            out[t] = code
            logits, state = model(torch.tensor([[code]], device=device), state)
    return out
