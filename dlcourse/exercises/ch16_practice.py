"""Exercises of chapter 16, common problems in practice: imbalance, vanishing gradients,
choosing hyperparameters honestly, and saving a model.

The resampling and search exercises are random by nature, so their checks test properties, not
values: the right class counts, rows taken from the right class, synthetic points on the right
segments, every grid point tried once, draws inside their ranges, the same result for the same
seed and a different one for another seed.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from dlcourse import checkpoint, imbalance, layer_gradients, model_selection
from dlcourse.checking import Case, Exercise, Verdict, close
from dlcourse.checking.compare import compare_values
from dlcourse.checking.drivers import refuse_changes
from dlcourse.nets import residual

CHAPTER = "16"
NOTEBOOK = "16_practice.ipynb"


# ---------------------------------------------------------------- resampling: shared parts


def resample_with_seeds(impls, args, kwargs):
    """Call the student's resampler with the case's seed twice and with seeds + 1 ... + 4.

    The case's last positional argument is the seed; ``counts`` arrives as a list of
    [label, rows] pairs (plain data) and is handed over as a dict, as the exercise asks.
    Changing X or y in place fails."""
    *rest, seed = args
    kw = dict(kwargs)
    if "counts" in kw:
        kw["counts"] = {int(label): int(rows) for label, rows in kw["counts"]}
    import copy

    kept = copy.deepcopy(rest)

    def run(s):
        result = impls[0](*rest, s, **kw)
        refuse_changes(impls[0], rest, kept, example="X[order], not X[:] = ...")
        return tuple(result)

    first = run(seed)
    again = run(seed)
    # several other seeds: one of them may draw the same rows by chance, not all of them
    others = [run(seed + i) for i in range(1, 5)]
    return {"first": first, "again": again, "other": others}


def _imbalanced(rng: np.random.Generator, sizes: list[int], D: int = 2, spread: float = 1.0,
                ) -> tuple[np.ndarray, np.ndarray]:
    """Overlapping Gaussian classes of the given sizes, rows in random order."""
    y = np.repeat(np.arange(len(sizes)), sizes)
    centers = rng.normal(scale=spread, size=(len(sizes), D))
    X = centers[y] + rng.normal(size=(len(y), D))
    order = rng.permutation(len(y))
    return X[order], y[order].astype(np.int64)


def _resampled(got: Any) -> tuple[Verdict | None, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Unpack the driver's result, or a verdict saying what is malformed."""
    if not isinstance(got, dict) or set(got) != {"first", "again", "other"}:
        return Verdict(False, "the driver did not get a result back"), {}
    out: dict = {}
    for key, value in got.items():
        pairs = value if key == "other" else [value]
        checked = []
        for pair in pairs:
            if not (isinstance(pair, tuple) and len(pair) == 2
                    and all(isinstance(v, np.ndarray) for v in pair)):
                return Verdict(False, "expected a pair (X_res, y_res) of arrays",
                               "return X_res, y_res"), {}
            X_res, y_res = pair
            if X_res.ndim != 2 or y_res.shape != (X_res.shape[0],):
                return Verdict(False, f"X_res has shape {X_res.shape} and y_res {y_res.shape}; "
                                      "expected (m, D) and (m,)"), {}
            checked.append((X_res.astype(np.float64), y_res))
        out[key] = checked if key == "other" else checked[0]
    return None, out


def _counts(y: np.ndarray) -> dict[int, int]:
    labels, counts = np.unique(y, return_counts=True)
    return {int(a): int(b) for a, b in zip(labels, counts, strict=True)}


def _common_checks(expected: Any, runs: dict, randomised: bool = True) -> Verdict | None:
    X_res, y_res = runs["first"]
    want = _counts(expected["first"][1])
    have = _counts(y_res)
    if have != want:
        return Verdict(False, f"class counts {have}, expected {want}",
                       "without counts, balance the classes; with counts, give each named "
                       "class exactly that many rows and leave the others as they are.")
    if X_res.shape[1] != expected["first"][0].shape[1]:
        return Verdict(False, f"X_res has {X_res.shape[1]} columns, expected "
                              f"{expected['first'][0].shape[1]}")
    again = runs["again"]
    if not (np.array_equal(again[0], X_res) and np.array_equal(again[1], y_res)):
        return Verdict(False, "the same seed gave two different results",
                       "draw from np.random.default_rng(seed), not from an unseeded generator.")
    if randomised and all(np.array_equal(X_o, X_res) and np.array_equal(y_o, y_res)
                          for X_o, y_o in runs["other"]):
        return Verdict(False, "four other seeds gave exactly the same result",
                       "the choice must be random: draw it with np.random.default_rng(seed).")
    return None


def _row_index(X: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For every row of ``rows``, the index of the equal row of ``X`` (−1 if none)."""
    equal = np.all(np.isclose(rows[:, None, :], X[None, :, :], rtol=0, atol=1e-12), axis=2)
    return np.where(equal.any(axis=1), equal.argmax(axis=1), -1)


# ---------------------------------------------------------------- undersampling


def _under_compare(expected: Any, got: Any, case: Case) -> Verdict:
    X, y, _seed = case.args
    problem, runs = _resampled(got)
    if problem:
        return problem
    problem = _common_checks(expected, runs, randomised=case.secret != "deterministic")
    if problem:
        return problem
    X_res, y_res = runs["first"]
    idx = _row_index(X, X_res)
    if np.any(idx < 0):
        return Verdict(False, f"{int(np.sum(idx < 0))} rows of X_res are not rows of X",
                       "undersampling only keeps rows; it never changes them.")
    if np.any(y[idx] != y_res):
        return Verdict(False, "some kept rows carry another label than in the data",
                       "keep each row together with its own label: X[keep], y[keep].")
    if len(np.unique(idx)) != len(idx):
        return Verdict(False, "some rows were kept twice",
                       "pick without replacement: rng.choice(rows, size, replace=False).")
    return Verdict(True)


def _under_cases() -> list[Case]:
    rng = np.random.default_rng(160)
    X, y = _imbalanced(rng, [30, 12, 6])
    return [
        Case((X, y, 0), label="30/12/6 rows, balanced: every class cut to 6"),
        Case((X, y, 4), {"counts": [[0, 25], [1, 10]]},
             label="counts {0: 25, 1: 10}: class 2 keeps its 6"),
        Case((X, y, 1), {"counts": [[0, 30], [1, 12], [2, 6]]}, secret="deterministic",
             label="counts equal to the class sizes: everything is kept"),
    ]


def _under_random(rng: np.random.Generator) -> Case:
    sizes = [int(s) for s in rng.integers(4, 30, size=int(rng.integers(2, 4)))]
    sizes[0] = max(sizes) + 5
    X, y = _imbalanced(rng, sizes, D=int(rng.integers(1, 4)))
    return Case((X, y, int(rng.integers(0, 1000))), {"counts": [[0, sizes[0] - 3]]})


# ---------------------------------------------------------------- oversampling


def _over_compare(expected: Any, got: Any, case: Case) -> Verdict:
    X, y, _seed = case.args
    problem, runs = _resampled(got)
    if problem:
        return problem
    problem = _common_checks(expected, runs, randomised=case.secret != "deterministic")
    if problem:
        return problem
    X_res, y_res = runs["first"]
    n = len(y)
    if not (np.array_equal(X_res[:n], X) and np.array_equal(y_res[:n], y)):
        return Verdict(False, "the first n rows of the result are not the original data",
                       "put the original X, y first, unchanged, then the added copies.")
    idx = _row_index(X, X_res[n:])
    if np.any(idx < 0):
        return Verdict(False, f"{int(np.sum(idx < 0))} added rows are not copies of rows of X",
                       "random oversampling repeats existing rows; it does not invent new ones.")
    if np.any(y[idx] != y_res[n:]):
        return Verdict(False, "some added rows are copies of rows of another class",
                       "copy rows of the class you are growing: rng.choice among its own rows.")
    return Verdict(True)


def _over_cases() -> list[Case]:
    rng = np.random.default_rng(161)
    X, y = _imbalanced(rng, [25, 8, 4])
    return [
        Case((X, y, 0), label="25/8/4 rows, balanced: every class filled up to 25"),
        Case((X, y, 2), {"counts": [[2, 10]]}, label="counts {2: 10}: only class 2 grows"),
    ]


def _over_random(rng: np.random.Generator) -> Case:
    sizes = [int(s) for s in rng.integers(3, 20, size=int(rng.integers(2, 4)))]
    sizes[0] = max(sizes) + 5  # every other class draws at least 5 rows: many possible draws
    X, y = _imbalanced(rng, sizes, D=int(rng.integers(1, 4)))
    return Case((X, y, int(rng.integers(0, 1000))))


# ---------------------------------------------------------------- SMOTE


def _smote_rows(X: np.ndarray, y: np.ndarray, k: int, X_res: np.ndarray, y_res: np.ndarray,
                ) -> dict[str, np.ndarray]:
    """Where each synthetic row of a SMOTE result lies, one entry per row of ``X_res[n:]``.

    ``found``: on a segment from a row x to one of its k nearest same-class neighbours;
    ``inside``: strictly between the two end points; ``u``: the position along the segment,
    folded to min(u, 1 − u) (a segment may be found from either end); ``far``: found only on
    segments to a neighbour other than the nearest one; ``p_far``: how likely ``far`` is for
    a row drawn the SMOTE way (a partner of rank ≥ 1 whose own nearest neighbour is not x);
    ``cls``: the row's class; ``u_one_way``: the position u itself, unfolded, for a row found
    on one segment only, from a row to a neighbour that does not have that row among its own
    k nearest (so the segment has one direction), NaN for the other rows.
    """
    n = len(y)
    keys = ("found", "inside", "u", "far", "p_far", "cls", "u_one_way")
    out: dict[str, list] = {key: [] for key in keys}
    for c in np.unique(y_res[n:]):
        members = X[y == c]
        new = X_res[n:][y_res[n:] == c]
        if len(members) < k + 1:
            out["found"].append(np.zeros(len(new), bool))
            for key in keys[1:]:
                out[key].append(np.zeros(len(new)))
            continue
        nn = imbalance.k_nearest_neighbours(members, k)            # (m, k)
        base = members[:, None, :]                                  # (m, 1, D)
        d = members[nn] - base                                      # (m, k, D)
        # For every new row p and every segment base → neighbour: the position u along it
        # and the distance of p from the segment's line.
        diff = new[:, None, None, :] - base[None]                   # (q, m, 1, D)
        dd = np.maximum(np.sum(d * d, axis=-1), 1e-300)             # (m, k)
        u = np.sum(diff * d[None], axis=-1) / dd[None]              # (q, m, k)
        off = np.linalg.norm(diff - u[..., None] * d[None], axis=-1)
        scale = 1e-9 * (1.0 + np.abs(members).max())
        on = (off <= scale) & (u >= -1e-9) & (u <= 1 + 1e-9)
        flat = on.reshape(len(new), -1)
        first_u = u.reshape(len(new), -1)[np.arange(len(new)), np.argmax(flat, axis=1)]
        mutual = nn[nn[:, 1:], 0] == np.arange(len(members))[:, None]   # (m, k − 1)
        # segment i → nn[i, r] is one-way when i is not among nn[i, r]'s own k neighbours
        one_way = ~(nn[nn] == np.arange(len(members))[:, None, None]).any(axis=2)  # (m, k)
        single = flat.sum(axis=1) == 1
        first_one_way = one_way.reshape(-1)[np.argmax(flat, axis=1)]
        out["u_one_way"].append(np.where(single & first_one_way, first_u, np.nan))
        out["found"].append(flat.any(axis=1))
        out["inside"].append((on & (u > 1e-6) & (u < 1 - 1e-6)).any(axis=(1, 2)))
        out["u"].append(np.minimum(first_u, 1.0 - first_u))
        out["far"].append(on[:, :, 1:].any(axis=(1, 2)) & ~on[:, :, 0].any(axis=1))
        out["p_far"].append(np.full(len(new), float(np.sum(~mutual)) / (len(members) * k)))
        out["cls"].append(np.full(len(new), c))
    return {key: np.concatenate(v) if v else np.zeros(0) for key, v in out.items()}


def _ks_uniform(values: np.ndarray, high: float) -> float:
    """The Kolmogorov–Smirnov distance of ``values`` from the uniform law on [0, high]."""
    x = np.sort(values) / high
    m = len(x)
    return float(max(np.max(np.arange(1, m + 1) / m - x), np.max(x - np.arange(m) / m)))


def _smote_compare(expected: Any, got: Any, case: Case) -> Verdict:
    X, y, k, _seed = case.args
    problem, runs = _resampled(got)
    if problem:
        return problem
    problem = _common_checks(expected, runs)
    if problem:
        return problem
    X_res, y_res = runs["first"]
    n = len(y)
    if not (np.array_equal(X_res[:n], X) and np.array_equal(y_res[:n], y)):
        return Verdict(False, "the first n rows of the result are not the original data",
                       "put the original X, y first, unchanged, then the synthetic rows.")
    rows = _smote_rows(X, y, k, X_res, y_res)
    if not rows["found"].all():
        bad = int(np.flatnonzero(~rows["found"])[0])
        c = int(y_res[n + bad])
        return Verdict(False, f"a synthetic row of class {c} (row {n + bad} of the result) "
                              f"is not on a segment between a class-{c} row and one of its "
                              f"k = {k} nearest class-{c} neighbours",
                       "x_new = x + u·(x_nn − x) with u in [0, 1] and x_nn among the k "
                       "nearest neighbours of x within its own class (x itself excluded).")
    total, interior = len(rows["found"]), int(rows["inside"].sum())
    if total and interior < 0.8 * total:
        return Verdict(False, f"only {interior} of {total} synthetic rows lie strictly between "
                              "their two end points; the others are copies of existing rows",
                       "draw u uniformly in [0, 1) for every new row, and never use a row as "
                       "its own neighbour.")
    distinct = len(np.unique(np.round(rows["u"], 9)))
    if total >= 3 and distinct <= total / 2:
        return Verdict(False, f"the {total} synthetic rows sit at only {distinct} different "
                              "positions u along their segments",
                       "draw a fresh u for every new row: u = rng.random((n_new, 1)), not one "
                       "u = rng.random() for all of them.")
    # The other seeds' results add rows to the two statistical checks below.
    pooled = [rows]
    for X_o, y_o in runs["other"]:
        if len(y_o) == len(y_res) and np.array_equal(X_o[:n], X):
            other = _smote_rows(X, y, k, X_o, y_o)
            pooled.append({key: v[other["found"]] for key, v in other.items()})
    u = np.concatenate([r["u"] for r in pooled])
    # u ~ U(0, 1) makes min(u, 1 − u) ~ U(0, 1/2); a KS distance of 3.3/√Q or more happens by
    # chance less than once in 10^9 cases
    if len(u) >= 10 and _ks_uniform(u, 0.5) * np.sqrt(len(u)) > 3.3:
        return Verdict(False, f"over {len(u)} synthetic rows (this seed and four others), the "
                              "positions u along the segments are not spread uniformly over "
                              "[0, 1]",
                       "u = rng.random((n_new, 1)): uniform on [0, 1), one per new row.")
    # folding hides a u that covers only half of [0, 1] (or favours one end); on a one-way
    # segment the direction is known, so u itself must be uniform on [0, 1]
    one_way = np.concatenate([r["u_one_way"] for r in pooled])
    one_way = one_way[~np.isnan(one_way)]
    if len(one_way) >= 10 and _ks_uniform(one_way, 1.0) * np.sqrt(len(one_way)) > 3.3:
        return Verdict(False, f"over {len(one_way)} synthetic rows whose segment has a known "
                              "direction (from x to a neighbour that does not count x among "
                              "its own), the positions u are not spread uniformly over [0, 1]",
                       "x_new = x + u·(x_nn − x) with u = rng.random((n_new, 1)), uniform on "
                       "[0, 1): the new row may land anywhere between x and x_nn.")
    far = np.concatenate([r["far"] for r in pooled])
    p_far = np.concatenate([r["p_far"] for r in pooled])
    # SMOTE picks one of the k neighbours at random, so many rows use one other than the
    # nearest; test only when a right answer has less than a 1e-9 chance of using none
    if k >= 2 and not far.any() and np.sum(np.log1p(-np.minimum(p_far, 1 - 1e-12))) < -20.7:
        return Verdict(False, f"all {len(far)} synthetic rows (this seed and four others) lie "
                              "between a row and its *nearest* neighbour",
                       f"pick the partner at random among the k = {k} nearest neighbours: "
                       "nn[base, rng.integers(0, k, n_new)], not always nn[base, 0].")
    return Verdict(True)


def _smote_cases() -> list[Case]:
    rng = np.random.default_rng(162)
    X, y = _imbalanced(rng, [40, 12], spread=0.8)
    X3, y3 = _imbalanced(rng, [30, 10, 7], D=3, spread=0.8)
    return [
        Case((X, y, 5, 0), label="40/12 rows, k = 5: 28 synthetic rows of class 1"),
        Case((X3, y3, 3, 1), {"counts": [[1, 20], [2, 15]]},
             label="3 features, k = 3, counts {1: 20, 2: 15}"),
    ]


def _smote_random(rng: np.random.Generator) -> Case:
    big = int(rng.integers(15, 40))
    small = int(rng.integers(6, 12))
    X, y = _imbalanced(rng, [big, small], D=int(rng.integers(2, 4)), spread=0.8)
    return Case((X, y, int(rng.integers(1, 5)), int(rng.integers(0, 1000))))


# ---------------------------------------------------------------- per-layer gradient norms


def _chain(ws: list[float]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    return [np.array([[w]]) for w in ws], [np.zeros(1) for _ in ws]


def _grad_norm_cases() -> list[Case]:
    rng = np.random.default_rng(163)
    weights, biases = layer_gradients.deep_net_params(6, 8, 5, 3, init_scheme="xavier", seed=1)
    x = rng.normal(size=(4, 5))
    chain_w, chain_b = _chain([0.9, 0.8, 0.7, 0.6])
    return [
        Case((np.array([[1.0]]), chain_w, chain_b, "sigmoid", np.array([[1.0]])),
             label="seed 000's chain of single sigmoid units, x = 1, dC/dy = 1"),
        Case((x, weights, biases, "sigmoid", rng.normal(size=(4, 3))),
             label="6 sigmoid layers of 8 units"),
        Case((x, *layer_gradients.deep_net_params(6, 8, 5, 3, seed=2), "relu",
              rng.normal(size=(4, 3))), label="6 ReLU layers of 8 units, He initialisation"),
    ]


def _grad_norm_random(rng: np.random.Generator) -> Case:
    act = str(rng.choice(["sigmoid", "tanh", "relu"]))
    depth = int(rng.integers(2, 6))
    n_in, n_out = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    weights, biases = layer_gradients.deep_net_params(
        depth, int(rng.integers(2, 7)), n_in, n_out,
        init_scheme="he" if act == "relu" else "xavier", seed=int(rng.integers(0, 10_000)))
    biases = [rng.normal(scale=0.3, size=b.shape) for b in biases]
    N = int(rng.integers(1, 6))
    return Case((rng.normal(size=(N, n_in)), weights, biases, act, rng.normal(size=(N, n_out))))


def _grad_norm_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, np.ndarray) or got.shape != expected.shape:
        return "return one norm per layer: an array of shape (L,), first layer first."
    if np.allclose(got, expected[::-1]):
        return "the norms are in reverse order: index 0 is the first layer (next to the input)."
    if np.isclose(got[-1], expected[-1]) and not np.allclose(got, expected):
        return ("the last layer is right; going down, multiply the error by f'(z) of the layer "
                "(at its pre-activation z, not at its output) and then by Wᵀ.")
    return ("forward: keep each layer's input and pre-activation; the last layer has no "
            "activation. Backward: dW_l = h_{l−1}ᵀ δ_l, δ_{l−1} = (δ_l W_lᵀ) ⊙ f'(z_{l−1}).")


# ---------------------------------------------------------------- K-fold


def kfold_driver(impls, args, kwargs):
    """Call the student's ``kfold_indices``; with ``shuffle=True`` call it again with the same
    seed and with seeds + 1 ... + 4, so that a shuffle that ignores its seed shows."""
    folds = impls[0](*args, **kwargs)
    n, k, *rest = args
    shuffle = rest[0] if rest else kwargs.get("shuffle", False)
    if not shuffle:
        return folds
    seed = rest[1] if len(rest) > 1 else kwargs.get("seed")
    again = impls[0](n, k, True, seed)
    others = [impls[0](n, k, True, seed + i) for i in range(1, 5)]
    return {"folds": folds, "again": again, "other": others}


def _same_folds(a: Any, b: Any) -> bool:
    return (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b)
            and all(isinstance(p, (list, tuple)) and isinstance(q, (list, tuple))
                    and len(p) == len(q) == 2
                    and all(np.array_equal(np.asarray(u), np.asarray(v))
                            for u, v in zip(p, q, strict=True))
                    for p, q in zip(a, b, strict=True)))


def _n_partitions(n: int, k: int) -> float:
    """How many different ways the shuffled indices 0..n−1 can fall into the k folds."""
    sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    count = float(math.factorial(n))
    for size in sizes:
        count /= math.factorial(size)
    return count


def _kfold_compare(expected: Any, got: Any, case: Case) -> Verdict:
    n, k, *rest = case.args
    shuffle = bool(rest[0]) if rest else False
    if shuffle:
        if not isinstance(got, dict) or set(got) != {"folds", "again", "other"}:
            return Verdict(False, "the driver did not get a result back")
        runs, got = got, got["folds"]
        expected = expected["folds"]
    if not isinstance(got, (list, tuple)) or len(got) != k:
        return Verdict(False, f"expected a list of k = {k} (train, val) pairs; got "
                              f"{type(got).__name__} of length "
                              f"{len(got) if isinstance(got, (list, tuple)) else '?'}")
    for i, pair in enumerate(got):
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2
                and all(isinstance(a, np.ndarray) for a in pair)):
            return Verdict(False, f"fold {i}: expected a pair (train_idx, val_idx) of arrays")
    if not shuffle:
        return compare_values(expected, [tuple(p) for p in got], rtol=0, atol=0)
    sizes = [len(val) for _, val in got]
    want = [len(val) for _, val in expected]
    if sizes != want:
        return Verdict(False, f"validation fold sizes {sizes}, expected {want}",
                       "the first n mod k folds get one example more, like scikit-learn.")
    all_val = np.concatenate([np.asarray(val) for _, val in got])
    if not np.array_equal(np.sort(all_val), np.arange(n)):
        return Verdict(False, "the validation folds do not hold every index exactly once")
    for i, (train, val) in enumerate(got):
        if not np.array_equal(np.sort(np.asarray(train)), np.setdiff1d(np.arange(n), val)):
            return Verdict(False, f"fold {i}: the training indices are not the complement of "
                                  "the validation indices")
        if not (np.all(np.diff(train) > 0) and np.all(np.diff(val) > 0)):
            return Verdict(False, f"fold {i}: return both index arrays sorted")
    # a shuffle may leave few indices in order by chance; with n ≥ 10 that is one in n! ≥ 3.6e6
    if n >= 10 and all(np.array_equal(val, want_val) for (_, val), (_, want_val)
                       in zip(got, model_selection.kfold_indices(n, k), strict=True)):
        return Verdict(False, "shuffle=True gave the unshuffled folds",
                       "with shuffle=True, permute the indices (seeded) before cutting them.")
    if not _same_folds(runs["again"], got):
        return Verdict(False, "called twice with the same seed, it gave two different splits",
                       "make the generator from the seed: np.random.RandomState(seed)"
                       ".permutation(n), not np.random.permutation(n).")
    # another seed may give the same folds by chance; four of them, with at least 100 possible
    # splits, only once in 10^8 calls
    if _n_partitions(n, k) >= 100 and all(_same_folds(o, got) for o in runs["other"]):
        return Verdict(False, "four other seeds gave exactly the same splits: the seed is "
                              "ignored",
                       "make the generator from the seed argument: "
                       "np.random.RandomState(seed).permutation(n).")
    return Verdict(True)


def _kfold_cases() -> list[Case]:
    return [
        Case((10, 5), label="n = 10, k = 5: folds {0,1}, {2,3}, ...",
             expected=[(np.setdiff1d(np.arange(10), [2 * i, 2 * i + 1]),
                        np.array([2 * i, 2 * i + 1])) for i in range(5)]),
        Case((11, 3), label="n = 11, k = 3: folds of 4, 4 and 3 (the first n mod k get one "
                            "more)"),
        Case((7, 7), label="k = n: leave-one-out"),
        Case((20, 4, True, 0), label="shuffled, seed 0"),
    ]


def _kfold_random(rng: np.random.Generator) -> Case:
    n = int(rng.integers(2, 40))
    k = int(rng.integers(2, n + 1))
    if rng.random() < 0.3:
        return Case((n, k, True, int(rng.integers(0, 100))))
    return Case((n, k))


# ---------------------------------------------------------------- grid and random search


def search_driver(impls, args, kwargs):
    """Run the student's search on a named test objective, recording every call it makes.

    The objectives are written here because a case may only carry plain data; each takes the
    hyperparameters as keyword arguments, like the ones in the notebook."""
    import math

    name, *rest = args
    objectives = {
        "bergstra": lambda important, unimportant: (important - 0.125) ** 2,
        "bowl": lambda lr, momentum: (math.log10(lr) + 2.0) ** 2 + 4.0 * (momentum - 0.9) ** 2,
        "accuracy": lambda depth, width: 0.9 - 0.01 * (depth - 3) ** 2 - 1e-5 * (width - 64) ** 2,
        "choice": lambda activation, lr: {"relu": 0.0, "tanh": 0.2, "sigmoid": 0.6}[activation]
        + (math.log10(lr) + 2.5) ** 2,
    }
    calls = []

    def objective(**params):
        value = float(objectives[name](**params))
        calls.append((dict(params), value))
        return value

    runs = []
    # random search (the case gives a seed): twice with the seed, once with seed + 1
    shifts = (0, 0, 1) if "seed" in kwargs else (0,)
    for shift in shifts:
        del calls[:]
        call_kwargs = dict(kwargs)
        if "seed" in call_kwargs:
            call_kwargs["seed"] = call_kwargs["seed"] + shift
        best, score, results = impls[0](objective, *rest, **call_kwargs)
        runs.append({"best": dict(best), "score": float(score), "n_results": len(results),
                     "calls": [dict(p) for p, _ in calls], "values": [v for _, v in calls]})
    return runs


def _check_best(run: dict, maximize: bool) -> Verdict | None:
    values = run["values"]
    if not values:
        return Verdict(False, "the objective was never called")
    best_value = max(values) if maximize else min(values)
    if not np.isclose(run["score"], best_value, rtol=1e-12, atol=0):
        word = "largest" if maximize else "smallest"
        return Verdict(False, f"best_score {run['score']:.6g}, but the {word} score seen was "
                              f"{best_value:.6g}",
                       "maximize=True keeps the largest score, otherwise the smallest.")
    if run["best"] not in [p for p, v in zip(run["calls"], values, strict=True)
                           if v == best_value]:
        return Verdict(False, f"best_params {run['best']} are not the parameters that gave the "
                              "best score")
    if run["n_results"] != len(values):
        return Verdict(False, f"results holds {run['n_results']} trials, but the objective was "
                              f"called {len(values)} times",
                       "return every (params, score) pair, in the order tried.")
    return None


def _grid_compare(expected: Any, got: Any, case: Case) -> Verdict:
    _name, grid, *_ = case.args
    maximize = case.kwargs.get("maximize", False)
    if not isinstance(got, list) or len(got) != 1 or not isinstance(got[0], dict):
        return Verdict(False, "the driver did not get a result back")
    run = got[0]
    names = list(grid)
    combos = [dict(zip(names, c, strict=True))
              for c in itertools.product(*(grid[n] for n in names))]
    key = lambda p: tuple(sorted((k, repr(v)) for k, v in p.items()))  # noqa: E731
    tried = sorted(map(key, run["calls"]))
    if tried != sorted(map(key, combos)):
        return Verdict(False, f"{len(run['calls'])} trials, expected each of the "
                              f"{len(combos)} combinations exactly once",
                       "itertools.product over the value lists gives every combination.")
    problem = _check_best(run, maximize)
    if problem:
        return problem
    return compare_values(expected[0]["best"], run["best"], rtol=0, atol=0, where="best: ")


def _grid_cases() -> list[Case]:
    return [
        Case(("bergstra", {"important": [0.0, 0.25, 0.5, 0.75, 1.0],
                           "unimportant": [0.0, 0.25, 0.5, 0.75, 1.0]}),
             label="5 × 5 grid, one hyperparameter does not matter"),
        Case(("bowl", {"lr": [1e-4, 1e-3, 1e-2, 1e-1], "momentum": [0.0, 0.5, 0.9, 0.99]}),
             label="learning rate × momentum"),
        Case(("accuracy", {"depth": [1, 2, 3, 4, 5], "width": [16, 64, 256]}),
             {"maximize": True}, label="maximize an accuracy"),
        Case(("choice", {"activation": ["sigmoid", "tanh", "relu"], "lr": [1e-3, 1e-2]}),
             label="a categorical hyperparameter"),
    ]


def _grid_random(rng: np.random.Generator) -> Case:
    lrs = sorted(float(v) for v in 10.0 ** rng.uniform(-4, 0, size=int(rng.integers(1, 5))))
    moms = sorted(float(v) for v in rng.uniform(0, 0.99, size=int(rng.integers(1, 5))))
    return Case(("bowl", {"lr": lrs, "momentum": moms}))


def _random_compare(expected: Any, got: Any, case: Case) -> Verdict:
    _name, space, n_trials = case.args
    maximize = case.kwargs.get("maximize", False)
    if not isinstance(got, list) or len(got) != 3 or not all(isinstance(r, dict) for r in got):
        return Verdict(False, "the driver did not get a result back")
    first, again, other = got
    if len(first["calls"]) != n_trials:
        return Verdict(False, f"{len(first['calls'])} trials, expected n_trials = {n_trials}")
    problem = _check_best(first, maximize)
    if problem:
        return problem
    for name, spec in space.items():
        values = [p.get(name) for p in first["calls"]]
        if isinstance(spec, list):
            if any(v not in spec for v in values):
                return Verdict(False, f"{name}: drew a value that is not one of {spec}")
            problem = _categorical_spread(name, spec, values)
            if problem:
                return problem
            continue
        low, high, scale = spec
        arr = np.array(values, dtype=float)
        if np.any(arr < low) or np.any(arr > high):
            return Verdict(False, f"{name}: drew values outside [{low:g}, {high:g}]")
        if len(np.unique(arr)) < n_trials:
            return Verdict(False, f"{name}: only {len(np.unique(arr))} distinct values in "
                                  f"{n_trials} trials",
                           "draw every hyperparameter anew for every trial.")
        if n_trials >= 100:
            middle = np.sqrt(low * high) if scale == "log" else (low + high) / 2
            below = float(np.mean(arr < middle))
            if abs(below - 0.5) > 0.15:
                where = "geometric" if scale == "log" else "arithmetic"
                return Verdict(False, f"{name}: {below:.0%} of the draws fall below the {where} "
                                      f"middle {middle:.3g} of the range; about half should",
                               "'log' means log-uniform: exp(rng.uniform(log(low), log(high)))."
                               if scale == "log" else "'linear' means rng.uniform(low, high).")
    if first["calls"] != again["calls"]:
        return Verdict(False, "the same seed drew different hyperparameters",
                       "draw from np.random.default_rng(seed).")
    if first["calls"] == other["calls"]:
        return Verdict(False, "another seed drew exactly the same hyperparameters")
    return Verdict(True)


def _categorical_spread(name: str, spec: list, values: list) -> Verdict | None:
    """Every option drawn, each about n/m times: tested only where a uniform draw misses an
    option, or strays 6 standard deviations from n/m, less than once in 10^8 runs."""
    n, m = len(values), len(spec)
    if m < 2 or m * (1 - 1 / m) ** n > 1e-9:
        return None
    counts = {repr(v): sum(repr(x) == repr(v) for x in values) for v in spec}
    sd = math.sqrt(n * (1 / m) * (1 - 1 / m))
    missing = [v for v in spec if counts[repr(v)] == 0]
    skewed = [v for v in spec if abs(counts[repr(v)] - n / m) > 6 * sd]
    if missing or skewed:
        seen = ", ".join(f"{v!r}: {counts[repr(v)]}" for v in spec)
        return Verdict(False, f"{name}: in {n} trials the options were drawn {seen} times; "
                              f"each should come up about {n / m:.0f} times",
                       "pick each option with the same probability: spec[rng.integers(len("
                       "spec))] (integers excludes its upper end, so len(spec), not "
                       "len(spec) − 1).")
    return None


def _random_cases() -> list[Case]:
    return [
        Case(("bergstra", {"important": (0.0, 1.0, "linear"),
                           "unimportant": (0.0, 1.0, "linear")}, 25), {"seed": 0},
             label="25 trials on the problem where one hyperparameter does not matter"),
        Case(("bowl", {"lr": (1e-5, 1.0, "log"), "momentum": (0.0, 0.99, "linear")}, 200),
             {"seed": 1}, label="200 trials, a log-uniform learning rate"),
        Case(("choice", {"activation": ["sigmoid", "tanh", "relu"], "lr": (1e-4, 1e-1, "log")},
              30), {"seed": 2}, label="a categorical choice and a log-uniform rate"),
        Case(("accuracy", {"depth": [1, 2, 3, 4, 5], "width": (8.0, 512.0, "log")}, 20),
             {"seed": 3, "maximize": True}, label="maximize an accuracy"),
        Case(("choice", {"activation": ["sigmoid", "tanh", "relu"], "lr": (1e-4, 1e-1, "log")},
              120), {"seed": 4},
             label="120 trials: each activation comes up about a third of the time"),
    ]


def _random_random(rng: np.random.Generator) -> Case:
    low = float(10.0 ** rng.uniform(-6, -3))
    return Case(("bowl", {"lr": (low, float(low * 10 ** rng.uniform(2, 5)), "log"),
                          "momentum": (0.0, float(rng.uniform(0.5, 0.99)), "linear")},
                 int(rng.integers(5, 40))), {"seed": int(rng.integers(0, 1000))})


# ---------------------------------------------------------------- save / load


def save_load_driver(impls, args, kwargs):
    """Save a small model with batch norm (its running statistics updated once), load the file
    into a freshly initialised copy, and return both copies' eval-mode outputs."""
    import os
    import tempfile

    import torch

    seed, x = args

    def make(s):
        torch.manual_seed(s)
        return torch.nn.Sequential(torch.nn.Linear(x.shape[1], 8), torch.nn.BatchNorm1d(8),
                                   torch.nn.ReLU(), torch.nn.Linear(8, 3)).double()

    xt = torch.from_numpy(np.array(x))
    model = make(seed)
    with torch.no_grad():
        model.train()
        model(3.0 * xt + 1.0)  # moves the running mean and variance away from 0 and 1
        model.eval()
        before = model(xt).numpy().copy()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "weights.pt")
        impls[0](model, path)
        written = os.path.exists(path)
        fresh = make(seed + 1)
        impls[1](fresh, path)
    fresh.eval()
    with torch.no_grad():
        after = fresh(xt).numpy().copy()
    return {"written": written, "before": before, "after": after}


def _save_load_compare(expected: Any, got: Any, case: Case) -> Verdict:
    if not isinstance(got, dict) or set(got) != {"written", "before", "after"}:
        return Verdict(False, "the driver did not get a result back")
    if not got["written"]:
        return Verdict(False, "save_weights wrote no file at the path it was given",
                       "torch.save(model.state_dict(), path).")
    verdict = compare_values(got["before"], got["after"], rtol=0, atol=0,
                             where="outputs of the reloaded model: ")
    if verdict.passed:
        return verdict
    return Verdict(False, verdict.why, "save model.state_dict() (parameters *and* buffers such "
                                       "as batch norm's running statistics) and copy it back "
                                       "with model.load_state_dict(torch.load(path)).")


def _save_load_cases() -> list[Case]:
    rng = np.random.default_rng(164)
    return [Case((0, rng.normal(size=(5, 4))), label="Linear-BatchNorm-ReLU-Linear, 4 inputs")]


def _save_load_random(rng: np.random.Generator) -> Case:
    return Case((int(rng.integers(0, 1000)),
                 rng.normal(size=(int(rng.integers(2, 6)), int(rng.integers(1, 6))))))


# ---------------------------------------------------------------- a residual block

RESIDUAL_PARAMS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")


def residual_block_driver(impls, args, kwargs):
    """Build the student's ResidualBlock(width, hidden), load the case's weights by name
    (float64), run x through it and backpropagate the case's upstream gradient.

    Returns the parameter names and shapes, the output, ∂L/∂x and the weight gradients
    (L = Σ out ⊙ upstream), or None for the numbers when the parameters do not fit."""
    import torch

    width, hidden, weights, x, upstream = args
    block = impls[0](width, hidden)
    params = dict(block.named_parameters())
    names = sorted(params)
    shapes = [np.array(params[n].shape, dtype=np.int64) for n in names]
    wanted = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")
    result = {"names": names, "shapes": shapes, "out": None, "dx": None, "grads": None}
    if names != sorted(wanted) or any(tuple(params[n].shape) != w.shape
                                      for n, w in zip(wanted, weights, strict=True)):
        return result
    block = block.double()
    params = dict(block.named_parameters())
    with torch.no_grad():
        for n, w in zip(wanted, weights, strict=True):
            params[n].copy_(torch.from_numpy(np.array(w)))
    xt = torch.from_numpy(np.array(x)).requires_grad_(True)
    out = block(xt)
    (out * torch.from_numpy(np.array(upstream))).sum().backward()
    result["out"] = out.detach().numpy().copy()
    result["dx"] = xt.grad.numpy().copy()
    result["grads"] = [params[n].grad.numpy().copy() if params[n].grad is not None else
                       np.zeros(params[n].shape) for n in wanted]
    return result


def _residual_compare(expected: Any, got: Any, case: Case) -> Verdict:
    if not isinstance(got, dict) or set(got) != set(expected):
        return Verdict(False, "the driver did not get a result back")
    if list(got["names"]) != list(expected["names"]):
        return Verdict(False, f"parameters {list(got['names'])}, expected "
                              f"{list(expected['names'])}",
                       "two layers named fc1 and fc2 (nn.Linear, with bias), created in "
                       "__init__; no other parameters.")
    exp_shapes = [tuple(int(v) for v in s) for s in expected["shapes"]]
    got_shapes = [tuple(int(v) for v in s) for s in got["shapes"]]
    if got_shapes != exp_shapes:
        got_named = dict(zip(got["names"], got_shapes, strict=True))
        exp_named = dict(zip(expected["names"], exp_shapes, strict=True))
        return Verdict(False, f"parameter shapes {got_named}, expected {exp_named}",
                       "fc1 = nn.Linear(width, hidden), fc2 = nn.Linear(hidden, width): the "
                       "block's output must have the input's width for the shortcut.")
    verdict = compare_values(expected["out"], got["out"], rtol=1e-9, atol=1e-12,
                             where="output: ")
    if not verdict.passed:
        return verdict
    verdict = compare_values(expected["dx"], got["dx"], rtol=1e-9, atol=1e-12,
                             where="gradient with respect to the input x: ")
    if not verdict.passed:
        return Verdict(False, verdict.why, "the output is right but the gradient is not: the "
                                           "shortcut must stay in the graph (no .detach(), no "
                                           "torch.no_grad()).")
    for name, e, g in zip(RESIDUAL_PARAMS, expected["grads"], got["grads"], strict=True):
        verdict = compare_values(e, g, rtol=1e-9, atol=1e-12, where=f"gradient of {name}: ")
        if not verdict.passed:
            return verdict
    return Verdict(True)


def _residual_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, dict) or got.get("out") is None:
        return None
    _, _, weights, x, _ = case.args
    out = np.asarray(got["out"])
    if out.shape != x.shape:
        return None
    W1, b1, W2, b2 = weights
    f = np.maximum(x @ W1.T + b1, 0) @ W2.T + b2
    guesses = [
        (np.maximum(f, 0), "the shortcut is missing: add x before the last ReLU, "
                           "y = relu(x + F(x))."),
        (x + f, "apply the ReLU after the addition: y = relu(x + F(x)), not x + F(x)."),
        (np.maximum(f, 0) + x, "add x before the ReLU, not after it: y = relu(x + F(x))."),
        (np.maximum(x + x @ W1.T @ W2.T + b1 @ W2.T + b2, 0),
         "F has a ReLU between fc1 and fc2: F(x) = fc2(relu(fc1(x)))."),
    ]
    if np.allclose(out, np.asarray(expected["out"]), rtol=1e-9, atol=1e-12):
        return None  # the output is right: the comparator's hint about the gradient applies
    for value, hint in guesses:
        if np.allclose(out, value, rtol=1e-9, atol=1e-12):
            return hint
    return None


def _residual_case(rng: np.random.Generator, width: int, hidden: int, n: int, scale: float = 0.6,
                   label: str = "") -> Case:
    weights = [rng.normal(scale=scale, size=(hidden, width)), rng.normal(scale=scale, size=hidden),
               rng.normal(scale=scale, size=(width, hidden)), rng.normal(scale=scale, size=width)]
    return Case((width, hidden, weights, rng.normal(size=(n, width)),
                 rng.normal(size=(n, width))), label=label)


def _residual_cases() -> list[Case]:
    rng = np.random.default_rng(1617)
    zero = _residual_case(rng, 3, 2, 4, label="F(x) = 0 (all weights zero): the block is relu(x)")
    zero = Case((3, 2, [np.zeros_like(w) for w in zero.args[2]], *zero.args[3:]),
                label=zero.label)
    return [
        _residual_case(rng, 4, 6, 5, label="width 4, hidden 6, five rows"),
        zero,
        _residual_case(rng, 5, 2, 3, scale=1.5, label="a narrow hidden layer and large weights"),
    ]


def _residual_random(rng: np.random.Generator) -> Case:
    return _residual_case(rng, int(rng.integers(1, 9)), int(rng.integers(1, 9)),
                          int(rng.integers(1, 7)), scale=float(rng.uniform(0.2, 1.5)))


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="16.random_undersample",
        title="random undersampling: drop random rows of the large classes",
        functions=("random_undersample",),
        arg_names=("X", "y", "seed"),
        reference=(imbalance.random_undersample,),
        cases=_under_cases,
        random_case=_under_random,
        compare=_under_compare,
        driver=resample_with_seeds,
        show_expected=False,
        hint="for each class, rng.choice(its row indices, size=target, replace=False); keep "
             "X[keep], y[keep].",
    ),
    Exercise(
        id="16.random_oversample",
        title="random oversampling: repeat random rows of the small classes",
        functions=("random_oversample",),
        arg_names=("X", "y", "seed"),
        reference=(imbalance.random_oversample,),
        cases=_over_cases,
        random_case=_over_random,
        compare=_over_compare,
        driver=resample_with_seeds,
        show_expected=False,
        hint="original rows first; then for each class rng.choice(its rows, target − n_c, "
             "replace=True).",
    ),
    Exercise(
        id="16.smote",
        title="SMOTE: synthetic minority rows between neighbours",
        functions=("smote",),
        arg_names=("X", "y", "k", "seed"),
        reference=(imbalance.smote,),
        cases=_smote_cases,
        random_case=_smote_random,
        compare=_smote_compare,
        driver=resample_with_seeds,
        show_expected=False,
        hint="within each class to grow: k nearest neighbours of every row (not itself); pick a "
             "random row x and one of its neighbours x_nn; x_new = x + u·(x_nn − x), u ~ U(0, 1).",
        points=2.0,
    ),
    Exercise(
        id="16.layer_gradient_norms",
        title="the weight gradient's norm at every layer of a deep net",
        functions=("layer_gradient_norms",),
        reference=(layer_gradients.layer_gradient_norms,),
        cases=_grad_norm_cases,
        random_case=_grad_norm_random,
        compare=close(rtol=1e-9, atol=1e-14),
        diagnose=_grad_norm_diagnose,
        hint="forward, keeping each layer's input h and pre-activation z; backward from dout: "
             "dW = hᵀ δ, then δ ← (δ Wᵀ) ⊙ f'(z) for the layer below.",
    ),
    Exercise(
        id="16.residual_block",
        title="a residual block: y = relu(x + fc2(relu(fc1(x))))",
        functions=("ResidualBlock",),
        reference=(residual.ResidualBlock,),
        cases=_residual_cases,
        random_case=_residual_random,
        compare=_residual_compare,
        driver=residual_block_driver,
        diagnose=_residual_diagnose,
        arg_names=("width", "hidden", "weights", "x", "upstream"),
        hint="__init__: self.fc1 = nn.Linear(width, hidden), self.fc2 = nn.Linear(hidden, "
             "width); forward: return torch.relu(x + self.fc2(torch.relu(self.fc1(x)))).",
    ),
    Exercise(
        id="16.kfold_indices",
        title="K-fold cross-validation splits",
        functions=("kfold_indices",),
        arg_names=("n", "k", "shuffle", "seed"),
        reference=(model_selection.kfold_indices,),
        cases=_kfold_cases,
        random_case=_kfold_random,
        compare=_kfold_compare,
        driver=kfold_driver,
        hint="cut the (optionally permuted) indices 0..n−1 into k consecutive blocks, the first "
             "n mod k one longer; fold i validates on block i and trains on the rest.",
    ),
    Exercise(
        id="16.grid_search",
        title="grid search: every combination of the listed values",
        functions=("grid_search",),
        arg_names=("objective", "grid"),
        reference=(model_selection.grid_search,),
        cases=_grid_cases,
        random_case=_grid_random,
        compare=_grid_compare,
        driver=search_driver,
        hint="itertools.product(*grid.values()) gives the combinations; call "
             "objective(**params) on each and keep the best.",
    ),
    Exercise(
        id="16.random_search",
        title="random search: draw every hyperparameter independently",
        functions=("random_search",),
        arg_names=("objective", "space", "n_trials"),
        reference=(model_selection.random_search,),
        cases=_random_cases,
        random_case=_random_random,
        compare=_random_compare,
        driver=search_driver,
        show_expected=False,
        hint="rng = np.random.default_rng(seed); per trial and per name: rng.uniform for "
             "'linear', exp(rng.uniform(log low, log high)) for 'log', a random element for a "
             "list.",
    ),
    Exercise(
        id="16.save_load",
        title="save a model's weights to a file and load them into a fresh model",
        functions=("save_weights", "load_weights"),
        arg_names=("seed", "x"),
        reference=(checkpoint.save_weights, checkpoint.load_weights),
        cases=_save_load_cases,
        random_case=_save_load_random,
        n_random=2,
        compare=_save_load_compare,
        driver=save_load_driver,
        show_expected=False,
        hint="torch.save(model.state_dict(), path); model.load_state_dict(torch.load(path)).",
    ),
]
