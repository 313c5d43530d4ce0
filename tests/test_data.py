"""The data generators: shapes, dtypes, determinism, the promised properties, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse import data


@pytest.mark.parametrize(("gate", "table"), [("AND", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]),
                                             ("NAND", [1, 1, 1, 0]), ("NOR", [1, 0, 0, 0]),
                                             ("xor", [0, 1, 1, 0])])
def test_logic_gates(gate, table):
    X, y = data.logic_gate(gate)
    assert X.shape == (4, 2) and X.dtype == np.float64 and y.dtype == np.int64
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.tolist() == table


GENERATORS = [data.make_separable, data.make_blobs, data.make_circles, data.make_xor,
              data.make_spirals]


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_are_seeded_and_typed(make):
    X1, y1 = make(50, seed=3)
    X2, y2 = make(50, seed=3)
    X3, _ = make(50, seed=4)
    assert X1.shape == (50, 2) and y1.shape == (50,)
    assert X1.dtype == np.float64 and y1.dtype == np.int64
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert len(np.unique(y1)) >= 2


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n", [0, -5, 2.5, "10"])
def test_generators_reject_bad_sizes(make, n):
    with pytest.raises((ValueError, TypeError), match="n must be"):
        make(n)


@pytest.mark.parametrize("seed", range(5))
def test_make_separable_has_the_promised_margin(seed):
    from sklearn.svm import SVC

    X, y = data.make_separable(200, margin=0.1, seed=seed)
    svm = SVC(kernel="linear", C=1e6).fit(X, y)
    assert svm.score(X, y) == 1.0
    margin = 1 / np.linalg.norm(svm.coef_)
    assert margin >= 0.1 - 1e-6


def test_make_spirals_has_one_class_per_arm_with_equal_counts():
    X, y = data.make_spirals(301, arms=3, noise=0.0)
    assert np.bincount(y).tolist() == [101, 100, 100]
    assert np.all(np.linalg.norm(X, axis=1) <= 1.0 + 1e-12)


def test_make_circles_radii():
    X, y = data.make_circles(200, noise=0.0, factor=0.3)
    r = np.linalg.norm(X, axis=1)
    assert np.allclose(r[y == 1], 0.3) and np.allclose(r[y == 0], 1.0)


def test_make_toy_by_name_and_errors():
    for name in data.TOY_DATASETS:
        X, y = data.make_toy(name, 40, seed=1)
        assert X.shape == (40, 2) and y.shape == (40,)
    with pytest.raises(ValueError, match="unknown data set 'moons'"):
        data.make_toy("moons")
    with pytest.raises(ValueError, match="unknown gate"):
        data.logic_gate("XNOR")
    with pytest.raises(ValueError, match="noise must be"):
        data.make_xor(10, noise=-1.0)


def test_digits_split_is_fixed_stratified_and_read_only():
    split = data.load_digits_split()
    sizes = (len(split.y_train), len(split.y_val), len(split.y_test))
    assert sizes == (1169, 269, 359) and sum(sizes) == 1797
    assert split.X_train.shape == (1169, 64) and split.X_train.dtype == np.float64
    assert split.X_train.min() >= 0.0 and split.X_train.max() <= 1.0
    for part in (split.y_train, split.y_val, split.y_test):
        counts = np.bincount(part, minlength=10)
        assert counts.min() > 0.8 * counts.max()
    from sklearn.datasets import load_digits

    rows = 16 * np.concatenate([split.X_train, split.X_val, split.X_test])
    full = load_digits().data
    assert np.array_equal(rows[np.lexsort(rows.T)], full[np.lexsort(full.T)])  # a partition
    with pytest.raises(ValueError, match="read-only"):
        split.X_train[0, 0] = 1.0
    assert split.images(split.X_test).shape == (359, 8, 8)
    assert data.load_digits_split() is split  # cached


def test_digits_split_rejects_bad_fractions():
    with pytest.raises(ValueError, match="test_fraction"):
        data.load_digits_split(test_fraction=0.0)
    with pytest.raises(ValueError, match="val_fraction"):
        data.load_digits_split(val_fraction=0.9)
