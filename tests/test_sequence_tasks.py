"""The recall task and the project text behind chapter 13's experiments."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.sequence_tasks import (
    PROJECT_TEXT,
    char_vocabulary,
    decode_text,
    encode_text,
    next_char_windows,
    recall_task,
)


@pytest.mark.parametrize("distractors", ["blank", "symbols"])
@pytest.mark.parametrize(("n", "lag", "k"), [(1, 1, 2), (7, 5, 4), (30, 12, 3)])
def test_recall_task_layout(distractors, n, lag, k):
    X, y = recall_task(n, lag, k, distractors=distractors, seed=n + lag)
    assert X.shape == (n, lag + 1, k + 1) and X.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64 and np.all((y >= 0) & (y < k))
    # step 0: the symbol to remember, one-hot, plus the marker
    np.testing.assert_array_equal(X[:, 0, :k], np.eye(k)[y])
    np.testing.assert_array_equal(X[:, 0, k], np.ones(n))
    # the marker appears at step 0 only
    np.testing.assert_array_equal(X[:, 1:, k], np.zeros((n, lag)))
    later = X[:, 1:, :k]
    if distractors == "blank":
        assert not later.any()
    else:  # exactly one symbol per step, never with the marker
        np.testing.assert_array_equal(later.sum(axis=2), np.ones((n, lag)))
        assert set(np.unique(later)) == {0.0, 1.0}


def test_recall_task_is_seeded_and_roughly_balanced():
    X1, y1 = recall_task(4000, 3, 4, seed=5)
    X2, y2 = recall_task(4000, 3, 4, seed=5)
    _, y3 = recall_task(4000, 3, 4, seed=6)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(y1, y3)
    assert np.all(np.abs(np.bincount(y1) / 4000 - 0.25) < 0.03)


def test_recall_task_bad_input():
    with pytest.raises(ValueError, match="distractors must be 'blank' or 'symbols'"):
        recall_task(3, 2, distractors="noise")
    with pytest.raises(ValueError, match="n_symbols must be at least 2"):
        recall_task(3, 2, 1)
    with pytest.raises(TypeError, match="lag must be an integer"):
        recall_task(3, 2.5)


def test_project_text_is_a_few_kilobytes_of_python():
    assert 2000 < len(PROJECT_TEXT) < 8000
    assert PROJECT_TEXT.isascii()
    compile(PROJECT_TEXT, "<project text>", "exec")  # it is valid Python
    assert PROJECT_TEXT.count("def ") >= 15


def test_vocabulary_encode_decode_round_trip():
    vocab = char_vocabulary(PROJECT_TEXT)
    assert list(vocab) == sorted(set(PROJECT_TEXT))
    codes = encode_text(PROJECT_TEXT, vocab)
    assert codes.dtype == np.int64 and codes.shape == (len(PROJECT_TEXT),)
    assert all(vocab[c] == ch for c, ch in zip(codes[:200], PROJECT_TEXT[:200], strict=True))
    assert decode_text(codes, vocab) == PROJECT_TEXT
    assert decode_text(codes[:6].reshape(2, 3), vocab) == PROJECT_TEXT[:6]


def test_next_char_windows_match_a_plain_loop():
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 9, size=23)
    before = codes.copy()
    for seq_len in (1, 4, 22):
        inputs, targets = next_char_windows(codes, seq_len)
        assert inputs.shape == targets.shape == (23 - seq_len, seq_len)
        for i in range(23 - seq_len):
            np.testing.assert_array_equal(inputs[i], codes[i:i + seq_len])
            np.testing.assert_array_equal(targets[i], codes[i + 1:i + seq_len + 1])
    np.testing.assert_array_equal(codes, before)


def test_text_helpers_bad_input():
    vocab = char_vocabulary("abc")
    with pytest.raises(ValueError, match=r"characters 'z' are not in the vocabulary"):
        encode_text("abz", vocab)
    with pytest.raises(ValueError, match="non-empty string"):
        char_vocabulary("")
    with pytest.raises(ValueError, match=r"codes must lie in 0\.\.2"):
        decode_text(np.array([0, 3]), vocab)
    with pytest.raises(ValueError, match="do not fit; use a shorter seq_len"):
        next_char_windows(np.arange(5), 5)
    with pytest.raises(ValueError, match="must be a 1-D array"):
        next_char_windows(np.zeros((2, 3)), 1)
