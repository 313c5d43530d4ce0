"""Sequence data for the recurrent-network chapter, all generated here: nothing is downloaded.

Two things live here:

- ``recall_task``: the long-lag memory task. A symbol is shown once, at the first step, followed
  by ``lag`` steps of distractors; at the last step the network must say which symbol it saw.
  Only a network that carries information across ``lag`` steps can beat chance, which makes the
  task a clean test of the vanishing-gradient problem (seed 000, "Recurrent Neural Network
  Problem": "a hint at the beginning ... may not be answered until the end").
- ``PROJECT_TEXT``: a short program text written for this course, for a character-level model.
  Seed 004 shows an RNN that writes C code one character at a time ("Demonstration of Program
  Generation"); this is the miniature version, in Python, small enough to learn in seconds.
  ``char_vocabulary``, ``encode_text``, ``decode_text`` and ``next_char_windows`` turn it into
  training data.

Everything is NumPy; the torch model is in ``dlcourse.nets.char_rnn``.
"""

from __future__ import annotations

import numpy as np

from dlcourse._validate import as_array, positive_int, public_name

# ----------------------------------------------------------------------------- memory task


def recall_task(n: int, lag: int, n_symbols: int = 4, *, distractors: str = "blank",
                seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The long-lag recall task: remember the symbol shown at step 0 for ``lag`` more steps.

    Each sequence has ``lag + 1`` steps. Its input at step t is a vector of ``n_symbols + 1``
    numbers: a one-hot code of a symbol in the first ``n_symbols`` entries, and in the last
    entry a marker that is 1 at step 0 only (it says "remember this one"). Step 0 shows the
    symbol to remember; steps 1..lag show distractors:

    - ``distractors="blank"``: all zeros (the network just has to hold on);
    - ``distractors="symbols"``: random one-hot symbols without the marker (it must also ignore
      what comes in after step 0).

    The target is the symbol of step 0, read from the network's state after the last step.
    Guessing gives an accuracy of 1/n_symbols.

    Returns ``X`` (n, lag + 1, n_symbols + 1) float32, batch first (``batch_first=True`` in
    torch), and ``y`` (n,) int64 in {0, ..., n_symbols − 1}.
    """
    n = positive_int(n, "n")
    lag = positive_int(lag, "lag")
    n_symbols = positive_int(n_symbols, "n_symbols", minimum=2)
    if distractors not in ("blank", "symbols"):
        raise ValueError(f"{public_name()}: distractors must be 'blank' or 'symbols'; got "
                         f"{distractors!r}.")
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, n_symbols, size=(n, lag + 1))
    X = np.zeros((n, lag + 1, n_symbols + 1), dtype=np.float32)
    steps = np.arange(lag + 1) if distractors == "symbols" else np.array([0])
    X[np.arange(n)[:, None], steps[None, :], symbols[:, steps]] = 1.0
    X[:, 0, n_symbols] = 1.0
    return X, symbols[:, 0].astype(np.int64)


# ----------------------------------------------------------------------------- text

PROJECT_TEXT = '''\
def largest(values):
    best = values[0]
    for value in values:
        if value > best:
            best = value
    return best


def smallest(values):
    best = values[0]
    for value in values:
        if value < best:
            best = value
    return best


def total(values):
    result = 0
    for value in values:
        result = result + value
    return result


def mean(values):
    return total(values) / len(values)


def count_above(values, limit):
    count = 0
    for value in values:
        if value > limit:
            count = count + 1
    return count


def count_below(values, limit):
    count = 0
    for value in values:
        if value < limit:
            count = count + 1
    return count


def second_largest(values):
    first = largest(values)
    second = smallest(values)
    for value in values:
        if value > second and value < first:
            second = value
    return second


def position_of(values, target):
    for index in range(len(values)):
        if values[index] == target:
            return index
    return -1


def reverse(values):
    result = []
    for index in range(len(values) - 1, -1, -1):
        result.append(values[index])
    return result


def only_positive(values):
    result = []
    for value in values:
        if value > 0:
            result.append(value)
    return result


def squares(values):
    result = []
    for value in values:
        result.append(value * value)
    return result


def running_total(values):
    result = []
    running = 0
    for value in values:
        running = running + value
        result.append(running)
    return result


def is_sorted(values):
    for index in range(1, len(values)):
        if values[index] < values[index - 1]:
            return False
    return True


def clip(values, low, high):
    result = []
    for value in values:
        if value < low:
            result.append(low)
        elif value > high:
            result.append(high)
        else:
            result.append(value)
    return result


def dot(left, right):
    result = 0
    for index in range(len(left)):
        result = result + left[index] * right[index]
    return result


def scale(values, factor):
    result = []
    for value in values:
        result.append(value * factor)
    return result


def spread(values):
    return largest(values) - smallest(values)


def count_equal(values, target):
    count = 0
    for value in values:
        if value == target:
            count = count + 1
    return count


def first_above(values, limit):
    for value in values:
        if value > limit:
            return value
    return None


def last_below(values, limit):
    found = None
    for value in values:
        if value < limit:
            found = value
    return found
'''
"""About 3 KB of small Python functions written for this course (the character model's data).

Repetitive on purpose: a few keywords, one indentation style and recurring names, so that a
small model learns the structure (indentation after ``:``, ``return`` at the end, matching
names) within seconds, as seed 004's code-writing RNN did on a much larger scale.
"""


def char_vocabulary(text: str) -> str:
    """The distinct characters of ``text``, sorted: character i has the integer code i."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"{public_name()}: text must be a non-empty string; got {text!r:.40}.")
    return "".join(sorted(set(text)))


def encode_text(text: str, vocabulary: str) -> np.ndarray:
    """The integer code of every character of ``text``: an int64 array of shape (len(text),)."""
    if not isinstance(text, str):
        raise TypeError(f"{public_name()}: text must be a string; got {type(text).__name__}.")
    index = {ch: i for i, ch in enumerate(vocabulary)}
    missing = sorted(set(text) - set(index))
    if missing:
        raise ValueError(f"{public_name()}: characters {''.join(missing)!r} are not in the "
                         "vocabulary; build it with char_vocabulary(text) from a text that "
                         "contains them.")
    return np.array([index[ch] for ch in text], dtype=np.int64)


def decode_text(codes: np.ndarray, vocabulary: str) -> str:
    """The inverse of ``encode_text``: codes (any shape, flattened) back to a string."""
    codes = np.asarray(codes)
    if codes.size and (codes.min() < 0 or codes.max() >= len(vocabulary)):
        raise ValueError(f"{public_name()}: codes must lie in 0..{len(vocabulary) - 1}; got values "
                         f"from {codes.min()} to {codes.max()}.")
    return "".join(vocabulary[int(c)] for c in codes.ravel())


def next_char_windows(codes: np.ndarray, seq_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Every window of ``seq_len`` characters, paired with the same window shifted by one.

    The model reads ``inputs[i, t]`` and must predict ``targets[i, t] = inputs[i, t + 1]``, the
    next character, at every step. codes: (L,) int. Returns ``(inputs, targets)``, both
    (L − seq_len, seq_len) int64: window i starts at character i.
    """
    codes = as_array(codes, "codes", ndim=1, layout="(L,)", dtype=np.int64)
    seq_len = positive_int(seq_len, "seq_len")
    if codes.shape[0] <= seq_len:
        raise ValueError(f"{public_name()}: the text has {codes.shape[0]} characters, so windows "
                         f"of seq_len = {seq_len} (plus the next character) do not fit; use a "
                         "shorter seq_len.")
    starts = np.arange(codes.shape[0] - seq_len)[:, None] + np.arange(seq_len)[None, :]
    return codes[starts], codes[starts + 1]
