"""K-fold splits against scikit-learn's KFold, cross-validation against cross_val_score, and
grid vs random search on a problem where one hyperparameter does not matter."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from sklearn.model_selection import KFold
from sklearn.model_selection import cross_val_score as sk_cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from dlcourse.data import load_digits_split
from dlcourse.model_selection import (
    accuracy,
    bergstra_bengio_objective,
    cross_val_score,
    grid_search,
    kfold_indices,
    random_search,
)

SIZES = [(10, 2), (10, 3), (17, 5), (5, 5), (101, 10), (7, 4)]


@pytest.mark.parametrize(("n", "k"), SIZES)
def test_kfold_matches_sklearn_without_shuffle(n, k):
    ours = kfold_indices(n, k)
    ref = list(KFold(n_splits=k).split(np.zeros(n)))
    assert len(ours) == k
    for (tr, va), (rtr, rva) in zip(ours, ref, strict=True):
        np.testing.assert_array_equal(tr, rtr)
        np.testing.assert_array_equal(va, rva)


@pytest.mark.parametrize(("n", "k"), SIZES)
@pytest.mark.parametrize("seed", [0, 1, 42])
def test_kfold_shuffled_is_a_partition_and_matches_sklearn(n, k, seed):
    ours = kfold_indices(n, k, shuffle=True, seed=seed)
    vals = np.concatenate([va for _, va in ours])
    np.testing.assert_array_equal(np.sort(vals), np.arange(n))     # each index validated once
    for tr, va in ours:
        np.testing.assert_array_equal(np.sort(np.concatenate([tr, va])), np.arange(n))
        assert len(np.intersect1d(tr, va)) == 0
        assert len(va) in (n // k, n // k + 1)
    ref = list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n)))
    for (tr, va), (rtr, rva) in zip(ours, ref, strict=True):
        np.testing.assert_array_equal(tr, rtr)
        np.testing.assert_array_equal(va, rva)
    if n > k:  # shuffling changes the folds
        assert any(not np.array_equal(va, rva)
                   for (_, va), (_, rva) in zip(ours, kfold_indices(n, k), strict=True))


def test_cross_val_score_matches_sklearn_on_digits():
    split = load_digits_split()
    X, y = split.X_train[:400], split.y_train[:400]

    def fit_predict(X_tr, y_tr, X_va):
        return KNeighborsClassifier(n_neighbors=3).fit(X_tr, y_tr).predict(X_va)

    X0 = X.copy()
    ours = cross_val_score(fit_predict, X, y, k=5)
    np.testing.assert_array_equal(X, X0)
    ref = sk_cross_val_score(KNeighborsClassifier(n_neighbors=3), X, y, cv=KFold(5))
    np.testing.assert_allclose(ours, ref, rtol=1e-15)
    shuffled = cross_val_score(fit_predict, X, y, k=4, shuffle=True, seed=3)
    ref = sk_cross_val_score(KNeighborsClassifier(n_neighbors=3), X, y,
                             cv=KFold(4, shuffle=True, random_state=3))
    np.testing.assert_allclose(shuffled, ref, rtol=1e-15)
    assert accuracy([1, 2, 3, 4], [1, 2, 0, 4]) == 0.75


def test_grid_search_tries_every_combination_in_order():
    calls = []

    def loss(a, b, c):
        return (a - 2) ** 2 + (b - 0.5) ** 2 + (0 if c == "x" else 1)

    def objective(a, b, c):
        calls.append((a, b, c))
        return loss(a, b, c)

    grid = {"a": [0, 1, 2, 3], "b": [0.0, 0.5], "c": ["x", "y"]}
    best, score, results = grid_search(objective, grid)
    assert calls == list(itertools.product(*grid.values()))
    assert best == {"a": 2, "b": 0.5, "c": "x"}
    assert score == 0.0
    assert [tuple(p.values()) for p, _ in results] == calls
    assert [s for _, s in results] == [loss(*c) for c in calls[:16]]
    best_max, score_max, _ = grid_search(objective, grid, maximize=True)
    assert score_max == max(s for _, s in results)
    assert best_max == {"a": 0, "b": 0.0, "c": "y"}


def test_grid_search_ties_go_to_the_first_trial():
    best, _, _ = grid_search(lambda a: 1.0, {"a": [3, 1, 2]})
    assert best == {"a": 3}


def test_random_search_draws_from_the_space_reproducibly():
    space = {"lr": (1e-4, 1e-1, "log"), "p": (0.0, 0.5, "linear"), "act": ["relu", "tanh"],
             "width": lambda rng: int(rng.integers(8, 65))}
    best, score, results = random_search(lambda lr, p, act, width: lr, space, 400, seed=3)
    assert len(results) == 400
    lrs = np.array([r["lr"] for r, _ in results])
    ps = np.array([r["p"] for r, _ in results])
    assert lrs.min() >= 1e-4 and lrs.max() <= 1e-1
    # log-uniform: about a third of the draws in each decade
    decade_share = np.histogram(np.log10(lrs), bins=[-4, -3, -2, -1])[0] / 400
    np.testing.assert_allclose(decade_share, 1 / 3, atol=0.08)
    assert ps.min() >= 0 and ps.max() <= 0.5 and abs(ps.mean() - 0.25) < 0.03
    assert {r["act"] for r, _ in results} == {"relu", "tanh"}
    assert all(8 <= r["width"] <= 64 for r, _ in results)
    assert score == lrs.min() and best["lr"] == lrs.min()
    again = random_search(lambda lr, p, act, width: lr, space, 400, seed=3)
    assert again[2] == results
    other = random_search(lambda lr, p, act, width: lr, space, 400, seed=4)
    assert other[2] != results


def test_random_search_first_draws_follow_the_documented_protocol():
    rng = np.random.default_rng(11)
    expected = []
    for _ in range(3):
        a = rng.uniform(2.0, 5.0)
        b = np.exp(rng.uniform(np.log(1e-3), np.log(1.0)))
        expected.append((a, b))
    _, _, results = random_search(lambda a, b: a + b,
                                  {"a": (2.0, 5.0, "linear"), "b": (1e-3, 1.0, "log")}, 3, 11)
    np.testing.assert_allclose([(p["a"], p["b"]) for p, _ in results], expected, rtol=1e-15)


def test_random_search_beats_grid_when_one_hyperparameter_does_not_matter():
    axis = np.linspace(0, 1, 5)
    _, grid_best, grid_results = grid_search(
        bergstra_bengio_objective, {"important": axis, "unimportant": axis})
    assert len(grid_results) == 25
    assert grid_best == pytest.approx(0.125 ** 2)
    space = {"important": (0.0, 1.0, "linear"), "unimportant": (0.0, 1.0, "linear")}
    margins = []
    for seed in range(50):
        _, rand_best, rand_results = random_search(bergstra_bengio_objective, space, 25, seed)
        assert len(rand_results) == 25
        assert rand_best <= grid_best
        margins.append(grid_best - rand_best)
        # the grid tests 5 distinct values of the important hyperparameter, random search 25
        assert len({p["important"] for p, _ in rand_results}) == 25
    assert np.median(margins) > 0.5 * grid_best
    assert bergstra_bengio_objective(0.3, 0.0) == bergstra_bengio_objective(0.3, 0.9)


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="k must be at least 2"):
        kfold_indices(10, 1)
    with pytest.raises(ValueError, match="k = 11 folds need at least k examples"):
        kfold_indices(10, 11)
    with pytest.raises(TypeError, match="n must be an integer"):
        kfold_indices(10.0, 2)
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        kfold_indices(10, 2, shuffle="yes")
    with pytest.raises(TypeError, match="objective must be a function"):
        grid_search(3, {"a": [1]})
    with pytest.raises(ValueError, match=r"grid\['a'\] must be a non-empty list"):
        grid_search(lambda a: a, {"a": []})
    with pytest.raises(TypeError, match="grid must be a non-empty dict"):
        grid_search(lambda a: a, [("a", [1])])
    with pytest.raises(ValueError, match="log scale, so low must be > 0"):
        random_search(lambda a: a, {"a": (0.0, 1.0, "log")}, 5)
    with pytest.raises(ValueError, match="needs low < high"):
        random_search(lambda a: a, {"a": (1.0, 1.0, "linear")}, 5)
    with pytest.raises(ValueError, match=r"must be \(low, high, 'linear'\)"):
        random_search(lambda a: a, {"a": (0.0, 1.0, "cubic")}, 5)
    with pytest.raises(ValueError, match="n_trials must be at least 1"):
        random_search(lambda a: a, {"a": [1, 2]}, 0)
    with pytest.raises(ValueError, match="every trial returned NaN"):
        grid_search(lambda a: float("nan"), {"a": [1, 2]})
    with pytest.raises(ValueError, match="one row per example"):
        cross_val_score(lambda a, b, c: c, np.ones((5, 2)), np.ones(4), k=2)
    with pytest.raises(TypeError, match="fit_predict must be a function"):
        cross_val_score(None, np.ones((5, 2)), np.ones(5), k=2)
