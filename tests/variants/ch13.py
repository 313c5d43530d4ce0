"""Plausible mistakes for chapter 13's exercises (recurrent networks)."""

_RNN_BACKWARD = '''
def rnn_step_backward(dh, cache):
    x, h_prev, Wx, Wh, h = cache
    da = dh * (1 - h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
'''

_RNN_FORWARD = '''
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h = np.tanh(x @ Wx + h_prev @ Wh + b)
    return h, (x, h_prev, Wx, Wh, h)
'''

_STEP_PAIR = _RNN_FORWARD + _RNN_BACKWARD


def _bptt(forward: str, backward: str) -> str:
    return _STEP_PAIR + forward + backward


_SEQ_FORWARD = '''
def rnn_forward(xs, h0, Wx, Wh, b):
    hs, caches, h = [], [], h0
    for x in xs:
        h, cache = rnn_step_forward(x, h, Wx, Wh, b)
        hs.append(h)
        caches.append(cache)
    return np.stack(hs), caches
'''

_LSTM = '''
def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    s = lambda v: 1 / (1 + np.exp(-v))
    {gates}
    c = {cell}
    h = {hidden}
    return h, c, None
'''


def _lstm(gates: str = "i, f, g, o = s(a[:, :H]), s(a[:, H:2*H]), np.tanh(a[:, 2*H:3*H]), "
                       "s(a[:, 3*H:])",
          cell: str = "f * c_prev + i * g", hidden: str = "o * np.tanh(c)") -> str:
    return _LSTM.format(gates=gates, cell=cell, hidden=hidden)


_GRU = '''
def gru_step_forward(x, h_prev, Wx, Wh, b_x, b_h, convention="seed"):
    H = h_prev.shape[1]
    s = lambda v: 1 / (1 + np.exp(-v))
    ax = x @ Wx + b_x
    ah = h_prev @ Wh + b_h
    r = s(ax[:, :H] + ah[:, :H])
    z = s(ax[:, H:2*H] + ah[:, H:2*H])
    if convention == "torch":
        n = np.tanh(ax[:, 2*H:] + {torch_n})
        h = {torch_h}
    else:
        n = np.tanh(ax[:, 2*H:] + {seed_n})
        h = {seed_h}
    return h, None
'''


def _gru(torch_n: str = "r * ah[:, 2*H:]", torch_h: str = "(1 - z) * n + z * h_prev",
         seed_n: str = "(r * h_prev) @ Wh[:, 2*H:] + b_h[2*H:]",
         seed_h: str = "(1 - z) * h_prev + z * n") -> str:
    return _GRU.format(torch_n=torch_n, torch_h=torch_h, seed_n=seed_n, seed_h=seed_h)


_CLIP = '''
def clip_grad_norm(grads, max_norm, norm_type=2.0):
    if norm_type == float("inf"):
        total = max(float(np.abs(g).max()) for g in grads)
    else:
        total = float(sum(float((np.abs(g) ** norm_type).sum()) for g in grads)) ** (1 / norm_type)
    {scale}
    return [g * coef for g in grads], total
'''


def _edit_1tm(source: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in source, f"variant edit: {old!r} not found"
        source = source.replace(old, new)
    return source


ONE_TO_MANY = """
def one_to_many(x, h0, Wx, Wh, b, V, c, steps):
    h = h0
    ys = []
    for t in range(steps):
        x_t = x if t == 0 else np.zeros_like(x)
        h = np.tanh(x_t @ Wx + h @ Wh + b)
        ys.append(h @ V + c)
    return np.stack(ys)
"""

VARIANTS = {
    "13.rnn_step": [
        ("backward scales dh in place (dh *= 1 − h²)",
         _RNN_FORWARD + "def rnn_step_backward(dh, cache):\n    x, h_prev, Wx, Wh, h = cache\n"
         "    dh *= 1 - h ** 2\n"
         "    return dh @ Wx.T, dh @ Wh.T, x.T @ dh, h_prev.T @ dh, dh.sum(axis=0)\n"),
        ("forgets the bias",
         _RNN_BACKWARD + "def rnn_step_forward(x, h_prev, Wx, Wh, b):\n"
         "    h = np.tanh(x @ Wx + h_prev @ Wh)\n    return h, (x, h_prev, Wx, Wh, h)\n"),
        ("sigmoid instead of tanh",
         _RNN_BACKWARD + "def rnn_step_forward(x, h_prev, Wx, Wh, b):\n"
         "    h = 1 / (1 + np.exp(-(x @ Wx + h_prev @ Wh + b)))\n"
         "    return h, (x, h_prev, Wx, Wh, h)\n"),
        ("backward skips the tanh derivative",
         _RNN_FORWARD + "def rnn_step_backward(dh, cache):\n    x, h_prev, Wx, Wh, h = cache\n"
         "    return dh @ Wx.T, dh @ Wh.T, x.T @ dh, h_prev.T @ dh, dh.sum(axis=0)\n"),
        ("tanh derivative written as 1 − tanh(h)²",
         _RNN_FORWARD + "def rnn_step_backward(dh, cache):\n    x, h_prev, Wx, Wh, h = cache\n"
         "    da = dh * (1 - np.tanh(h) ** 2)\n"
         "    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)\n"),
        ("dWh from the new state instead of the previous one",
         _RNN_FORWARD + "def rnn_step_backward(dh, cache):\n    x, h_prev, Wx, Wh, h = cache\n"
         "    da = dh * (1 - h ** 2)\n"
         "    return da @ Wx.T, da @ Wh.T, x.T @ da, h.T @ da, da.sum(axis=0)\n"),
        ("db averaged over the batch",
         _RNN_FORWARD + "def rnn_step_backward(dh, cache):\n    x, h_prev, Wx, Wh, h = cache\n"
         "    da = dh * (1 - h ** 2)\n"
         "    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.mean(axis=0)\n"),
    ],
    "13.rnn_bptt": [
        ("ignores the error coming back from step t + 1",
         _bptt(_SEQ_FORWARD, '''
def rnn_backward(dhs, caches):
    dxs, dWx, dWh, db = [], 0, 0, 0
    dh_prev = None
    for t in reversed(range(len(caches))):
        dx, dh_prev, a, b_, c = rnn_step_backward(dhs[t], caches[t])
        dxs.insert(0, dx)
        dWx, dWh, db = dWx + a, dWh + b_, db + c
    return np.stack(dxs), dh_prev, dWx, dWh, db
''')),
        ("keeps only the last step's weight gradients",
         _bptt(_SEQ_FORWARD, '''
def rnn_backward(dhs, caches):
    dxs, dh_next = [], np.zeros_like(dhs[0])
    for t in reversed(range(len(caches))):
        dx, dh_next, dWx, dWh, db = rnn_step_backward(dhs[t] + dh_next, caches[t])
        dxs.insert(0, dx)
    return np.stack(dxs), dh_next, dWx, dWh, db
''')),
        ("walks forward in time",
         _bptt(_SEQ_FORWARD, '''
def rnn_backward(dhs, caches):
    dxs, dWx, dWh, db = [], 0, 0, 0
    dh_next = np.zeros_like(dhs[0])
    for t in range(len(caches)):
        dx, dh_next, a, b_, c = rnn_step_backward(dhs[t] + dh_next, caches[t])
        dxs.append(dx)
        dWx, dWh, db = dWx + a, dWh + b_, db + c
    return np.stack(dxs), dh_next, dWx, dWh, db
''')),
        ("forward restarts from h0 at every step",
         _bptt('''
def rnn_forward(xs, h0, Wx, Wh, b):
    hs, caches = [], []
    for x in xs:
        h, cache = rnn_step_forward(x, h0, Wx, Wh, b)
        hs.append(h)
        caches.append(cache)
    return np.stack(hs), caches
''', '''
def rnn_backward(dhs, caches):
    dxs, dWx, dWh, db = [], 0, 0, 0
    dh_next = np.zeros_like(dhs[0])
    for t in reversed(range(len(caches))):
        dx, dh_next, a, b_, c = rnn_step_backward(dhs[t] + dh_next, caches[t])
        dxs.insert(0, dx)
        dWx, dWh, db = dWx + a, dWh + b_, db + c
    return np.stack(dxs), dh_next, dWx, dWh, db
''')),
    ],
    "13.lstm_step": [
        ("updates the cell in place (c_prev *= f; c_prev += i·g)",
         _lstm(cell="c_prev\n    c_prev *= f\n    c_prev += i * g")),
        ("gates in the order i, f, o, g",
         _lstm(gates="i, f, o, g = s(a[:, :H]), s(a[:, H:2*H]), s(a[:, 2*H:3*H]), "
                     "np.tanh(a[:, 3*H:])")),
        ("forgets the input gate", _lstm(cell="f * c_prev + g")),
        ("no tanh on the cell in the output", _lstm(hidden="o * c")),
        ("candidate through a sigmoid",
         _lstm(gates="i, f, g, o = s(a[:, :H]), s(a[:, H:2*H]), s(a[:, 2*H:3*H]), "
                     "s(a[:, 3*H:])")),
        ("forget gate applied to the candidate", _lstm(cell="i * c_prev + f * g")),
    ],
    "13.gru_step": [
        ("seed convention with torch's z (z keeps the old state)",
         _gru(seed_h="z * h_prev + (1 - z) * n")),
        ("torch convention with the seed's z", _gru(torch_h="(1 - z) * h_prev + z * n")),
        ("seed convention applies r after the weights",
         _gru(seed_n="r * (h_prev @ Wh[:, 2*H:] + b_h[2*H:])")),
        ("torch convention leaves the hidden bias outside r",
         _gru(torch_n="r * (h_prev @ Wh[:, 2*H:]) + b_h[2*H:]")),
        ("ignores the convention (always the seed's)",
         _gru(torch_n="(r * h_prev) @ Wh[:, 2*H:] + b_h[2*H:]",
              torch_h="(1 - z) * h_prev + z * n")),
    ],
    "13.clip_grad_norm": [
        ("clips each gradient by its own norm",
         "def clip_grad_norm(grads, max_norm, norm_type=2.0):\n"
         "    out = [g * min(1.0, max_norm / (np.linalg.norm(g) + 1e-6)) for g in grads]\n"
         "    total = float(np.sqrt(sum((g ** 2).sum() for g in grads)))\n"
         "    return out, total\n"),
        ("always rescales to max_norm, even short gradients",
         _CLIP.format(scale="coef = max_norm / (total + 1e-6)")),
        ("returns the norm after clipping",
         "def clip_grad_norm(grads, max_norm, norm_type=2.0):\n"
         "    total = float(np.sqrt(sum((g ** 2).sum() for g in grads)))\n"
         "    coef = min(1.0, max_norm / (total + 1e-6))\n"
         "    return [g * coef for g in grads], total * coef\n"),
        ("ignores norm_type", "def clip_grad_norm(grads, max_norm, norm_type=2.0):\n"
         "    total = float(np.sqrt(sum((g ** 2).sum() for g in grads)))\n"
         "    coef = min(1.0, max_norm / (total + 1e-6))\n"
         "    return [g * coef for g in grads], total\n"),
        ("every p other than 1 and ∞ treated as 2",
         "def clip_grad_norm(grads, max_norm, norm_type=2.0):\n"
         "    if norm_type == float('inf'):\n"
         "        total = max(float(np.abs(g).max()) for g in grads)\n"
         "    elif norm_type == 1:\n"
         "        total = float(sum(np.abs(g).sum() for g in grads))\n"
         "    else:\n"
         "        total = float(np.sqrt(sum((g ** 2).sum() for g in grads)))\n"
         "    coef = min(1.0, max_norm / (total + 1e-6))\n"
         "    return [g * coef for g in grads], total\n"),
        ("clips every entry to ±max_norm (clipping by value)",
         "def clip_grad_norm(grads, max_norm, norm_type=2.0):\n"
         "    total = float(np.sqrt(sum((g ** 2).sum() for g in grads)))\n"
         "    return [np.clip(g, -max_norm, max_norm) for g in grads], total\n"),
    ],
    "13.one_to_many": [
        ("feeds x at every step", _edit_1tm(ONE_TO_MANY, ("x if t == 0 else np.zeros_like(x)", "x"))),
        ("forgets the output bias", _edit_1tm(ONE_TO_MANY, ("ys.append(h @ V + c)", "ys.append(h @ V)"))),
        ("starts from zeros instead of h0", _edit_1tm(ONE_TO_MANY, ("    h = h0\n", "    h = np.zeros_like(h0)\n"))),
        ("reads the state before the step",
         _edit_1tm(ONE_TO_MANY, ("        h = np.tanh(x_t @ Wx + h @ Wh + b)\n        ys.append(h @ V + c)\n",
                             "        ys.append(h @ V + c)\n        h = np.tanh(x_t @ Wx + h @ Wh + b)\n"))),
        ("returns the states, not the outputs", _edit_1tm(ONE_TO_MANY, ("ys.append(h @ V + c)", "ys.append(h)"))),
        ("x only from the second step on", _edit_1tm(ONE_TO_MANY, ("x if t == 0 else", "x if t == 1 else"))),
    ],
}
