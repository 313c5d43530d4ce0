"""Plausible mistakes for chapter 03's exercises (activation functions and derivatives)."""

_STABLE_SIGMOID = (
    "def sigmoid(x):\n"
    "    e = np.exp(-np.abs(x))\n"
    "    return np.where(x >= 0, 1.0, e) / (1.0 + e)\n"
)

VARIANTS = {
    "03.sigmoid": [
        ("naive formula overflows for x ≪ 0",
         "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n"
         "def sigmoid_grad(x):\n    s = sigmoid(x)\n    return s * (1 - s)\n"),
        ("np.where with both branches evaluated: exp overflows in the unused one",
         "def sigmoid(x):\n"
         "    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))\n"
         "def sigmoid_grad(x):\n    s = sigmoid(x)\n    return s * (1 - s)\n"),
        ("derivative σ(x)(1 − x)",
         _STABLE_SIGMOID + "def sigmoid_grad(x):\n    return sigmoid(x) * (1 - x)\n"),
        ("derivative 1 − σ² (tanh's pattern)",
         _STABLE_SIGMOID + "def sigmoid_grad(x):\n    return 1 - sigmoid(x) ** 2\n"),
        ("sign flipped in the exponent",
         "def sigmoid(x):\n    e = np.exp(-np.abs(x))\n"
         "    return np.where(x >= 0, e, 1.0) / (1.0 + e)\n"
         "def sigmoid_grad(x):\n    s = sigmoid(x)\n    return s * (1 - s)\n"),
    ],
    "03.tanh": [
        ("naive formula: inf/inf for large |x|",
         "def tanh(x):\n    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))\n"
         "def tanh_grad(x):\n    return 1 - np.tanh(x) ** 2\n"),
        ("derivative 1 − tanh (square forgotten)",
         "def tanh(x):\n    return np.tanh(x)\n"
         "def tanh_grad(x):\n    return 1 - np.tanh(x)\n"),
        ("derivative 1 − x²",
         "def tanh(x):\n    return np.tanh(x)\n"
         "def tanh_grad(x):\n    return 1 - x ** 2\n"),
        ("derivative of the sigmoid's shape, t(1 − t)",
         "def tanh(x):\n    return np.tanh(x)\n"
         "def tanh_grad(x):\n    t = np.tanh(x)\n    return t * (1 - t)\n"),
    ],
    "03.softsign": [
        ("no absolute value: x/(1 + x)",
         "def softsign(x):\n    return x / (1 + x)\n"
         "def softsign_grad(x):\n    return 1 / (1 + np.abs(x)) ** 2\n"),
        ("derivative not squared",
         "def softsign(x):\n    return x / (1 + np.abs(x))\n"
         "def softsign_grad(x):\n    return 1 / (1 + np.abs(x))\n"),
        ("precedence: x/|x| + 1",
         "def softsign(x):\n    return x / np.abs(x) + 1\n"
         "def softsign_grad(x):\n    return 1 / (1 + np.abs(x)) ** 2\n"),
        ("derivative with x in the numerator",
         "def softsign(x):\n    return x / (1 + np.abs(x))\n"
         "def softsign_grad(x):\n    return x / (1 + np.abs(x)) ** 2\n"),
    ],
    "03.relu": [
        ("the derivative as booleans (x > 0), not the numbers 0.0 and 1.0",
         "def relu(x):\n    return np.maximum(x, 0.0)\n"
         "def relu_grad(x):\n    return x > 0\n"),
        ("derivative 1 at the kink",
         "def relu(x):\n    return np.maximum(x, 0.0)\n"
         "def relu_grad(x):\n    return np.where(x >= 0, 1.0, 0.0)\n"),
        ("derivative as np.sign: −1 for negative inputs",
         "def relu(x):\n    return np.maximum(x, 0.0)\n"
         "def relu_grad(x):\n    return np.sign(x)\n"),
        ("absolute value instead of max(0, x)",
         "def relu(x):\n    return np.abs(x)\n"
         "def relu_grad(x):\n    return np.where(x > 0, 1.0, 0.0)\n"),
        ("derivative returns the output",
         "def relu(x):\n    return np.maximum(x, 0.0)\n"
         "def relu_grad(x):\n    return np.maximum(x, 0.0)\n"),
    ],
    "03.leaky_relu": [
        ("ignores alpha (always 0.01)",
         "def leaky_relu(x, alpha=0.01):\n    return np.where(x > 0, x, 0.01 * x)\n"
         "def leaky_relu_grad(x, alpha=0.01):\n    return np.where(x > 0, 1.0, 0.01)\n"),
        ("derivative 1 at the kink",
         "def leaky_relu(x, alpha=0.01):\n    return np.where(x > 0, x, alpha * x)\n"
         "def leaky_relu_grad(x, alpha=0.01):\n    return np.where(x >= 0, 1.0, alpha)\n"),
        ("slope on the wrong side",
         "def leaky_relu(x, alpha=0.01):\n    return np.where(x > 0, alpha * x, x)\n"
         "def leaky_relu_grad(x, alpha=0.01):\n    return np.where(x > 0, alpha, 1.0)\n"),
        ("derivative α·x instead of α",
         "def leaky_relu(x, alpha=0.01):\n    return np.where(x > 0, x, alpha * x)\n"
         "def leaky_relu_grad(x, alpha=0.01):\n    return np.where(x > 0, 1.0, alpha * x)\n"),
        ("the default α is 0.1, not 0.01",
         "def leaky_relu(x, alpha=0.1):\n"
         "    return np.where(x > 0, x, alpha * x)\n"
         "def leaky_relu_grad(x, alpha=0.1):\n"
         "    return np.where(x > 0, 1.0, alpha)\n"),
    ],
    "03.prelu": [
        ("∂f/∂α = 1 on the negative side",
         "def prelu(x, alpha):\n    return np.where(x > 0, x, alpha * x)\n"
         "def prelu_grad(x, alpha):\n    return np.where(x > 0, 1.0, alpha)\n"
         "def prelu_alpha_grad(x):\n    return np.where(x > 0, 0.0, 1.0)\n"),
        ("∂f/∂α on the wrong side",
         "def prelu(x, alpha):\n    return np.where(x > 0, x, alpha * x)\n"
         "def prelu_grad(x, alpha):\n    return np.where(x > 0, 1.0, alpha)\n"
         "def prelu_alpha_grad(x):\n    return np.where(x > 0, x, 0.0)\n"),
        ("one α per row instead of per column",
         "def prelu(x, alpha):\n    a = np.asarray(alpha, dtype=float)\n"
         "    a = a[:, None] if a.ndim == 1 else a\n"
         "    return np.where(x > 0, x, a * x)\n"
         "def prelu_grad(x, alpha):\n    a = np.asarray(alpha, dtype=float)\n"
         "    a = a[:, None] if a.ndim == 1 else a\n"
         "    return np.where(x > 0, 1.0, a)\n"
         "def prelu_alpha_grad(x):\n    return np.where(x > 0, 0.0, x)\n"),
        ("∂f/∂x = 1 at the kink",
         "def prelu(x, alpha):\n    return np.where(x > 0, x, alpha * x)\n"
         "def prelu_grad(x, alpha):\n    return np.where(x >= 0, 1.0, alpha)\n"
         "def prelu_alpha_grad(x):\n    return np.where(x > 0, 0.0, x)\n"),
    ],
    "03.softplus": [
        ("naive ln(1 + eˣ) overflows",
         "def softplus(x):\n    return np.log(1 + np.exp(x))\n"
         "def softplus_grad(x):\n    return 1 / (1 + np.exp(-np.abs(x))) * (x >= 0) + "
         "np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))) * (x < 0)\n"),
        ("log1p(exp(x)) still overflows",
         "def softplus(x):\n    return np.log1p(np.exp(x))\n"
         "def softplus_grad(x):\n    e = np.exp(-np.abs(x))\n"
         "    return np.where(x >= 0, 1.0, e) / (1.0 + e)\n"),
        ("max(x, 0) + log1p(exp(−x)) without the absolute value",
         "def softplus(x):\n    return np.maximum(x, 0) + np.log1p(np.exp(-x))\n"
         "def softplus_grad(x):\n    e = np.exp(-np.abs(x))\n"
         "    return np.where(x >= 0, 1.0, e) / (1.0 + e)\n"),
        ("derivative σ(−x)",
         "def softplus(x):\n    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))\n"
         "def softplus_grad(x):\n    e = np.exp(-np.abs(x))\n"
         "    return np.where(x >= 0, e, 1.0) / (1.0 + e)\n"),
        ("derivative as the naive eˣ/(1 + eˣ): inf/inf",
         "def softplus(x):\n    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))\n"
         "def softplus_grad(x):\n    return np.exp(x) / (1 + np.exp(x))\n"),
    ],
    "03.softmax": [
        ("no max subtraction: overflows",
         "def softmax(z, axis=-1):\n    e = np.exp(z)\n    return e / e.sum(axis=axis, keepdims=True)\n"
         "def softmax_jacobian(z):\n    p = softmax(z)\n"
         "    return p[..., :, None] * (np.eye(z.shape[-1]) - p[..., None, :])\n"),
        ("ignores the axis argument",
         "def softmax(z, axis=-1):\n    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
         "    return e / e.sum(axis=-1, keepdims=True)\n"
         "def softmax_jacobian(z):\n    p = softmax(z)\n"
         "    return p[..., :, None] * (np.eye(z.shape[-1]) - p[..., None, :])\n"),
        ("subtracts the minimum instead of the maximum",
         "def softmax(z, axis=-1):\n    e = np.exp(z - z.min(axis=axis, keepdims=True))\n"
         "    return e / e.sum(axis=axis, keepdims=True)\n"
         "def softmax_jacobian(z):\n    p = softmax(z)\n"
         "    return p[..., :, None] * (np.eye(z.shape[-1]) - p[..., None, :])\n"),
        ("Jacobian is only diag(p)",
         "def softmax(z, axis=-1):\n    e = np.exp(z - z.max(axis=axis, keepdims=True))\n"
         "    return e / e.sum(axis=axis, keepdims=True)\n"
         "def softmax_jacobian(z):\n    p = softmax(z)\n"
         "    return p[..., :, None] * np.eye(z.shape[-1])\n"),
        ("Jacobian with a plus sign: diag(p) + p pᵀ",
         "def softmax(z, axis=-1):\n    e = np.exp(z - z.max(axis=axis, keepdims=True))\n"
         "    return e / e.sum(axis=axis, keepdims=True)\n"
         "def softmax_jacobian(z):\n    p = softmax(z)\n"
         "    return p[..., :, None] * (np.eye(z.shape[-1]) + p[..., None, :])\n"),
        ("subtracts the global maximum: a row far below it underflows to 0/0",
         "def softmax(z, axis=-1):\n    e = np.exp(z - z.max())\n"
         "    return e / e.sum(axis=axis, keepdims=True)\n"
         "def softmax_jacobian(z):\n    p = softmax(z)\n"
         "    return p[..., :, None] * (np.eye(z.shape[-1]) - p[..., None, :])\n"),
    ],
    "03.dead_units": [
        ("np.any: dead on some example", "def dead_units(z):\n    return np.any(z <= 0, axis=0)\n"),
        ("z < 0: forgets that z = 0 is inactive", "def dead_units(z):\n    return np.all(z < 0, axis=0)\n"),
        ("over the examples' axis", "def dead_units(z):\n    return np.all(z <= 0, axis=1)\n"),
        ("marks the living units", "def dead_units(z):\n    return ~np.all(z <= 0, axis=0)\n"),
        ("inactive on most examples", "def dead_units(z):\n    return np.mean(z <= 0, axis=0) > 0.5\n"),
        ("0/1 integers instead of booleans (as an index they pick positions 0 and 1)",
         "def dead_units(z):\n"
         "    return np.all(z <= 0, axis=0).astype(int)\n"),
        ("np.isclose to test for zero: a unit that fires only just counts as dead",
         "def dead_units(z):\n"
         "    return np.all(np.isclose(np.maximum(z, 0), 0), axis=0)\n"),
        ("active on fewer than 10 % of the examples",
         "def dead_units(z):\n"
         "    return np.mean(z > 0, axis=0) < 0.1\n"),
    ],
}
