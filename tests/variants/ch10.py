"""Plausible mistakes for chapter 10's exercises (normalization).

Most variants are a correct solution with one line changed (``_mutate`` checks that the line is
really there), so each one differs from a right answer by exactly the mistake it names.
"""


def _mutate(source: str, old: str, new: str) -> str:
    assert old in source, f"variant template lost the line {old!r}"
    return source.replace(old, new)


_MIN_MAX = """

def min_max_scale(x, feature_range=(0.0, 1.0), data_min=None, data_max=None):
    lo, hi = feature_range
    mn = x.min(axis=0) if data_min is None else data_min
    mx = x.max(axis=0) if data_max is None else data_max
    span = np.where(mx > mn, mx - mn, 1.0)
    return lo + (x - mn) / span * (hi - lo)
"""

_Z = """

def z_score(x, mean=None, std=None):
    mu = x.mean(axis=0) if mean is None else mean
    sd = x.std(axis=0) if std is None else std
    return (x - mu) / np.where(sd > 0, sd, 1.0)
"""

_BN = """

def batch_norm_forward(x, gamma, beta, running_mean, running_var, *, training, eps=1e-5):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if training:
        mean, var = x.mean(axis=axes), x.var(axis=axes)
    else:
        mean, var = running_mean, running_var
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean.reshape(shape)) * inv_std.reshape(shape)
    out = gamma.reshape(shape) * xhat + beta.reshape(shape)
    cache = (xhat, gamma, inv_std, training)
    return out, cache


def batch_norm_backward(dout, cache):
    xhat, gamma, inv_std, training = cache
    axes = (0,) + tuple(range(2, xhat.ndim))
    shape = (1, -1) + (1,) * (xhat.ndim - 2)
    dbeta = dout.sum(axis=axes)
    dgamma = (dout * xhat).sum(axis=axes)
    dxhat = dout * gamma.reshape(shape)
    if not training:
        return dxhat * inv_std.reshape(shape), dgamma, dbeta
    dx = inv_std.reshape(shape) * (dxhat - dxhat.mean(axis=axes, keepdims=True)
                                   - xhat * (dxhat * xhat).mean(axis=axes, keepdims=True))
    return dx, dgamma, dbeta


def batch_norm_running_stats(x, running_mean, running_var, momentum=0.1):
    stat_axes = (0,) + tuple(range(2, x.ndim))
    mean, var = x.mean(axis=stat_axes), x.var(axis=stat_axes)
    m = x.size // x.shape[1]
    new_mean = (1 - momentum) * running_mean + momentum * mean
    new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)
    return new_mean, new_var
"""

_LN = """

def layer_norm_forward(x, gamma, beta, eps=1e-5):
    axes = tuple(range(x.ndim - gamma.ndim, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
    xhat = (x - mean) * inv_std
    return gamma * xhat + beta, (xhat, gamma, inv_std, axes)


def layer_norm_backward(dout, cache):
    xhat, gamma, inv_std, axes = cache
    lead = tuple(range(xhat.ndim - gamma.ndim))
    dbeta = dout.sum(axis=lead)
    dgamma = (dout * xhat).sum(axis=lead)
    dxhat = dout * gamma
    dx = inv_std * (dxhat - dxhat.mean(axis=axes, keepdims=True)
                    - xhat * (dxhat * xhat).mean(axis=axes, keepdims=True))
    return dx, dgamma, dbeta
"""

_GN = """

def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):
    N, C = x.shape[:2]
    groups = x.reshape(N, num_groups, -1)
    mean = groups.mean(axis=2, keepdims=True)
    inv_std = 1.0 / np.sqrt(groups.var(axis=2, keepdims=True) + eps)
    xhat = ((groups - mean) * inv_std).reshape(x.shape)
    shape = (1, C) + (1,) * (x.ndim - 2)
    out = gamma.reshape(shape) * xhat + beta.reshape(shape)
    return out, (xhat, gamma, inv_std, num_groups)


def group_norm_backward(dout, cache):
    xhat, gamma, inv_std, G = cache
    N, C = xhat.shape[:2]
    axes = (0,) + tuple(range(2, xhat.ndim))
    shape = (1, C) + (1,) * (xhat.ndim - 2)
    dbeta = dout.sum(axis=axes)
    dgamma = (dout * xhat).sum(axis=axes)
    dxhat = (dout * gamma.reshape(shape)).reshape(N, G, -1)
    xh = xhat.reshape(N, G, -1)
    dx = inv_std * (dxhat - dxhat.mean(axis=2, keepdims=True)
                    - xh * (dxhat * xh).mean(axis=2, keepdims=True))
    return dx.reshape(xhat.shape), dgamma, dbeta
"""

_WN = """

def weight_norm_forward(v, g):
    axes = tuple(range(1, v.ndim))
    shape = (-1,) + (1,) * (v.ndim - 1)
    length = np.sqrt(np.sum(v * v, axis=axes, keepdims=True))
    u = v / length
    return g.reshape(shape) * u, (u, g.reshape(shape), length)


def weight_norm_backward(dw, cache):
    u, g, length = cache
    axes = tuple(range(1, u.ndim))
    dg = np.sum(dw * u, axis=axes, keepdims=True)
    dv = g / length * (dw - u * dg)
    return dv, dg.reshape(-1)
"""

_LRN = """

def local_response_norm(x, size, alpha=1e-4, beta=0.75, k=1.0):
    C = x.shape[1]
    pad = [(0, 0)] * x.ndim
    pad[1] = (size // 2, (size - 1) // 2)
    squares = np.pad(x * x, pad)
    energy = sum(squares[:, j:j + C] for j in range(size))
    return x / (k + alpha / size * energy) ** beta
"""

_GN_INTERLEAVED = _mutate(
    _mutate(_GN, "groups = x.reshape(N, num_groups, -1)",
            "groups = x.reshape(N, C // num_groups, num_groups, -1).transpose(0, 2, 1, 3)"
            ".reshape(N, num_groups, -1)"),
    "xhat = ((groups - mean) * inv_std).reshape(x.shape)",
    "xhat = ((groups - mean) * inv_std).reshape(N, num_groups, C // num_groups, -1)"
    ".transpose(0, 2, 1, 3).reshape(x.shape)")


_W1 = """
def wasserstein_1d(a, b):
    a_sorted = np.sort(a, axis=0)
    b_sorted = np.sort(b, axis=0)
    return np.mean(np.abs(a_sorted - b_sorted), axis=0)
"""

VARIANTS = {
    "10.min_max_scale": [
        ("min and max over the whole array, not per feature",
         _mutate(_mutate(_MIN_MAX, "mn = x.min(axis=0)", "mn = x.min()"),
                 "mx = x.max(axis=0)", "mx = x.max()")),
        ("ignores feature_range", _mutate(_MIN_MAX, "return lo + (x - mn) / span * (hi - lo)",
                                          "return (x - mn) / span")),
        ("ignores the training statistics it is given",
         _mutate(_mutate(_MIN_MAX, "mn = x.min(axis=0) if data_min is None else data_min",
                         "mn = x.min(axis=0)"),
                 "mx = x.max(axis=0) if data_max is None else data_max", "mx = x.max(axis=0)")),
        ("divides by zero on a constant feature",
         _mutate(_MIN_MAX, "    return lo + (x - mn) / span * (hi - lo)",
                 "    with np.errstate(invalid='ignore', divide='ignore'):\n"
                 "        return lo + (x - mn) / (mx - mn) * (hi - lo)")),
        ("divides by the max only", _mutate(_MIN_MAX, "span = np.where(mx > mn, mx - mn, 1.0)",
                                            "span = mx")),
    ],
    "10.z_score": [
        ("sample standard deviation (ddof=1)",
         _mutate(_Z, "x.std(axis=0)", "x.std(axis=0, ddof=1)")),
        ("statistics per example (axis=1)",
         _mutate(_mutate(_Z, "x.mean(axis=0)", "x.mean(axis=-1, keepdims=True)"),
                 "x.std(axis=0)", "x.std(axis=-1, keepdims=True)")),
        ("divides by the variance", _mutate(_Z, "np.where(sd > 0, sd, 1.0)",
                                            "np.where(sd > 0, sd ** 2, 1.0)")),
        ("ignores the training statistics it is given",
         _mutate(_mutate(_Z, "mu = x.mean(axis=0) if mean is None else mean", "mu = x.mean(axis=0)"),
                 "sd = x.std(axis=0) if std is None else std", "sd = x.std(axis=0)")),
        ("forgets to centre", _mutate(_Z, "return (x - mu) /", "return x /")),
        ("divides by σ even where σ = 0: a constant feature becomes 0/0 = NaN",
         "def z_score(x, mean=None, std=None):\n"
         "    mu = x.mean(axis=0) if mean is None else mean\n"
         "    sd = x.std(axis=0) if std is None else std\n"
         "    return (x - mu) / sd\n"),
    ],
    "10.batch_norm": [
        ("the running variance tracks the biased σ²",
         _mutate(_BN, "momentum * var * m / (m - 1)", "momentum * var")),
        ("momentum weighs the old average instead of the new batch",
         _mutate(_mutate(_BN, "new_mean = (1 - momentum) * running_mean + momentum * mean",
                         "new_mean = momentum * running_mean + (1 - momentum) * mean"),
                 "new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)",
                 "new_var = momentum * running_var + (1 - momentum) * var * m / (m - 1)")),
        ("uses the batch statistics at inference too",
         _mutate(_BN, "mean, var = running_mean, running_var",
                 "mean, var = x.mean(axis=axes), x.var(axis=axes)")),
        ("seed 001's ε outside the square root",
         _mutate(_BN, "inv_std = 1.0 / np.sqrt(var + eps)", "inv_std = 1.0 / (np.sqrt(var) + eps)")),
        ("seed 001's misprint: x + μ",
         _mutate(_BN, "xhat = (x - mean.reshape(shape))", "xhat = (x + mean.reshape(shape))")),
        ("statistics over the batch axis only (per pixel), not per channel",
         _mutate(_BN, "    axes = (0,) + tuple(range(2, x.ndim))\n    shape = (1, -1)",
                 "    axes = 0\n    shape = (1, -1)")),
        ("the unbiased correction counts N, not N·H·W",
         _mutate(_BN, "m = x.size // x.shape[1]", "m = x.shape[0]")),
        ("backward forgets the path through the mean",
         _mutate(_BN, "(dxhat - dxhat.mean(axis=axes, keepdims=True)\n", "(dxhat\n")),
        ("backward forgets the path through the variance",
         _mutate(_BN, "                                   - xhat * (dxhat * xhat).mean(axis=axes, keepdims=True))",
                 "                                   )")),
        ("updates the running statistics in place, as torch's layer does",
         _mutate(_BN, "    new_mean = (1 - momentum) * running_mean + momentum * mean\n"
                 "    new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)",
                 "    running_mean *= 1 - momentum\n    running_mean += momentum * mean\n"
                 "    running_var *= 1 - momentum\n"
                 "    running_var += momentum * var * m / (m - 1)\n"
                 "    new_mean, new_var = running_mean, running_var")),
        ("running statistics over the batch axis only, not every pixel of the channel",
         _mutate(_BN, "stat_axes = (0,) + tuple(range(2, x.ndim))", "stat_axes = 0")),
        ("running statistics from a fixed momentum of 0.1, ignoring the argument",
         _mutate(_BN, "def batch_norm_running_stats(x, running_mean, running_var, momentum=0.1):\n",
                 "def batch_norm_running_stats(x, running_mean, running_var, momentum=0.1):\n"
                 "    momentum = 0.1\n")),
        ("forward returns the running statistics too, the old four-value convention",
         _mutate(_BN, "    return out, cache\n",
                 "    return out, cache, running_mean.copy(), running_var.copy()\n")),
        ("backward at inference also uses the training formula",
         _mutate(_BN, "    if not training:\n        return dxhat * inv_std.reshape(shape), dgamma, dbeta\n",
                 "")),
    ],
    "10.layer_norm": [
        ("backward forgets γ (dx̂ = dout)", _mutate(_LN, "dxhat = dout * gamma", "dxhat = dout")),
        ("normalizes over the batch, like batch norm",
         _mutate(_mutate(_LN, "axes = tuple(range(x.ndim - gamma.ndim, x.ndim))", "axes = (0,)"),
                 "lead = tuple(range(xhat.ndim - gamma.ndim))",
                 "lead = tuple(range(xhat.ndim - gamma.ndim))\n    axes = (0,)")),
        ("normalizes over the last axis only",
         _mutate(_LN, "axes = tuple(range(x.ndim - gamma.ndim, x.ndim))", "axes = (-1,)")),
        ("unbiased variance", _mutate(_LN, "x.var(axis=axes, keepdims=True)",
                                      "x.var(axis=axes, keepdims=True, ddof=1)")),
        ("dgamma and dbeta not summed over the batch",
         _mutate(_LN, "lead = tuple(range(xhat.ndim - gamma.ndim))", "lead = ()")),
        ("backward forgets the path through the variance",
         _mutate(_LN, "\n                    - xhat * (dxhat * xhat).mean(axis=axes, keepdims=True))",
                 ")")),
    ],
    "10.group_norm": [
        ("backward forgets γ (dx̂ = dout)",
         _mutate(_GN, "dxhat = (dout * gamma.reshape(shape)).reshape(N, G, -1)",
                 "dxhat = dout.reshape(N, G, -1)")),
        ("interleaved groups (channel c in group c mod G)", _GN_INTERLEAVED),
        ("ignores the groups: one group per channel (instance norm)",
         _mutate(_GN, "def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):\n",
                 "def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):\n"
                 "    num_groups = x.shape[1]\n")),
        ("ignores the groups: one group per example (layer norm)",
         _mutate(_GN, "def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):\n",
                 "def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):\n"
                 "    num_groups = 1\n")),
        ("ε outside the square root",
         _mutate(_GN, "inv_std = 1.0 / np.sqrt(groups.var(axis=2, keepdims=True) + eps)",
                 "inv_std = 1.0 / (np.sqrt(groups.var(axis=2, keepdims=True)) + eps)")),
        ("backward averages over every group of the example",
         _mutate(_mutate(_GN, "dxhat.mean(axis=2, keepdims=True)",
                         "dxhat.mean(axis=(1, 2), keepdims=True)"),
                 "(dxhat * xh).mean(axis=2, keepdims=True)",
                 "(dxhat * xh).mean(axis=(1, 2), keepdims=True)")),
    ],
    "10.weight_norm": [
        ("one norm for the whole array",
         _mutate(_WN, "length = np.sqrt(np.sum(v * v, axis=axes, keepdims=True))",
                 "length = np.sqrt(np.sum(v * v))")),
        ("norm over axis 0 (per input) instead of per output unit",
         _mutate(_WN, "length = np.sqrt(np.sum(v * v, axis=axes, keepdims=True))",
                 "length = np.sqrt(np.sum(v * v, axis=0, keepdims=True))")),
        ("divides by the squared norm",
         _mutate(_WN, "u = v / length", "u = v / length ** 2")),
        ("dv forgets the projection", _mutate(_WN, "dv = g / length * (dw - u * dg)",
                                              "dv = g / length * dw")),
        ("dg keeps the broadcast shape (out, 1, ...)",
         _mutate(_WN, "return dv, dg.reshape(-1)", "return dv, dg")),
    ],
    "10.local_response_norm": [
        ("the seed's α without dividing by the size",
         _mutate(_LRN, "alpha / size * energy", "alpha * energy")),
        ("a symmetric window of 2·(size//2) + 1 channels",
         _mutate(_mutate(_LRN, "pad[1] = (size // 2, (size - 1) // 2)",
                         "pad[1] = (size // 2, size // 2)"),
                 "for j in range(size))", "for j in range(2 * (size // 2) + 1))")),
        ("the window of an even size leans the wrong way",
         _mutate(_LRN, "pad[1] = (size // 2, (size - 1) // 2)",
                 "pad[1] = ((size - 1) // 2, size // 2)")),
        ("sums the activations instead of their squares",
         _mutate(_LRN, "squares = np.pad(x * x, pad)", "squares = np.pad(np.abs(x), pad)")),
        ("forgets k", _mutate(_LRN, "(k + alpha / size * energy)", "(alpha / size * energy)")),
    ],
    "10.wasserstein_1d": [
        ("no sorting: pairs the examples in the order they came",
         _mutate(_mutate(_W1, "np.sort(a, axis=0)", "a"), "np.sort(b, axis=0)", "b")),
        ("sorts only a", _mutate(_W1, "np.sort(b, axis=0)", "b")),
        ("sorts along the units (axis=1)",
         _mutate(_mutate(_W1, "np.sort(a, axis=0)", "np.sort(a, axis=1)"),
                 "np.sort(b, axis=0)", "np.sort(b, axis=1)")),
        ("the difference of the means",
         "def wasserstein_1d(a, b):\n    return np.abs(a.mean(axis=0) - b.mean(axis=0))\n"),
        ("squares instead of absolute values (W2)",
         _mutate(_W1, "np.mean(np.abs(a_sorted - b_sorted), axis=0)",
                 "np.sqrt(np.mean((a_sorted - b_sorted) ** 2, axis=0))")),
        ("sums instead of averaging", _mutate(_W1, "np.mean(np.abs", "np.sum(np.abs")),
    ],
}
