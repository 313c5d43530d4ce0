"""Plausible mistakes for chapter 05's exercises (the worked back-propagation example)."""

# A correct forward pass that the wrong gradients below build on, so each variant has exactly
# one mistake: returns (out_h, out_o) as arrays of 2.
_FWD = (
    "def _fwd(x, w, b):\n"
    "    out_h = 1 / (1 + np.exp(-(w[:4].reshape(2, 2) @ x + b[0])))\n"
    "    out_o = 1 / (1 + np.exp(-(w[4:].reshape(2, 2) @ out_h + b[1])))\n"
    "    return out_h, out_o\n"
)


def _forward(net_h2="w[2] * x[0] + w[3] * x[1] + b[0]", out_o1="1 / (1 + np.exp(-net_o1))",
             net_o1="w[4] * out_h1 + w[5] * out_h2 + b[1]", out_h1="1 / (1 + np.exp(-net_h1))",
             net_h1="w[0] * x[0] + w[1] * x[1] + b[0]") -> str:
    return (
        "def forward(x, w, b):\n"
        f"    net_h1 = {net_h1}\n"
        f"    net_h2 = {net_h2}\n"
        f"    out_h1 = {out_h1}\n"
        "    out_h2 = 1 / (1 + np.exp(-net_h2))\n"
        f"    net_o1 = {net_o1}\n"
        "    net_o2 = w[6] * out_h1 + w[7] * out_h2 + b[1]\n"
        f"    out_o1 = {out_o1}\n"
        "    out_o2 = 1 / (1 + np.exp(-net_o2))\n"
        "    return {'net_h1': net_h1, 'net_h2': net_h2, 'out_h1': out_h1, 'out_h2': out_h2,\n"
        "            'net_o1': net_o1, 'net_o2': net_o2, 'out_o1': out_o1, 'out_o2': out_o2}\n"
    )


def _grads() -> str:
    return _FWD + (
        "def _grad(x, target, w, b):\n"
        "    out_h, out_o = _fwd(x, w, b)\n"
        "    d_o = (out_o - target) * out_o * (1 - out_o)\n"
        "    d_h = (d_o @ w[4:].reshape(2, 2)) * out_h * (1 - out_h)\n"
        "    return np.concatenate([np.outer(d_h, x).ravel(), np.outer(d_o, out_h).ravel()])\n"
    )


def _update(body: str) -> str:
    return _grads() + "def update_step(x, target, w, b, lr):\n" + body


def _train(body: str) -> str:
    return _grads() + (
        "def _err(x, target, w, b):\n"
        "    return 0.5 * np.sum((target - _fwd(x, w, b)[1]) ** 2)\n"
        "def train(x, target, w, b, lr, steps):\n"
    ) + body


VARIANTS = {
    "05.forward": [
        ("the output layer transposed: o1 gets w5 and w7",
         _forward(net_o1="w[4] * out_h1 + w[6] * out_h2 + b[1]").replace(
             "net_o2 = w[6] * out_h1 + w[7] * out_h2 + b[1]",
             "net_o2 = w[5] * out_h1 + w[7] * out_h2 + b[1]")),
        ("the seed's misprint: out_o1 = 1/(1 + e^(+net_o1))",
         _forward(out_o1="1 / (1 + np.exp(net_o1))")),
        ("net_h2 reuses w1 and w2", _forward(net_h2="w[0] * x[0] + w[1] * x[1] + b[0]")),
        ("the output layer reads net_h instead of out_h",
         _forward(net_o1="w[4] * net_h1 + w[5] * net_h2 + b[1]")),
        ("forgets the hidden sigmoid on h1", _forward(out_h1="net_h1")),
        ("the output layer uses b1", _forward(net_o1="w[4] * out_h1 + w[5] * out_h2 + b[0]")),
        ("column-major weights: h1 gets w1 and w3",
         _forward(net_h1="w[0] * x[0] + w[2] * x[1] + b[0]")),
    ],
    "05.total_error": [
        ("forgets the ½", "def total_error(target, output):\n"
                          "    return float(np.sum((target - output) ** 2))\n"),
        ("averages instead of summing", "def total_error(target, output):\n"
                                        "    return float(0.5 * np.mean((target - output) ** 2))\n"),
        ("squares the sum", "def total_error(target, output):\n"
                            "    return float(0.5 * np.sum(target - output) ** 2)\n"),
        ("absolute error", "def total_error(target, output):\n"
                           "    return float(0.5 * np.sum(np.abs(target - output)))\n"),
    ],
    "05.w5_chain_factors": [
        ("target − out: the sign of the first factor", _FWD + (
            "def w5_chain_factors(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    return target[0] - out_o[0], out_o[0] * (1 - out_o[0]), out_h[0]\n")),
        ("σ' written as net(1 − net)", _FWD + (
            "def w5_chain_factors(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    net = w[4] * out_h[0] + w[5] * out_h[1] + b[1]\n"
            "    return out_o[0] - target[0], net * (1 - net), out_h[0]\n")),
        ("∂net_o1/∂w5 taken as w5", _FWD + (
            "def w5_chain_factors(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    return out_o[0] - target[0], out_o[0] * (1 - out_o[0]), w[4]\n")),
        ("∂net_o1/∂w5 taken as out_h2", _FWD + (
            "def w5_chain_factors(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    return out_o[0] - target[0], out_o[0] * (1 - out_o[0]), out_h[1]\n")),
        ("σ' taken as σ", _FWD + (
            "def w5_chain_factors(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    return out_o[0] - target[0], out_o[0], out_h[0]\n")),
    ],
    "05.output_layer_gradients": [
        ("w6 and w7 swapped (outer product the wrong way round)", _FWD + (
            "def output_layer_gradients(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    d_o = (out_o - target) * out_o * (1 - out_o)\n"
            "    return np.outer(out_h, d_o).ravel()\n")),
        ("forgets σ'(net_o)", _FWD + (
            "def output_layer_gradients(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    return np.outer(out_o - target, out_h).ravel()\n")),
        ("target − out: gradients with the wrong sign", _FWD + (
            "def output_layer_gradients(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    d_o = (target - out_o) * out_o * (1 - out_o)\n"
            "    return np.outer(d_o, out_h).ravel()\n")),
        ("multiplies by the input x instead of out_h", _FWD + (
            "def output_layer_gradients(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    d_o = (out_o - target) * out_o * (1 - out_o)\n"
            "    return np.outer(d_o, x).ravel()\n")),
    ],
    "05.hidden_layer_gradients": [
        ("only o1's error flows back", _FWD + (
            "def hidden_layer_gradients(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    d_o = (out_o - target) * out_o * (1 - out_o)\n"
            "    d_h = d_o[0] * w[4:6] * out_h * (1 - out_h)\n"
            "    return np.outer(d_h, x).ravel()\n")),
        ("output weights not transposed (w5, w6 for h1)", _FWD + (
            "def hidden_layer_gradients(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    d_o = (out_o - target) * out_o * (1 - out_o)\n"
            "    d_h = (w[4:].reshape(2, 2) @ d_o) * out_h * (1 - out_h)\n"
            "    return np.outer(d_h, x).ravel()\n")),
        ("forgets σ'(net_h)", _FWD + (
            "def hidden_layer_gradients(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    d_o = (out_o - target) * out_o * (1 - out_o)\n"
            "    return np.outer(d_o @ w[4:].reshape(2, 2), x).ravel()\n")),
        ("forgets σ'(net_o) in δ_o", _FWD + (
            "def hidden_layer_gradients(x, target, w, b):\n"
            "    out_h, out_o = _fwd(x, w, b)\n"
            "    d_o = out_o - target\n"
            "    d_h = (d_o @ w[4:].reshape(2, 2)) * out_h * (1 - out_h)\n"
            "    return np.outer(d_h, x).ravel()\n")),
    ],
    "05.update_step": [
        ("goes uphill", _update("    return w + lr * _grad(x, target, w, b)\n")),
        ("forgets the learning rate", _update("    return w - _grad(x, target, w, b)\n")),
        ("hidden gradients from the already-updated w5..w8", _update(
            "    w = w.copy()\n"
            "    w[4:] = w[4:] - lr * _grad(x, target, w, b)[4:]\n"
            "    w[:4] = w[:4] - lr * _grad(x, target, w, b)[:4]\n"
            "    return w\n")),
        ("updates only the output layer", _update(
            "    g = _grad(x, target, w, b)\n"
            "    g[:4] = 0.0\n"
            "    return w - lr * g\n")),
        ("updates w in place (w -= ...): the caller's weights change too", _update(
            "    g = _grad(x, target, w, b)\n"
            "    w -= lr * g\n"
            "    return w\n")),
    ],
    "05.train": [
        ("no final error: only steps entries", _train(
            "    errors = []\n"
            "    for _ in range(steps):\n"
            "        errors.append(_err(x, target, w, b))\n"
            "        w = w - lr * _grad(x, target, w, b)\n"
            "    return w, np.array(errors)\n")),
        ("records the error after each update, not before", _train(
            "    errors = []\n"
            "    for _ in range(steps):\n"
            "        w = w - lr * _grad(x, target, w, b)\n"
            "        errors.append(_err(x, target, w, b))\n"
            "    return w, np.array(errors)\n")),
        ("always steps from the starting weights", _train(
            "    errors, w_new = [], w\n"
            "    for _ in range(steps):\n"
            "        errors.append(_err(x, target, w, b))\n"
            "        w_new = w - lr * _grad(x, target, w, b)\n"
            "    errors.append(_err(x, target, w, b))\n"
            "    return w_new, np.array(errors)\n")),
        ("one step too many", _train(
            "    errors = []\n"
            "    for _ in range(steps + 1):\n"
            "        errors.append(_err(x, target, w, b))\n"
            "        w = w - lr * _grad(x, target, w, b)\n"
            "    return w, np.array(errors)\n")),
    ],
}
