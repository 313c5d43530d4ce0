"""Plausible mistakes for chapter 07's exercises.

Each mistake is a small edit of a correct solution (``_edit`` checks that the edited text is
really there), so a variant differs from a right answer in exactly the way its description says.
"""

from __future__ import annotations


def _edit(source: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in source, f"variant edit: {old!r} not found"
        source = source.replace(old, new)
    return source


# ---------------------------------------------------------------- linear regression

REGRESSION = """
def linear_regression_loss(X, y, w):
    r = X @ w - y
    return float(r @ r) / (2 * len(y))


def linear_regression_grad(X, y, w):
    return X.T @ (X @ w - y) / len(y)
"""

BATCH = """
def batch_gradient_descent(X, y, lr, epochs, w0=None):
    n = len(y)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    losses = [float((X @ w - y) @ (X @ w - y)) / (2 * n)]
    for _ in range(epochs):
        w = w - lr * X.T @ (X @ w - y) / n
        losses.append(float((X @ w - y) @ (X @ w - y)) / (2 * n))
    return w, np.array(losses)
"""

SGD = """
def sgd(X, y, lr, epochs, seed=0, w0=None):
    n = len(y)
    rng = np.random.default_rng(seed)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    losses = [float((X @ w - y) @ (X @ w - y)) / (2 * n)]
    for _ in range(epochs):
        for i in rng.permutation(n):
            w = w - lr * X[i] * (X[i] @ w - y[i])
            losses.append(float((X @ w - y) @ (X @ w - y)) / (2 * n))
    return w, np.array(losses)
"""

MINIBATCH = """
def minibatch_sgd(X, y, lr, epochs, batch_size, seed=0, w0=None):
    n = len(y)
    rng = np.random.default_rng(seed)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    losses = [float((X @ w - y) @ (X @ w - y)) / (2 * n)]
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            w = w - lr * X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
            losses.append(float((X @ w - y) @ (X @ w - y)) / (2 * n))
    return w, np.array(losses)
"""

# ---------------------------------------------------------------- optimizer classes

MOMENTUM = """
class Momentum:
    def __init__(self, params, lr=1e-3, momentum=0.9):
        self.params, self.lr, self.momentum = params, lr, momentum
        self.b = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, b in zip(self.params, grads, self.b):
            b[...] = self.momentum * b + g
            p -= self.lr * b
"""

NESTEROV = """
class Nesterov:
    def __init__(self, params, lr=1e-3, momentum=0.9):
        self.params, self.lr, self.momentum = params, lr, momentum
        self.b = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, b in zip(self.params, grads, self.b):
            b[...] = self.momentum * b + g
            p -= self.lr * (g + self.momentum * b)
"""

ADAGRAD = """
class AdaGrad:
    def __init__(self, params, lr=1e-2, eps=1e-10, initial_accumulator_value=0.0):
        self.params, self.lr, self.eps = params, lr, eps
        self.G = [np.full_like(p, initial_accumulator_value) for p in params]

    def step(self, grads):
        for p, g, G in zip(self.params, grads, self.G):
            G += g * g
            p -= self.lr * g / (np.sqrt(G) + self.eps)
"""

ADADELTA = """
class AdaDelta:
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6):
        self.params, self.lr, self.rho, self.eps = params, lr, rho, eps
        self.v = [np.zeros_like(p) for p in params]
        self.u = [np.zeros_like(p) for p in params]

    def step(self, grads):
        rho = self.rho
        for p, g, v, u in zip(self.params, grads, self.v, self.u):
            v[...] = rho * v + (1 - rho) * g * g
            delta = np.sqrt(u + self.eps) / np.sqrt(v + self.eps) * g
            u[...] = rho * u + (1 - rho) * delta * delta
            p -= self.lr * delta
"""

RMSPROP = """
class RMSProp:
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        self.params, self.lr, self.alpha, self.eps = params, lr, alpha, eps
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, g, v in zip(self.params, grads, self.v):
            v[...] = self.alpha * v + (1 - self.alpha) * g * g
            p -= self.lr * g / (np.sqrt(v) + self.eps)
"""

ADAM = """
class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        b1, b2 = self.betas
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            m_hat = m / (1 - b1 ** self.t)
            v_hat = v / (1 - b2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
"""

AMSGRAD = """
class AMSGrad:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.v_max = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        b1, b2 = self.betas
        for p, g, m, v, v_max in zip(self.params, grads, self.m, self.v, self.v_max):
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            v_max[...] = np.maximum(v_max, v)
            m_hat = m / (1 - b1 ** self.t)
            v_hat = v_max / (1 - b2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
"""

ADAMAX = """
class AdaMax:
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = [np.zeros_like(p) for p in params]
        self.u = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        b1, b2 = self.betas
        for p, g, m, u in zip(self.params, grads, self.m, self.u):
            m[...] = b1 * m + (1 - b1) * g
            u[...] = np.maximum(b2 * u, np.abs(g) + self.eps)
            p -= self.lr / (1 - b1 ** self.t) * m / u
"""

NADAM = """
class NAdam:
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.momentum_decay = momentum_decay
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.mu_product = 1.0
        self.t = 0

    def mu(self, t):
        b1 = self.betas[0]
        if self.momentum_decay is None:
            return b1
        return b1 * (1 - 0.5 * 0.96 ** (t * self.momentum_decay))

    def step(self, grads):
        self.t += 1
        b1, b2 = self.betas
        mu_t, mu_next = self.mu(self.t), self.mu(self.t + 1)
        self.mu_product *= mu_t
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m[...] = b1 * m + (1 - b1) * g
            v[...] = b2 * v + (1 - b2) * g * g
            denom = np.sqrt(v / (1 - b2 ** self.t)) + self.eps
            p -= self.lr * (1 - mu_t) / (1 - self.mu_product) * g / denom
            p -= self.lr * mu_next / (1 - self.mu_product * mu_next) * m / denom
"""



UPDATES = """
def updates_per_epoch(n, batch_size, drop_last=False):
    full, rest = divmod(n, batch_size)
    return full + (1 if rest and not drop_last else 0)
"""

TARGET = """
import math


def epochs_to_target(losses, epochs, target):
    for loss, epoch in zip(losses, epochs):
        if loss <= target:
            return float(epoch)
    return math.inf
"""

VARIANTS = {
    "07.linear_regression": [
        ("loss without the ½", _edit(REGRESSION, ("(2 * len(y))", "len(y)"))),
        ("gradient without the 1/n", _edit(REGRESSION, ("(X @ w - y) / len(y)", "(X @ w - y)"))),
        ("residual y − Xw in the gradient: wrong sign",
         _edit(REGRESSION, ("X.T @ (X @ w - y)", "X.T @ (y - X @ w)"))),
        ("loss summed, not averaged", _edit(REGRESSION, ("(2 * len(y))", "2"))),
        ("gradient w.r.t. the predictions, not the weights",
         _edit(REGRESSION, ("X.T @ (X @ w - y) / len(y)", "(X @ w - y)[:len(w)] / len(y)"))),
    ],
    "07.batch_gradient_descent": [
        ("steps uphill", _edit(BATCH, ("w = w - lr", "w = w + lr"))),
        ("forgets the loss at the start",
         _edit(BATCH, ("losses = [float((X @ w - y) @ (X @ w - y)) / (2 * n)]", "losses = []"))),
        ("gradient summed over the examples, not averaged",
         _edit(BATCH, ("(X @ w - y) / n\n", "(X @ w - y)\n"))),
        ("ignores w0", _edit(BATCH, ("if w0 is None else np.array(w0, dtype=float)", ""))),
        ("one epoch too many", _edit(BATCH, ("range(epochs)", "range(epochs + 1)"))),
    ],
    "07.sgd": [
        ("never shuffles: visits the rows in order",
         _edit(SGD, ("rng.permutation(n)", "range(n)"))),
        ("a new generator every epoch: the same order each time",
         _edit(SGD, ("    for _ in range(epochs):\n",
                     "    for _ in range(epochs):\n        rng = np.random.default_rng(seed)\n"))),
        ("records the loss once per epoch",
         _edit(SGD, ("            losses.append", "        losses.append"))),
        ("gradient of the summed loss: n times too large",
         _edit(SGD, ("w = w - lr * X[i]", "w = w - lr * n * X[i]"))),
        ("draws examples with replacement",
         _edit(SGD, ("rng.permutation(n)", "rng.integers(0, n, n)"))),
    ],
    "07.minibatch_sgd": [
        ("divides by batch_size even for the smaller last batch",
         _edit(MINIBATCH, ("/ len(idx)", "/ batch_size"))),
        ("drops the last, smaller batch",
         _edit(MINIBATCH, ("range(0, n, batch_size)", "range(0, n - batch_size + 1, batch_size)"))),
        ("sums the batch gradient instead of averaging it",
         _edit(MINIBATCH, (" / len(idx)", ""))),
        ("shuffles once, before the first epoch",
         _edit(MINIBATCH, ("    for _ in range(epochs):\n        order = rng.permutation(n)\n",
                           "    order = rng.permutation(n)\n    for _ in range(epochs):\n"))),
        ("records the loss only at the end of each epoch",
         _edit(MINIBATCH, ("            losses.append", "        losses.append"))),
    ],
    "07.momentum": [
        ("adds the velocity: steps uphill", _edit(MOMENTUM, ("p -= self.lr * b", "p += self.lr * b"))),
        ("an exponential average b ← μb + (1 − μ)g",
         _edit(MOMENTUM, ("self.momentum * b + g", "self.momentum * b + (1 - self.momentum) * g"))),
        ("learning rate inside the velocity and again in the step",
         _edit(MOMENTUM, ("self.momentum * b + g", "self.momentum * b + self.lr * g"))),
        ("steps with the gradient, not the velocity",
         _edit(MOMENTUM, ("p -= self.lr * b", "p -= self.lr * g"))),
        ("rebinds p instead of changing it in place",
         _edit(MOMENTUM, ("p -= self.lr * b", "p = p - self.lr * b"))),
    ],
    "07.nesterov": [
        ("plain momentum, no look-ahead",
         _edit(NESTEROV, ("p -= self.lr * (g + self.momentum * b)", "p -= self.lr * b"))),
        ("look-ahead with the old velocity",
         _edit(NESTEROV, ("            b[...] = self.momentum * b + g\n"
                          "            p -= self.lr * (g + self.momentum * b)\n",
                          "            p -= self.lr * (g + self.momentum * b)\n"
                          "            b[...] = self.momentum * b + g\n"))),
        ("forgets the gradient term of the step",
         _edit(NESTEROV, ("(g + self.momentum * b)", "(self.momentum * b)"))),
        ("momentum squared in the look-ahead",
         _edit(NESTEROV, ("(g + self.momentum * b)", "(g + self.momentum ** 2 * b)"))),
    ],
    "07.adagrad": [
        ("ε inside the square root", _edit(ADAGRAD, ("np.sqrt(G) + self.eps", "np.sqrt(G + self.eps)"))),
        ("divides by G, not √G", _edit(ADAGRAD, ("np.sqrt(G) + self.eps", "G + self.eps"))),
        ("accumulates |g| instead of g²", _edit(ADAGRAD, ("G += g * g", "G += np.abs(g)"))),
        ("ignores the initial accumulator value",
         _edit(ADAGRAD, ("np.full_like(p, initial_accumulator_value)", "np.zeros_like(p)"))),
        ("updates G after the step",
         _edit(ADAGRAD, ("            G += g * g\n            p -= self.lr * g / (np.sqrt(G) + self.eps)\n",
                         "            p -= self.lr * g / (np.sqrt(G) + self.eps)\n"
                         "            G += g * g\n"))),
    ],
    "07.adadelta": [
        ("ε outside the square roots",
         _edit(ADADELTA, ("np.sqrt(u + self.eps) / np.sqrt(v + self.eps)",
                          "(np.sqrt(u) + self.eps) / (np.sqrt(v) + self.eps)"))),
        ("updates u before computing the step",
         _edit(ADADELTA, ("            delta = np.sqrt(u + self.eps) / np.sqrt(v + self.eps) * g\n"
                          "            u[...] = rho * u + (1 - rho) * delta * delta\n",
                          "            u[...] = rho * u + (1 - rho) * g * g\n"
                          "            delta = np.sqrt(u + self.eps) / np.sqrt(v + self.eps) * g\n"))),
        ("ignores the learning rate", _edit(ADADELTA, ("p -= self.lr * delta", "p -= delta"))),
        ("running averages without the (1 − ρ)",
         _edit(ADADELTA, ("v[...] = rho * v + (1 - rho) * g * g", "v[...] = rho * v + g * g"))),
    ],
    "07.rmsprop": [
        ("ε inside the square root", _edit(RMSPROP, ("np.sqrt(v) + self.eps", "np.sqrt(v + self.eps)"))),
        ("the decay applied to the new gradient",
         _edit(RMSPROP, ("self.alpha * v + (1 - self.alpha) * g * g",
                         "(1 - self.alpha) * v + self.alpha * g * g"))),
        ("divides by v, not √v", _edit(RMSPROP, ("np.sqrt(v) + self.eps", "v + self.eps"))),
        ("AdaGrad's sum instead of a running average",
         _edit(RMSPROP, ("self.alpha * v + (1 - self.alpha) * g * g", "v + g * g"))),
    ],
    "07.adam": [
        ("no bias correction", _edit(ADAM, ("/ (1 - b1 ** self.t)", ""), ("/ (1 - b2 ** self.t)", ""))),
        ("bias corrections one step ahead: t + 1 for t",
         _edit(ADAM, ("b1 ** self.t", "b1 ** (self.t + 1)"), ("b2 ** self.t", "b2 ** (self.t + 1)"))),
        ("ε inside the square root",
         _edit(ADAM, ("np.sqrt(v_hat) + self.eps", "np.sqrt(v_hat + self.eps)"))),
        ("second moment from |g| instead of g²",
         _edit(ADAM, ("(1 - b2) * g * g", "(1 - b2) * np.abs(g)"))),
        ("betas swapped", _edit(ADAM, ("b1, b2 = self.betas", "b2, b1 = self.betas"))),
    ],
    "07.amsgrad": [
        ("plain Adam: no running maximum", _edit(AMSGRAD, ("v_hat = v_max /", "v_hat = v /"))),
        ("maximum of the bias-corrected v̂ (not torch's form)",
         _edit(AMSGRAD, ("            v_max[...] = np.maximum(v_max, v)\n", ""),
               ("v_hat = v_max / (1 - b2 ** self.t)",
                "v_max[...] = np.maximum(v_max, v / (1 - b2 ** self.t))\n            v_hat = v_max"))),
        ("running maximum of the gradients instead of v",
         _edit(AMSGRAD, ("np.maximum(v_max, v)", "np.maximum(v_max, g * g)"))),
        ("no bias correction on the maximum",
         _edit(AMSGRAD, ("v_hat = v_max / (1 - b2 ** self.t)", "v_hat = v_max"))),
    ],
    "07.adamax": [
        ("ε outside the maximum (the paper's form plus ε in the division)",
         _edit(ADAMAX, ("np.maximum(b2 * u, np.abs(g) + self.eps)", "np.maximum(b2 * u, np.abs(g))"),
               ("m / u", "m / (u + self.eps)"))),
        ("no bias correction", _edit(ADAMAX, (" / (1 - b1 ** self.t)", ""))),
        ("β₂ not applied to the old maximum",
         _edit(ADAMAX, ("np.maximum(b2 * u,", "np.maximum(u,"))),
        ("bias-corrects u as well",
         _edit(ADAMAX, ("m / u", "m / (u / (1 - b2 ** self.t))"))),
    ],
    "07.nadam": [
        ("plain Adam",
         _edit(NADAM, ("            p -= self.lr * (1 - mu_t) / (1 - self.mu_product) * g / denom\n"
                       "            p -= self.lr * mu_next / (1 - self.mu_product * mu_next) * m / denom\n",
                       "            p -= self.lr * m / (1 - b1 ** self.t) / denom\n"))),
        ("constant momentum β₁ even with a momentum_decay",
         _edit(NADAM, ("if self.momentum_decay is None:", "if True:"))),
        ("uses μ_t where μ_{t+1} belongs",
         _edit(NADAM, ("mu_t, mu_next = self.mu(self.t), self.mu(self.t + 1)",
                       "mu_t, mu_next = self.mu(self.t), self.mu(self.t)"))),
        ("forgets the product Π_t: divides by 1 − μ_t",
         _edit(NADAM, ("(1 - mu_t) / (1 - self.mu_product)", "(1 - mu_t) / (1 - mu_t)"),
               ("(1 - self.mu_product * mu_next)", "(1 - mu_next)"))),
        ("no bias correction of v",
         _edit(NADAM, ("np.sqrt(v / (1 - b2 ** self.t))", "np.sqrt(v)"))),
    ],
    "07.updates_per_epoch": [
        ("n // B: forgets the last, smaller batch",
         "def updates_per_epoch(n, batch_size, drop_last=False):\n    return n // batch_size\n"),
        ("(n + B) // B: one too many when B divides n",
         "def updates_per_epoch(n, batch_size, drop_last=False):\n"
         "    return (n + batch_size) // batch_size - (1 if drop_last and n % batch_size else 0)\n"),
        ("ignores drop_last", _edit(UPDATES, ("if rest and not drop_last", "if rest"))),
        ("n / B, a float", "import math\n\n\ndef updates_per_epoch(n, batch_size, drop_last=False):\n"
                          "    return n / batch_size if drop_last else math.ceil(n / batch_size)\n"),
    ],
    "07.epochs_to_target": [
        ("strictly below the target", _edit(TARGET, ("if loss <= target", "if loss < target"))),
        ("returns the index, not the epoch",
         _edit(TARGET, ("    for loss, epoch in zip(losses, epochs):\n        if loss <= target:\n"
                        "            return float(epoch)",
                        "    for i, loss in enumerate(losses):\n        if loss <= target:\n"
                        "            return float(i)"))),
        ("the last time below the target",
         _edit(TARGET, ("zip(losses, epochs)", "reversed(list(zip(losses, epochs)))"))),
        ("never reached gives the last epoch", _edit(TARGET, ("return math.inf", "return float(epochs[-1])"))),
        ("a NaN loss counts as reached", _edit(TARGET, ("if loss <= target", "if not loss > target"))),
    ],
}
