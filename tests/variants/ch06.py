"""Plausible mistakes for chapter 06's exercises (matrix back-propagation, an MLP from scratch).

The MLP and training variants start from one correct implementation (``_BASE``) and change
one line each, so that each variant has exactly one mistake.
"""

_DENSE = (
    "def dense_forward(x, W, b):\n"
    "    return x @ W + b, (x, W)\n"
    "def dense_backward(dout, cache):\n"
    "    x, W = cache\n"
    "    return dout @ W.T, x.T @ dout, dout.sum(axis=0)\n"
)

_ACT = (
    "def _f(x, name):\n"
    "    if name == 'sigmoid':\n        return 1 / (1 + np.exp(-x))\n"
    "    if name == 'tanh':\n        return np.tanh(x)\n"
    "    return np.maximum(x, 0.0)\n"
    "def _df(x, name):\n"
    "    if name == 'sigmoid':\n        s = 1 / (1 + np.exp(-x))\n        return s * (1 - s)\n"
    "    if name == 'tanh':\n        return 1 - np.tanh(x) ** 2\n"
    "    return (x > 0).astype(float)\n"
)

_BASE = _DENSE + _ACT + '''
def activation_forward(x, name):
    return _f(x, name), (x, name)
def activation_backward(dout, cache):
    x, name = cache
    return dout * _df(x, name)
def _log_softmax(z):
    s = z - z.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))
def cross_entropy(z, y):
    return float(-np.mean(_log_softmax(z)[np.arange(len(y)), y]))
def cross_entropy_grad(z, y):
    g = np.exp(_log_softmax(z))
    g[np.arange(len(y)), y] -= 1
    return g / len(y)
def mse_loss(a, y):
    return float(np.mean((a - y) ** 2))
def mse_loss_grad(a, y):
    return 2 * (a - y) / a.size
class MLP:
    def __init__(self, layer_sizes, activation="relu", output="softmax", weight_decay=0.0, seed=0):
        rng = np.random.default_rng(seed)
        self.activation, self.output, self.weight_decay = activation, output, weight_decay
        self.params = []
        for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            bound = 1 / np.sqrt(fan_in)
            self.params += [rng.uniform(-bound, bound, (fan_in, fan_out)),
                            rng.uniform(-bound, bound, fan_out)]
    def _forward(self, x):
        caches, a = [], x
        L = len(self.params) // 2
        for l in range(L):
            a, c = dense_forward(a, self.params[2 * l], self.params[2 * l + 1])
            caches.append(c)
            if l < L - 1:
                a, c = activation_forward(a, self.activation)
                caches.append(c)
        return a, caches
    def forward(self, x):
        return self._forward(x)[0]
    def data_loss(self, scores, y):
        if self.output == "softmax":
            return cross_entropy(scores, y), cross_entropy_grad(scores, y)
        y = y.reshape(scores.shape)
        return mse_loss(scores, y), mse_loss_grad(scores, y)
    def penalty(self):
        return 0.5 * self.weight_decay * sum(np.sum(W * W) for W in self.params[0::2])
    def loss(self, x, y):
        scores, caches = self._forward(x)
        loss, delta = self.data_loss(scores, y)
        L = len(self.params) // 2
        grads = [None] * len(self.params)
        for l in reversed(range(L)):
            if l < L - 1:
                delta = activation_backward(delta, caches[2 * l + 1])
            delta, dW, db = dense_backward(delta, caches[2 * l])
            grads[2 * l] = dW + self.weight_decay * self.params[2 * l]
            grads[2 * l + 1] = db
        return loss + self.penalty(), grads
    def predict(self, x):
        scores = self.forward(x)
        return scores.argmax(axis=1) if self.output == "softmax" else scores
    def train_step(self, x, y, lr):
        loss, grads = self.loss(x, y)
        for p, g in zip(self.params, grads):
            p -= lr * g
        return loss
def train_mlp(model, X, y, lr, epochs, batch_size, seed=0, X_val=None, y_val=None):
    rng = np.random.default_rng(seed)
    sets = {"train": (X, y)} if X_val is None else {"train": (X, y), "val": (X_val, y_val)}
    history = {}
    for epoch in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            model.train_step(X[batch], y[batch], lr)
        for split, (Xs, ys) in sets.items():
            scores = model.forward(Xs)
            history.setdefault(split + "_loss", []).append(model.data_loss(scores, ys)[0])
            if model.output == "softmax":
                history.setdefault(split + "_acc", []).append(np.mean(scores.argmax(1) == ys))
    return history
'''


def _mutate(old: str, new: str, *more: str) -> str:
    """_BASE with ``old`` replaced by ``new`` (and further (old, new) pairs in ``more``)."""
    source = _BASE
    pairs = [(old, new), *zip(more[0::2], more[1::2], strict=True)]
    for before, after in pairs:
        if before not in source:
            raise ValueError(f"variant pattern not found in the base implementation: {before!r}")
        source = source.replace(before, after, 1)
    return source


_RECORD = (
    "        for split, (Xs, ys) in sets.items():\n"
    "            scores = model.forward(Xs)\n"
    "            history.setdefault(split + \"_loss\", []).append(model.data_loss(scores, ys)[0])\n"
    "            if model.output == \"softmax\":\n"
    "                history.setdefault(split + \"_acc\", []).append(np.mean(scores.argmax(1) == ys))\n"
)


VARIANTS = {
    "06.dense": [
        ("dW transposed: δᵀ x",
         "def dense_forward(x, W, b):\n    return x @ W + b, (x, W)\n"
         "def dense_backward(dout, cache):\n    x, W = cache\n"
         "    return dout @ W.T, dout.T @ x, dout.sum(axis=0)\n"),
        ("db averaged over the batch",
         "def dense_forward(x, W, b):\n    return x @ W + b, (x, W)\n"
         "def dense_backward(dout, cache):\n    x, W = cache\n"
         "    return dout @ W.T, x.T @ dout, dout.mean(axis=0)\n"),
        ("db not summed: one row per example",
         "def dense_forward(x, W, b):\n    return x @ W + b, (x, W)\n"
         "def dense_backward(dout, cache):\n    x, W = cache\n"
         "    return dout @ W.T, x.T @ dout, dout\n"),
        ("forward forgets the bias",
         "def dense_forward(x, W, b):\n    return x @ W, (x, W)\n"
         "def dense_backward(dout, cache):\n    x, W = cache\n"
         "    return dout @ W.T, x.T @ dout, dout.sum(axis=0)\n"),
        ("dx without the transpose (shape error)",
         "def dense_forward(x, W, b):\n    return x @ W + b, (x, W)\n"
         "def dense_backward(dout, cache):\n    x, W = cache\n"
         "    return dout @ W, x.T @ dout, dout.sum(axis=0)\n"),
    ],
    "06.activation": [
        ("backward forgets dout",
         _ACT + "def activation_forward(x, name):\n    return _f(x, name), (x, name)\n"
         "def activation_backward(dout, cache):\n    x, name = cache\n    return _df(x, name)\n"),
        ("tanh′ as 1 − x²",
         _ACT + "def activation_forward(x, name):\n    return _f(x, name), (x, name)\n"
         "def activation_backward(dout, cache):\n    x, name = cache\n"
         "    if name == 'tanh':\n        return dout * (1 - x ** 2)\n"
         "    return dout * _df(x, name)\n"),
        ("relu′ = 1 at 0",
         _ACT + "def activation_forward(x, name):\n    return _f(x, name), (x, name)\n"
         "def activation_backward(dout, cache):\n    x, name = cache\n"
         "    if name == 'relu':\n        return dout * (x >= 0)\n"
         "    return dout * _df(x, name)\n"),
        ("uses the inverse function (seed 002's f⁻¹ typo) for the sigmoid",
         _ACT + "def activation_forward(x, name):\n    return _f(x, name), (x, name)\n"
         "def activation_backward(dout, cache):\n    x, name = cache\n"
         "    if name == 'sigmoid':\n        s = 1 / (1 + np.exp(-x))\n"
         "        return dout * s * (1 - x)\n"
         "    return dout * _df(x, name)\n"),
    ],
    "06.mse_loss": [
        ("gradient without the factor 2",
         "def mse_loss(a, y):\n    return float(np.mean((a - y) ** 2))\n"
         "def mse_loss_grad(a, y):\n    return (a - y) / a.size\n"),
        ("gradient without the 1/n",
         "def mse_loss(a, y):\n    return float(np.mean((a - y) ** 2))\n"
         "def mse_loss_grad(a, y):\n    return 2 * (a - y)\n"),
        ("gradient divided by the number of rows only",
         "def mse_loss(a, y):\n    return float(np.mean((a - y) ** 2))\n"
         "def mse_loss_grad(a, y):\n    return 2 * (a - y) / len(a)\n"),
        ("½ Σ (a − y)² loss (seed 000's convention)",
         "def mse_loss(a, y):\n    return float(0.5 * np.sum((a - y) ** 2))\n"
         "def mse_loss_grad(a, y):\n    return a - y\n"),
    ],
    "06.cross_entropy": [
        ("gradient without the 1/N",
         "def cross_entropy(z, y):\n    s = z - z.max(axis=1, keepdims=True)\n"
         "    lp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))\n"
         "    return float(-np.mean(lp[np.arange(len(y)), y]))\n"
         "def cross_entropy_grad(z, y):\n    e = np.exp(z - z.max(axis=1, keepdims=True))\n"
         "    g = e / e.sum(axis=1, keepdims=True)\n    g[np.arange(len(y)), y] -= 1\n"
         "    return g\n"),
        ("unstable softmax in the gradient",
         "def cross_entropy(z, y):\n    s = z - z.max(axis=1, keepdims=True)\n"
         "    lp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))\n"
         "    return float(-np.mean(lp[np.arange(len(y)), y]))\n"
         "def cross_entropy_grad(z, y):\n    e = np.exp(z)\n"
         "    g = e / e.sum(axis=1, keepdims=True)\n    g[np.arange(len(y)), y] -= 1\n"
         "    return g / len(y)\n"),
        ("loss summed over the batch",
         "def cross_entropy(z, y):\n    s = z - z.max(axis=1, keepdims=True)\n"
         "    lp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))\n"
         "    return float(-np.sum(lp[np.arange(len(y)), y]))\n"
         "def cross_entropy_grad(z, y):\n    e = np.exp(z - z.max(axis=1, keepdims=True))\n"
         "    g = e / e.sum(axis=1, keepdims=True)\n    g[np.arange(len(y)), y] -= 1\n"
         "    return g / len(y)\n"),
        ("gradient y − p",
         "def cross_entropy(z, y):\n    s = z - z.max(axis=1, keepdims=True)\n"
         "    lp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))\n"
         "    return float(-np.mean(lp[np.arange(len(y)), y]))\n"
         "def cross_entropy_grad(z, y):\n    e = np.exp(z - z.max(axis=1, keepdims=True))\n"
         "    g = -e / e.sum(axis=1, keepdims=True)\n    g[np.arange(len(y)), y] += 1\n"
         "    return g / len(y)\n"),
    ],
    "06.gradient_check": [
        ("forward difference (f(x + h) − f(x)) / h",
         "def numerical_gradient(f, x, h=1e-6):\n    x = x.copy()\n    g = np.zeros_like(x)\n"
         "    fx = f(x)\n"
         "    for i in range(x.size):\n        old = x.flat[i]\n        x.flat[i] = old + h\n"
         "        g.flat[i] = (f(x) - fx) / h\n        x.flat[i] = old\n    return g\n"
         "def relative_error(a, b):\n    s = np.max(np.abs(a) + np.abs(b))\n"
         "    return 0.0 if s == 0 else float(np.max(np.abs(a - b)) / s)\n"),
        ("central difference divided by h instead of 2h",
         "def numerical_gradient(f, x, h=1e-6):\n    x = x.copy()\n    g = np.zeros_like(x)\n"
         "    for i in range(x.size):\n        old = x.flat[i]\n        x.flat[i] = old + h\n"
         "        fp = f(x)\n        x.flat[i] = old - h\n        fm = f(x)\n"
         "        g.flat[i] = (fp - fm) / h\n        x.flat[i] = old\n    return g\n"
         "def relative_error(a, b):\n    s = np.max(np.abs(a) + np.abs(b))\n"
         "    return 0.0 if s == 0 else float(np.max(np.abs(a - b)) / s)\n"),
        ("nudges the caller's x and restores it by subtraction (x changes)",
         "def numerical_gradient(f, x, h=1e-6):\n    g = np.zeros_like(x)\n"
         "    for i in range(x.size):\n        x.flat[i] += h\n        fp = f(x)\n"
         "        x.flat[i] -= 2 * h\n        fm = f(x)\n        x.flat[i] += h\n"
         "        g.flat[i] = (fp - fm) / (2 * h)\n    return g\n"
         "def relative_error(a, b):\n    s = np.max(np.abs(a) + np.abs(b))\n"
         "    return 0.0 if s == 0 else float(np.max(np.abs(a - b)) / s)\n"),
        ("relative error entry by entry: 0/0 = NaN for zeros",
         "def numerical_gradient(f, x, h=1e-6):\n    x = x.copy()\n    g = np.zeros_like(x)\n"
         "    for i in range(x.size):\n        old = x.flat[i]\n        x.flat[i] = old + h\n"
         "        fp = f(x)\n        x.flat[i] = old - h\n        fm = f(x)\n"
         "        g.flat[i] = (fp - fm) / (2 * h)\n        x.flat[i] = old\n    return g\n"
         "def relative_error(a, b):\n"
         "    with np.errstate(all='ignore'):\n"
         "        return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))\n"),
        ("relative error scaled by max(|a|, |b|) instead of max(|a| + |b|)",
         "def numerical_gradient(f, x, h=1e-6):\n    x = x.copy()\n    g = np.zeros_like(x)\n"
         "    for i in range(x.size):\n        old = x.flat[i]\n        x.flat[i] = old + h\n"
         "        fp = f(x)\n        x.flat[i] = old - h\n        fm = f(x)\n"
         "        g.flat[i] = (fp - fm) / (2 * h)\n        x.flat[i] = old\n    return g\n"
         "def relative_error(a, b):\n    s = max(np.max(np.abs(a)), np.max(np.abs(b)))\n"
         "    return 0.0 if s == 0 else float(np.max(np.abs(a - b)) / s)\n"),
        ("ignores the h argument",
         "def numerical_gradient(f, x, h=1e-6):\n    x = x.copy()\n    g = np.zeros_like(x)\n"
         "    for i in range(x.size):\n        old = x.flat[i]\n        x.flat[i] = old + 1e-2\n"
         "        fp = f(x)\n        x.flat[i] = old - 1e-2\n        fm = f(x)\n"
         "        g.flat[i] = (fp - fm) / 2e-2\n        x.flat[i] = old\n    return g\n"
         "def relative_error(a, b):\n    s = np.max(np.abs(a) + np.abs(b))\n"
         "    return 0.0 if s == 0 else float(np.max(np.abs(a - b)) / s)\n"),
        ("ignores the h argument: always its default 1e-6",
         "def numerical_gradient(f, x, h=1e-6):\n"
         "    h = 1e-6\n"
         "    x = x.copy()\n"
         "    g = np.zeros_like(x)\n"
         "    for i in range(x.size):\n"
         "        old = x.flat[i]\n"
         "        x.flat[i] = old + h\n"
         "        fp = f(x)\n"
         "        x.flat[i] = old - h\n"
         "        fm = f(x)\n"
         "        g.flat[i] = (fp - fm) / (2 * h)\n"
         "        x.flat[i] = old\n"
         "    return g\n"
         "def relative_error(a, b):\n"
         "    s = np.max(np.abs(a) + np.abs(b))\n"
         "    return 0.0 if s == 0 else float(np.max(np.abs(a - b)) / s)\n"),
    ],
    "06.mlp": [
        ("weight decay on the biases too",
         _mutate("            grads[2 * l + 1] = db\n",
                 "            grads[2 * l + 1] = db + self.weight_decay * self.params[2 * l + 1]\n")),
        ("loss without the penalty term",
         _mutate("        return loss + self.penalty(), grads\n", "        return loss, grads\n")),
        ("decay gradient 2λW",
         _mutate("            grads[2 * l] = dW + self.weight_decay * self.params[2 * l]\n",
                 "            grads[2 * l] = dW + 2 * self.weight_decay * self.params[2 * l]\n")),
        ("activation after the output layer too",
         _mutate("            if l < L - 1:\n                a, c = activation_forward(",
                 "            if True:\n                a, c = activation_forward(")),
        ("backward skips the activation derivative",
         _mutate("                delta = activation_backward(delta, caches[2 * l + 1])\n",
                 "                pass\n")),
        ("train_step leaves the biases alone",
         _mutate("        for p, g in zip(self.params, grads):\n",
                 "        for p, g in zip(self.params[0::2], grads[0::2]):\n")),
        ("predict returns the scores for a classifier",
         _mutate("        return scores.argmax(axis=1) if self.output == \"softmax\" else scores\n",
                 "        return scores\n")),
        ("initial weights from a normal distribution, not uniform(±1/√fan_in)",
         _mutate("rng.uniform(-bound, bound, (fan_in, fan_out))", "rng.normal(0.0, bound, (fan_in, fan_out))")),
        ("the seed ignored: always default_rng(0)",
         _mutate("rng = np.random.default_rng(seed)", "rng = np.random.default_rng(0)")),
        ("every W drawn before the biases",
         _mutate("            self.params += [rng.uniform(-bound, bound, (fan_in, fan_out)),\n"
                 "                            rng.uniform(-bound, bound, fan_out)]\n",
                 "            self.params += [rng.uniform(-bound, bound, (fan_in, fan_out)), None]\n"
                 "        for i, n in enumerate(layer_sizes[1:]):\n"
                 "            self.params[2 * i + 1] = rng.uniform(-1 / np.sqrt(layer_sizes[i]), "
                 "1 / np.sqrt(layer_sizes[i]), n)\n")),
        ("the default activation is tanh, not relu",
         _mutate('activation="relu", output="softmax"', 'activation="tanh", output="softmax"')),
    ],
    "06.train_mlp": [
        ("never shuffles",
         _mutate("        order = rng.permutation(len(X))\n", "        order = np.arange(len(X))\n")),
        ("drops the last, smaller batch",
         _mutate("        for start in range(0, len(X), batch_size):\n",
                 "        for start in range(0, len(X) - batch_size + 1, batch_size):\n")),
        ("the same permutation every epoch",
         _mutate("        order = rng.permutation(len(X))\n",
                 "        order = np.random.default_rng(seed).permutation(len(X))\n")),
        ("records the loss with the weight-decay term",
         _mutate("history.setdefault(split + \"_loss\", []).append(model.data_loss(scores, ys)[0])",
                 "history.setdefault(split + \"_loss\", []).append("
                 "model.data_loss(scores, ys)[0] + model.penalty())")),
        ("records the history before the epoch's steps",
         _mutate(_RECORD + "    return history\n", "    return history\n",
                 "        order = rng.permutation(len(X))\n",
                 _RECORD + "        order = rng.permutation(len(X))\n")),
        ("shuffles X but not y",
         _mutate("            model.train_step(X[batch], y[batch], lr)\n",
                 "            model.train_step(X[batch], y[start:start + batch_size], lr)\n")),
    ],
}
