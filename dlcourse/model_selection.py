"""Choosing hyperparameters honestly: K-fold cross-validation, grid search and random search.

Seed 002 ("Hyper-Parameter Selection & K-Fold Cross Validation"): hyperparameters are chosen on
validation data, never on the test set; when data is scarce, K-fold cross-validation splits it
into K folds and lets every fold serve once as the validation set. Seed 001 §3.3.2 lists the
search strategies; the two implemented here are the grid (try every combination of a few values
per hyperparameter) and random search (draw each hyperparameter independently).

Bergstra & Bengio (2012, "Random search for hyper-parameter optimization") explain why random
search usually wins for the same budget: when only a few hyperparameters matter, a grid of
m × m trials tests only m distinct values of the one that matters, while m² random trials test
m² distinct values. ``bergstra_bengio_objective`` is a small problem that shows it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from dlcourse._validate import as_array, positive_int, public_name

Params = dict[str, Any]
SearchResult = tuple[Params, float, list[tuple[Params, float]]]


# ----------------------------------------------------------------------------- K-fold


def kfold_indices(n: int, k: int, shuffle: bool = False, seed: int | None = None,
                  ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split the example indices 0..n−1 into ``k`` folds; each fold is the validation set once.

    The folds are consecutive blocks of the (optionally shuffled) indices; the first n mod k
    folds hold ⌊n/k⌋ + 1 examples, the others ⌊n/k⌋. Every index is in exactly one validation
    fold, and each split's training set is everything else. Both index arrays are returned
    sorted. With ``shuffle=True`` the order is ``np.random.RandomState(seed).permutation(n)``,
    so the splits equal ``sklearn.model_selection.KFold(k, shuffle=..., random_state=seed)``
    exactly, shuffled or not.

    Returns a list of k pairs ``(train_idx, val_idx)``, int64 arrays.
    """
    n = positive_int(n, "n")
    k = positive_int(k, "k", minimum=2)
    if k > n:
        raise ValueError(f"{public_name()}: k = {k} folds need at least k examples; got n = {n}. "
                         "Use fewer folds (k = n is leave-one-out).")
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"{public_name()}: shuffle must be True or False; got {shuffle!r}.")
    order = np.random.RandomState(seed).permutation(n) if shuffle else np.arange(n)
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    splits = []
    for start, stop in itertools.pairwise(bounds):
        in_val = np.zeros(n, dtype=bool)
        in_val[order[start:stop]] = True
        splits.append((np.flatnonzero(~in_val), np.flatnonzero(in_val)))
    return splits


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Fraction of predictions equal to the labels."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{public_name()}: y_true and y_pred must have the same shape; got "
                         f"{y_true.shape} and {y_pred.shape}.")
    return float(np.mean(y_true == y_pred))


def cross_val_score(fit_predict: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
                    X: np.ndarray, y: np.ndarray, k: int = 5, shuffle: bool = False,
                    seed: int | None = None,
                    score: Callable[[np.ndarray, np.ndarray], float] = accuracy,
                    ) -> np.ndarray:
    """K-fold cross-validation of a model given as one function.

    ``fit_predict(X_train, y_train, X_val)`` trains a fresh model on the training folds and
    returns its predictions for ``X_val``; ``score(y_val, predictions)`` rates them (accuracy by
    default). The folds are ``kfold_indices(len(X), k, shuffle, seed)``.
    X: (n, ...), y: (n,). Returns the k scores, shape (k,); report their mean (and spread).
    """
    if not callable(fit_predict):
        raise TypeError(f"{public_name()}: fit_predict must be a function (X_train, y_train, "
                        f"X_val) -> predictions; got {type(fit_predict).__name__}.")
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim != 1 or X.shape[0] != y.shape[0]:
        raise ValueError(f"{public_name()}: X (n, ...) and y (n,) must have one row per example; "
                         f"got X {X.shape} and y {y.shape}.")
    scores = []
    for train, val in kfold_indices(len(y), k, shuffle, seed):
        pred = np.asarray(fit_predict(X[train], y[train], X[val]))
        scores.append(float(score(y[val], pred)))
    return np.array(scores)


# ----------------------------------------------------------------------------- search


def _check_objective(objective: Any) -> None:
    if not callable(objective):
        raise TypeError(f"{public_name()}: objective must be a function that takes the "
                        f"hyperparameters as keyword arguments and returns a score; got "
                        f"{type(objective).__name__}.")


def _run(objective: Callable[..., float], trials: list[Params], maximize: bool,
         ) -> SearchResult:
    results = [(params, float(objective(**params))) for params in trials]
    scores = np.array([s for _, s in results])
    if np.all(np.isnan(scores)):
        raise ValueError("search: every trial returned NaN; check the objective.")
    best = int(np.nanargmax(scores) if maximize else np.nanargmin(scores))  # first of any ties
    return dict(results[best][0]), results[best][1], results


def grid_search(objective: Callable[..., float], grid: Mapping[str, Sequence[Any]],
                maximize: bool = False) -> SearchResult:
    """Try every combination of the listed values (seed 001 §3.3.2, "Grid Search").

    ``grid`` maps each hyperparameter name to its candidate values; ``objective(**params)``
    returns a score, minimized by default (a validation loss) or maximized with
    ``maximize=True`` (an accuracy). Combinations are tried in ``itertools.product`` order over
    the keys as given (the last key changes fastest): ∏ len(values) trials in all.

    Returns ``(best_params, best_score, results)``, ``results`` the list of (params, score) in the
    order tried; ties go to the earliest trial.
    """
    _check_objective(objective)
    if not isinstance(grid, Mapping) or not grid:
        raise TypeError(f"{public_name()}: grid must be a non-empty dict {{name: list of values}}; "
                        f"got {grid!r}.")
    for name, values in grid.items():
        if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)) \
                or len(values) == 0:
            raise ValueError(f"{public_name()}: grid[{name!r}] must be a non-empty list of values; "
                             f"got {values!r}.")
    names = list(grid)
    trials = [dict(zip(names, combo, strict=True))
              for combo in itertools.product(*(list(grid[n]) for n in names))]
    return _run(objective, trials, maximize)


def _sampler(name: str, spec: Any) -> Callable[[np.random.Generator], Any]:
    if callable(spec):
        return spec
    if isinstance(spec, tuple) and len(spec) == 3 and spec[2] in ("linear", "log"):
        low, high, scale = spec
        low = float(as_array(low, f"space[{name!r}] low", ndim=0))
        high = float(as_array(high, f"space[{name!r}] high", ndim=0))
        if not low < high:
            raise ValueError(f"{public_name()}: space[{name!r}] needs low < high; got ({low}, "
                             f"{high}).")
        if scale == "linear":
            return lambda rng: float(rng.uniform(low, high))
        if low <= 0:
            raise ValueError(f"{public_name()}: space[{name!r}] is on a log scale, so low must be "
                             f"> 0; got {low}.")
        log_low, log_high = np.log(low), np.log(high)
        return lambda rng: float(np.exp(rng.uniform(log_low, log_high)))
    if isinstance(spec, (list, np.ndarray)) and len(spec) > 0:
        options = list(spec)
        return lambda rng: options[int(rng.integers(len(options)))]
    raise ValueError(f"{public_name()}: space[{name!r}] must be (low, high, 'linear'), (low, high, "
                     "'log'), a non-empty list of choices, or a function rng -> value; got "
                     f"{spec!r}.")


def random_search(objective: Callable[..., float], space: Mapping[str, Any], n_trials: int,
                  seed: int = 0, maximize: bool = False) -> SearchResult:
    """Draw every hyperparameter independently at random, ``n_trials`` times (seed 001 §3.3.2).

    ``space`` maps each name to how it is drawn:

    - ``(low, high, 'linear')``: uniform on [low, high);
    - ``(low, high, 'log')``: log-uniform, exp(U(ln low, ln high)): the usual choice for a
      learning rate or a weight decay, whose effect depends on their order of magnitude;
    - a list: one of its elements, uniformly;
    - a function ``rng -> value`` for anything else.

    One ``np.random.default_rng(seed)`` draws trial after trial, the names in the order given.
    Scores as in ``grid_search`` (minimized unless ``maximize=True``).
    Returns ``(best_params, best_score, results)``.
    """
    _check_objective(objective)
    if not isinstance(space, Mapping) or not space:
        raise TypeError(f"{public_name()}: space must be a non-empty dict "
                        f"{{name: how to draw it}}; got {space!r}.")
    n_trials = positive_int(n_trials, "n_trials")
    samplers = {name: _sampler(name, spec) for name, spec in space.items()}
    rng = np.random.default_rng(seed)
    trials = [{name: draw(rng) for name, draw in samplers.items()} for _ in range(n_trials)]
    return _run(objective, trials, maximize)


def bergstra_bengio_objective(important: float, unimportant: float) -> float:
    """A validation loss with one hyperparameter that matters and one that does not.

    loss = (important − 0.125)², whatever ``unimportant`` is; both live in [0, 1]. Many real
    problems look like this: a few hyperparameters (the learning rate) move the error and the
    rest barely do (Bergstra & Bengio, 2012). A 5 × 5 grid on ``np.linspace(0, 1, 5)`` spends
    its 25 trials on only 5 values of ``important`` and its best loss is 0.125² = 0.015625
    (0.125 lies midway between grid points); 25 random trials try 25 values, and beat the grid
    unless none of them lands in [0, 0.25], which happens with probability 0.75²⁵ ≈ 0.08 %.
    """
    del unimportant  # it does not matter: that is the point
    return (float(important) - 0.125) ** 2
