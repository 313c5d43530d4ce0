"""Plausible mistakes for chapter 01's exercises."""

VARIANTS = {
    "01.neuron_forward": [
        ("forgets the bias", "def neuron_forward(X, w, b):\n    return X @ w\n"),
        ("subtracts the bias", "def neuron_forward(X, w, b):\n    return X @ w - b\n"),
        ("keeps a column axis", "def neuron_forward(X, w, b):\n    return (X @ w + b)[:, None]\n"),
        ("column-format confusion: X.T @ w",
         "def neuron_forward(X, w, b):\n    return X.T @ w + b\n"),
        ("adds the bias to every weight", "def neuron_forward(X, w, b):\n    return X @ (w + b)\n"),
    ],
    "01.step": [
        ("fires at zero", "def step(z):\n    return np.where(z >= 0, 1.0, 0.0)\n"),
        ("returns the sign", "def step(z):\n    return np.where(z > 0, 1.0, -1.0)\n"),
        ("uses np.sign", "def step(z):\n    return np.sign(z)\n"),
        ("heaviside with 1 at zero", "def step(z):\n    return np.heaviside(z, 1.0)\n"),
        ("returns the booleans z > 0, not the numbers 0.0 and 1.0",
         "def step(z):\n    return z > 0\n"),
        ("a Python loop over z: only a 1-D z works",
         "def step(z):\n    return np.array([1.0 if v > 0 else 0.0 for v in z])\n"),
        ("round(σ(z)): σ of a tiny positive z is 0.5, which rounds to 0",
         "def step(z):\n"
         "    return np.round(1 / (1 + np.exp(-z)))\n"),
    ],
    "01.sign": [
        ("uses np.sign (0 at zero)", "def sign(z):\n    return np.sign(z)\n"),
        ("+1 at zero", "def sign(z):\n    return np.where(z >= 0, 1.0, -1.0)\n"),
        ("returns the step", "def sign(z):\n    return np.where(z > 0, 1.0, 0.0)\n"),
        ("flipped", "def sign(z):\n    return np.where(z > 0, -1.0, 1.0)\n"),
        ("a Python loop over z: only a 1-D z works",
         "def sign(z):\n    return np.array([1.0 if v > 0 else -1.0 for v in z])\n"),
    ],
    "01.perceptron_update": [
        ("strict inequality: misses boundary points",
         "def perceptron_update(w, b, x, y, lr=1.0):\n"
         "    if y * (x @ w + b) < 0:\n        return w + lr * y * x, b + lr * y\n"
         "    return w, b\n"),
        ("moves the wrong way",
         "def perceptron_update(w, b, x, y, lr=1.0):\n"
         "    if y * (x @ w + b) <= 0:\n        return w - lr * y * x, b - lr * y\n"
         "    return w, b\n"),
        ("forgets the learning rate",
         "def perceptron_update(w, b, x, y, lr=1.0):\n"
         "    if y * (x @ w + b) <= 0:\n        return w + y * x, b + y\n"
         "    return w, b\n"),
        ("never updates the bias",
         "def perceptron_update(w, b, x, y, lr=1.0):\n"
         "    if y * (x @ w + b) <= 0:\n        return w + lr * y * x, b\n"
         "    return w, b\n"),
        ("updates on every example",
         "def perceptron_update(w, b, x, y, lr=1.0):\n    return w + lr * y * x, b + lr * y\n"),
        ("updates w in place (w += ...): the caller's weights change too",
         "def perceptron_update(w, b, x, y, lr=1.0):\n"
         "    if y * (x @ w + b) <= 0:\n        w += lr * y * x\n        b += lr * y\n"
         "    return w, b\n"),
        ("compares a 0/1 prediction with y ∈ {−1, +1}: every negative example counts as a mistake",
         "def perceptron_update(w, b, x, y, lr=1.0):\n"
         "    pred = 1.0 if x @ w + b > 0 else 0.0\n"
         "    if pred != y:\n"
         "        return w + lr * y * x, b + lr * y\n"
         "    return w, b\n"),
    ],
    "01.train_perceptron": [
        ("never stops early",
         "def train_perceptron(X, y, lr=1.0, max_epochs=100):\n"
         "    w, b, updates = np.zeros(X.shape[1]), 0.0, []\n"
         "    for _ in range(max_epochs):\n        count = 0\n"
         "        for x_i, y_i in zip(X, y):\n"
         "            if y_i * (x_i @ w + b) <= 0:\n"
         "                w, b, count = w + lr * y_i * x_i, b + lr * y_i, count + 1\n"
         "        updates.append(count)\n"
         "    return w, b, np.array(updates)\n"),
        ("does not record the final quiet epoch",
         "def train_perceptron(X, y, lr=1.0, max_epochs=100):\n"
         "    w, b, updates = np.zeros(X.shape[1]), 0.0, []\n"
         "    for _ in range(max_epochs):\n        count = 0\n"
         "        for x_i, y_i in zip(X, y):\n"
         "            if y_i * (x_i @ w + b) <= 0:\n"
         "                w, b, count = w + lr * y_i * x_i, b + lr * y_i, count + 1\n"
         "        if count == 0:\n            break\n"
         "        updates.append(count)\n"
         "    return w, b, np.array(updates)\n"),
        ("starts from w = 1",
         "def train_perceptron(X, y, lr=1.0, max_epochs=100):\n"
         "    w, b, updates = np.ones(X.shape[1]), 0.0, []\n"
         "    for _ in range(max_epochs):\n        count = 0\n"
         "        for x_i, y_i in zip(X, y):\n"
         "            if y_i * (x_i @ w + b) <= 0:\n"
         "                w, b, count = w + lr * y_i * x_i, b + lr * y_i, count + 1\n"
         "        updates.append(count)\n"
         "        if count == 0:\n            break\n"
         "    return w, b, np.array(updates)\n"),
        ("visits the examples in reverse order",
         "def train_perceptron(X, y, lr=1.0, max_epochs=100):\n"
         "    w, b, updates = np.zeros(X.shape[1]), 0.0, []\n"
         "    for _ in range(max_epochs):\n        count = 0\n"
         "        for x_i, y_i in zip(X[::-1], y[::-1]):\n"
         "            if y_i * (x_i @ w + b) <= 0:\n"
         "                w, b, count = w + lr * y_i * x_i, b + lr * y_i, count + 1\n"
         "        updates.append(count)\n"
         "        if count == 0:\n            break\n"
         "    return w, b, np.array(updates)\n"),
    ],
    "01.logic_gate_weights": [
        ("NAND for every gate",
         "def logic_gate_weights(gate):\n    return np.array([-2.0, -2.0]), 3.0\n"),
        ("AND and OR swapped",
         "def logic_gate_weights(gate):\n"
         "    table = {'AND': (np.array([1.0, 1.0]), -0.5), 'OR': (np.array([1.0, 1.0]), -1.5),\n"
         "             'NAND': (np.array([-2.0, -2.0]), 3.0), 'NOR': (np.array([-1.0, -1.0]), 0.5)}\n"
         "    return table.get(gate)\n"),
        ("claims weights for XOR",
         "def logic_gate_weights(gate):\n"
         "    table = {'AND': (np.array([1.0, 1.0]), -1.5), 'OR': (np.array([1.0, 1.0]), -0.5),\n"
         "             'NAND': (np.array([-2.0, -2.0]), 3.0), 'NOR': (np.array([-1.0, -1.0]), 0.5),\n"
         "             'XOR': (np.array([1.0, 1.0]), -0.5)}\n"
         "    return table.get(gate)\n"),
        ("NOR with the bias on the wrong side",
         "def logic_gate_weights(gate):\n"
         "    table = {'AND': (np.array([1.0, 1.0]), -1.5), 'OR': (np.array([1.0, 1.0]), -0.5),\n"
         "             'NAND': (np.array([-2.0, -2.0]), 3.0), 'NOR': (np.array([-1.0, -1.0]), -0.5)}\n"
         "    return table.get(gate)\n"),
    ],
}
