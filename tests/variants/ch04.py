"""Plausible mistakes for chapter 04's exercises (softmax, one-hot and losses)."""

_LOG_SOFTMAX = (
    "def log_softmax(z, axis=-1):\n"
    "    m = z.max(axis=axis, keepdims=True)\n"
    "    return (z - m) - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))\n"
)
_SOFTMAX = (
    "def _softmax(z):\n"
    "    e = np.exp(z - z.max(axis=1, keepdims=True))\n"
    "    return e / e.sum(axis=1, keepdims=True)\n"
)
_SOFTPLUS = "def _softplus(z):\n    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))\n"

VARIANTS = {
    "04.log_softmax": [
        ("log of the softmax: log(0) for huge logits",
         "def log_softmax(z, axis=-1):\n    m = z.max(axis=axis, keepdims=True)\n"
         "    e = np.exp(z - m)\n    return np.log(e / e.sum(axis=axis, keepdims=True))\n"),
        ("no max subtraction: exp overflows",
         "def log_softmax(z, axis=-1):\n"
         "    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))\n"),
        ("returns the probabilities, not their log",
         "def log_softmax(z, axis=-1):\n    m = z.max(axis=axis, keepdims=True)\n"
         "    e = np.exp(z - m)\n    return e / e.sum(axis=axis, keepdims=True)\n"),
        ("forgets to shift z back: (z − m) − log Σ is right, z − log Σ exp(z − m) is not",
         "def log_softmax(z, axis=-1):\n    m = z.max(axis=axis, keepdims=True)\n"
         "    return z - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))\n"),
        ("ignores the axis",
         "def log_softmax(z, axis=-1):\n    m = z.max(axis=-1, keepdims=True)\n"
         "    return (z - m) - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))\n"),
        ("the default axis is 0, not −1",
         "def log_softmax(z, axis=0):\n"
         "    s = z - z.max(axis=axis, keepdims=True)\n"
         "    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))\n"),
    ],
    "04.one_hot": [
        ("integers instead of the floats the text asks for",
         "def one_hot(labels, num_classes):\n    return np.eye(num_classes, dtype=int)[labels]\n"),
        ("uses labels.max() + 1 columns",
         "def one_hot(labels, num_classes):\n"
         "    return (labels[:, None] == np.arange(labels.max() + 1)).astype(float)\n"),
        ("transposed: one column per label",
         "def one_hot(labels, num_classes):\n"
         "    return (labels[None, :] == np.arange(num_classes)[:, None]).astype(float)\n"),
        ("off by one: treats labels as 1-based",
         "def one_hot(labels, num_classes):\n"
         "    return (labels[:, None] - 1 == np.arange(num_classes)).astype(float)\n"),
        ("puts the 1 at the mirrored position (bit order reversed)",
         "def one_hot(labels, num_classes):\n"
         "    return (labels[:, None] == np.arange(num_classes)[::-1]).astype(float)\n"),
    ],
    "04.cross_entropy": [
        ("sums over the batch instead of averaging",
         _LOG_SOFTMAX + "def cross_entropy(logits, labels):\n"
         "    return float(-np.sum(log_softmax(logits)[np.arange(len(labels)), labels]))\n"),
        ("log of the softmax: inf for huge logits",
         _SOFTMAX + "def cross_entropy(logits, labels):\n"
         "    p = _softmax(logits)\n"
         "    return float(-np.mean(np.log(p[np.arange(len(labels)), labels])))\n"),
        ("averages over every entry of the (N, K) log-probabilities",
         _LOG_SOFTMAX + "def cross_entropy(logits, labels):\n"
         "    lp = log_softmax(logits)\n"
         "    return float(-np.mean(lp * (labels[:, None] == np.arange(lp.shape[1]))))\n"),
        ("forgets the minus sign",
         _LOG_SOFTMAX + "def cross_entropy(logits, labels):\n"
         "    return float(np.mean(log_softmax(logits)[np.arange(len(labels)), labels]))\n"),
        ("picks the entries with labels as column index for every row (broadcasting slip)",
         _LOG_SOFTMAX + "def cross_entropy(logits, labels):\n"
         "    return float(-np.mean(log_softmax(logits)[:, labels]))\n"),
    ],
    "04.cross_entropy_grad": [
        ("forgets the 1/N of the mean",
         _SOFTMAX + "def cross_entropy_grad(logits, labels):\n"
         "    g = _softmax(logits)\n    g[np.arange(len(labels)), labels] -= 1\n    return g\n"),
        ("y − p instead of p − y",
         _SOFTMAX + "def cross_entropy_grad(logits, labels):\n"
         "    g = -_softmax(logits)\n    g[np.arange(len(labels)), labels] += 1\n"
         "    return g / len(labels)\n"),
        ("returns p / N (target forgotten)",
         _SOFTMAX + "def cross_entropy_grad(logits, labels):\n"
         "    return _softmax(logits) / len(labels)\n"),
        ("softmax without max subtraction: overflow",
         "def cross_entropy_grad(logits, labels):\n    e = np.exp(logits)\n"
         "    g = e / e.sum(axis=1, keepdims=True)\n"
         "    g[np.arange(len(labels)), labels] -= 1\n    return g / len(labels)\n"),
        ("−y/p: the gradient w.r.t. the probabilities, not the logits",
         _SOFTMAX + "def cross_entropy_grad(logits, labels):\n"
         "    p = _softmax(logits)\n    g = np.zeros_like(p)\n"
         "    rows = np.arange(len(labels))\n    g[rows, labels] = -1 / p[rows, labels]\n"
         "    return g / len(labels)\n"),
    ],
    "04.binary_cross_entropy": [
        ("a (N, K) batch: sums over the columns, averages over the rows",
         "def binary_cross_entropy(p, y):\n"
         "    loss = -(y * np.log(p) + (1 - y) * np.log(1 - p))\n"
         "    return float(np.mean(loss.sum(axis=-1)) if loss.ndim > 1 else np.mean(loss))\n"),
        ("no minus sign (as printed in seed 002)",
         "def binary_cross_entropy(p, y):\n"
         "    return float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))\n"),
        ("sums instead of averaging",
         "def binary_cross_entropy(p, y):\n"
         "    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))\n"),
        ("swaps p and 1 − p",
         "def binary_cross_entropy(p, y):\n"
         "    return float(-np.mean(y * np.log(1 - p) + (1 - y) * np.log(p)))\n"),
        ("forgets the (1 − y) term",
         "def binary_cross_entropy(p, y):\n    return float(-np.mean(y * np.log(p)))\n"),
    ],
    "04.binary_cross_entropy_with_logits": [
        ("σ first, then the log: log(0) for large |z|",
         "def binary_cross_entropy_with_logits(z, y):\n"
         "    p = np.where(z >= 0, 1, np.exp(-np.abs(z))) / (1 + np.exp(-np.abs(z)))\n"
         "    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))\n"),
        ("naive softplus log(1 + exp(z)) overflows",
         "def binary_cross_entropy_with_logits(z, y):\n"
         "    return float(np.mean(np.log(1 + np.exp(z)) - y * z))\n"),
        ("sign of the y·z term",
         _SOFTPLUS + "def binary_cross_entropy_with_logits(z, y):\n"
         "    return float(np.mean(_softplus(z) + y * z))\n"),
        ("softplus(−z) − y·z",
         _SOFTPLUS + "def binary_cross_entropy_with_logits(z, y):\n"
         "    return float(np.mean(_softplus(-z) - y * z))\n"),
        ("np.where on the label: right for targets 0 and 1 only, not for a soft target",
         "def binary_cross_entropy_with_logits(z, y):\n"
         "    sp = lambda t: np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))\n"
         "    return float(np.mean(np.where(y > 0.5, sp(-z), sp(z))))\n"),
    ],
    "04.mse_loss": [
        ("sums instead of averaging",
         "def mse_loss(pred, target):\n    return float(np.sum((pred - target) ** 2))\n"),
        ("averages over the samples only (seed 002's convention)",
         "def mse_loss(pred, target):\n"
         "    d = np.atleast_2d(pred - target)\n    return float(np.mean(np.sum(d ** 2, axis=1)))\n"),
        ("with a factor 1/2",
         "def mse_loss(pred, target):\n    return float(0.5 * np.mean((pred - target) ** 2))\n"),
        ("root mean squared error",
         "def mse_loss(pred, target):\n"
         "    return float(np.sqrt(np.mean((pred - target) ** 2)))\n"),
    ],
    "04.l1_loss": [
        ("no absolute value",
         "def l1_loss(pred, target):\n    return float(np.mean(pred - target))\n"),
        ("sums instead of averaging",
         "def l1_loss(pred, target):\n    return float(np.sum(np.abs(pred - target)))\n"),
        ("averages over the samples only",
         "def l1_loss(pred, target):\n"
         "    d = np.atleast_2d(pred - target)\n"
         "    return float(np.mean(np.sum(np.abs(d), axis=1)))\n"),
        ("squared error instead",
         "def l1_loss(pred, target):\n    return float(np.mean((pred - target) ** 2))\n"),
    ],
    "04.lp_distance": [
        ("forgets the p-th root (seed 002's Lp loss)",
         "def lp_distance(a, b, p=2.0):\n    return np.sum(np.abs(a - b) ** p, axis=-1)\n"),
        ("sums over every axis: one number for a batch",
         "def lp_distance(a, b, p=2.0):\n    return np.sum(np.abs(a - b) ** p) ** (1 / p)\n"),
        ("no absolute value",
         "def lp_distance(a, b, p=2.0):\n    return np.sum((a - b) ** p, axis=-1) ** (1 / p)\n"),
        ("always the Euclidean distance",
         "def lp_distance(a, b, p=2.0):\n    return np.sqrt(np.sum((a - b) ** 2, axis=-1))\n"),
        ("root 1/2 instead of 1/p",
         "def lp_distance(a, b, p=2.0):\n"
         "    return np.sum(np.abs(a - b) ** p, axis=-1) ** 0.5\n"),
        ("the default p is 1, not 2",
         "def lp_distance(a, b, p=1.0):\n"
         "    return np.sum(np.abs(a - b) ** p, axis=-1) ** (1.0 / p)\n"),
    ],
}
