"""Plausible mistakes for chapter 16's exercises (imbalance, gradients, model selection,
saving)."""

_TARGETS = '''
def _targets(y, counts, fill):
    classes, have = np.unique(y, return_counts=True)
    want = {{int(c): int(fill(have)) for c in classes}}
    if counts is not None:
        want.update(counts)
    return classes, dict(zip(classes.tolist(), have.tolist())), want
'''

_UNDER = _TARGETS + '''
def random_undersample(X, y, seed=0, *, counts=None):
    rng = np.random.default_rng(seed)
    classes, have, want = _targets(y, counts, {fill})
    keep = []
    for c in classes:
        rows = np.flatnonzero(y == c)
        keep.append({pick})
    keep = np.sort(np.concatenate(keep))
    return X[keep], {labels}
'''


def _under(fill: str = "np.min", pick: str = "rng.choice(rows, want[int(c)], replace=False)",
           labels: str = "y[keep]") -> str:
    return _UNDER.format(fill=fill, pick=pick, labels=labels)


_OVER = _TARGETS + '''
def random_oversample(X, y, seed=0, *, counts=None):
    rng = np.random.default_rng(seed)
    classes, have, want = _targets(y, counts, {fill})
    X_out, y_out = [X], [y]
    for c in classes:
        extra = want[int(c)] - have[int(c)]
        rows = {rows}
        pick = {pick}
        X_out.append({new_rows})
        y_out.append(np.full(extra, c))
    return np.concatenate(X_out), np.concatenate(y_out)
'''


def _over(fill: str = "np.max", rows: str = "np.flatnonzero(y == c)",
          pick: str = "rng.choice(rows, extra, replace=True)", new_rows: str = "X[pick]") -> str:
    return _OVER.format(fill=fill, rows=rows, pick=pick, new_rows=new_rows)


_SMOTE = _TARGETS + '''
def smote(X, y, k=5, seed=0, *, counts=None):
    rng = np.random.default_rng(seed)
    classes, have, want = _targets(y, counts, np.max)
    X_out, y_out = [X], [y]
    for c in classes:
        extra = want[int(c)] - have[int(c)]
        if extra == 0:
            continue
        members = X[y == c]
        pool = {pool}
        d2 = ((members[:, None, :] - pool[None, :, :]) ** 2).sum(axis=-1)
        {self_exclusion}
        nn = np.argsort(d2, axis=1)[:, :k]
        base = rng.integers(0, len(members), extra)
        partner = pool[{partner}]
        u = {u}
        X_out.append(members[base] + u * (partner - members[base]))
        y_out.append(np.full(extra, c))
    return np.concatenate(X_out), np.concatenate(y_out)
'''


def _smote(pool: str = "members", self_exclusion: str = "np.fill_diagonal(d2, np.inf)",
           partner: str = "nn[base, rng.integers(0, k, extra)]",
           u: str = "rng.random((extra, 1))") -> str:
    return _SMOTE.format(pool=pool, self_exclusion=self_exclusion, partner=partner, u=u)


_GRADS = '''
def layer_gradient_norms(x, weights, biases, activation, dout):
    f = {{"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
         "relu": lambda z: np.maximum(z, 0)}}[activation]
    def df(z):
        if activation == "sigmoid":
            s = 1 / (1 + np.exp(-z))
            return s * (1 - s)
        if activation == "tanh":
            return 1 - np.tanh(z) ** 2
        return (z > 0).astype(float)
    L = len(weights)
    hs, zs = [x], []
    for l, (W, b) in enumerate(zip(weights, biases)):
        z = hs[-1] @ W + b
        zs.append(z)
        hs.append({last_act})
    norms = np.zeros(L)
    delta = {start}
    for l in reversed(range(L)):
        norms[l] = np.linalg.norm({grad})
        if l > 0:
            delta = {step}
    return {ret}
'''


def _grads(last_act: str = "f(z) if l < L - 1 else z", grad: str = "hs[l].T @ delta",
           step: str = "(delta @ weights[l].T) * df(zs[l - 1])", ret: str = "norms",
           start: str = "dout") -> str:
    return _GRADS.format(last_act=last_act, grad=grad, step=step, ret=ret, start=start)


_KFOLD = '''
def kfold_indices(n, k, shuffle=False, seed=None):
    order = np.random.RandomState(seed).permutation(n) if {use_shuffle} else np.arange(n)
    sizes = {sizes}
    splits, start = [], 0
    for size in sizes:
        val = np.sort(order[start:start + size])
        train = {train}
        splits.append((train, val))
        start += size
    return splits
'''


def _kfold(use_shuffle: str = "shuffle",
           sizes: str = "[n // k + (1 if i < n % k else 0) for i in range(k)]",
           train: str = "np.setdiff1d(np.arange(n), val)") -> str:
    return _KFOLD.format(use_shuffle=use_shuffle, sizes=sizes, train=train)


_GRID = '''
def grid_search(objective, grid, maximize=False):
    import itertools
    names = list(grid)
    results = []
    for combo in {combos}:
        params = dict(zip(names, combo))
        results.append((params, objective(**params)))
    scores = [s for _, s in results]
    best = {best}
    return results[best][0], results[best][1], results
'''


def _grid(combos: str = "itertools.product(*grid.values())",
          best: str = "int(np.argmax(scores) if maximize else np.argmin(scores))") -> str:
    return _GRID.format(combos=combos, best=best)


_RANDOM = '''
def random_search(objective, space, n_trials, seed=0, maximize=False):
    rng = {rng}
    def draw(spec):
        if isinstance(spec, list):
            return spec[int(rng.integers(len(spec)))]
        low, high, scale = spec
        if scale == "log"{log_condition}:
            return float(np.exp(rng.uniform(np.log(low), np.log(high))))
        return float(rng.uniform(low, high))
    results = []
    {fixed}
    for _ in range(n_trials):
        params = {params}
        results.append((params, objective(**params)))
    scores = [s for _, s in results]
    best = {best}
    return results[best][0], results[best][1], results
'''


def _random(rng: str = "np.random.default_rng(seed)", log_condition: str = "",
            fixed: str = "", params: str = "{name: draw(spec) for name, spec in space.items()}",
            best: str = "int(np.argmax(scores) if maximize else np.argmin(scores))") -> str:
    return _RANDOM.format(rng=rng, log_condition=log_condition, fixed=fixed, params=params,
                          best=best)


_SAVE = "def save_weights(model, path):\n    torch.save(model.state_dict(), path)\n"

VARIANTS = {
    "16.random_undersample": [
        ("shuffles the caller's X and y in place first",
         _under().replace("    rng = np.random.default_rng(seed)\n",
                          "    rng = np.random.default_rng(seed)\n"
                          "    order = rng.permutation(len(y))\n"
                          "    X[:] = X[order]\n    y[:] = y[order]\n")),
        ("samples with replacement", _under(pick="rng.choice(rows, want[int(c)], replace=True)")),
        ("keeps the first rows of each class (not random)", _under(pick="rows[:want[int(c)]]")),
        ("ignores counts (always balances)",
         _under(pick="rng.choice(rows, int(min(have.values())), replace=False)")),
        ("labels not kept with their rows", _under(labels="np.sort(y[keep])")),
        ("unseeded generator", _under().replace("np.random.default_rng(seed)",
                                                "np.random.default_rng()")),
    ],
    "16.random_oversample": [
        ("copies rows of any class", _over(rows="np.arange(len(y))")),
        ("always copies the first row of the class (not random)",
         _over(pick="np.repeat(rows[:1], extra)")),
        ("adds noise instead of copies",
         _over(new_rows="X[pick] + 0.01 * rng.normal(size=X[pick].shape)")),
        ("fills every class up to the largest plus one", _over(fill="lambda h: np.max(h) + 1")),
    ],
    "16.smote": [
        ("neighbours searched among all rows, not only the class", _smote(pool="X")),
        ("a row may be its own neighbour", _smote(self_exclusion="pass")),
        ("u from U(0, 2): extrapolates past the neighbour", _smote(u="2 * rng.random((extra, 1))")),
        ("partner is any row of the class, not a near neighbour",
         _smote(partner="rng.integers(0, len(members), extra)")),
        ("copies rows (random oversampling)", _smote(u="np.zeros((extra, 1))")),
        ("one u shared by every new row", _smote(u="rng.random()")),
        ("always the nearest neighbour (ignores k)", _smote(partner="nn[base, 0]")),
        ("u drawn from [0, 1/2): new rows only in the half of the segment next to x",
         "def smote(X, y, k=5, seed=0, *, counts=None):\n"
         "    \"\"\"SMOTE: grow each class to ``counts[c]`` rows (without counts: to the largest class's\n"
         "    size) with synthetic rows x + u·(x_nn − x), x a random row of the class, x_nn one of its k\n"
         "    nearest neighbours within the class (not x itself), u ~ U(0, 1). The original X, y come\n"
         "    first, unchanged. Returns (X_res, y_res).\"\"\"\n"
         "    rng = np.random.default_rng(seed)\n"
         "    classes, sizes = np.unique(y, return_counts=True)\n"
         "    target = {int(c): int(sizes.max()) for c in classes} if counts is None else \\\n"
         "        {int(c): counts.get(int(c), int(n)) for c, n in zip(classes, sizes)}\n"
         "    X_out, y_out = [X], [y]\n"
         "    for c, n in zip(classes, sizes):\n"
         "        n_new = target[int(c)] - n\n"
         "        if n_new == 0:\n"
         "            continue\n"
         "        members = X[y == c]\n"
         "        d2 = np.sum((members[:, None, :] - members[None, :, :]) ** 2, axis=-1)\n"
         "        np.fill_diagonal(d2, np.inf)\n"
         "        neighbours = np.argsort(d2, axis=1)[:, :k]\n"
         "        base = rng.integers(0, len(members), size=n_new)\n"
         "        partner = neighbours[base, rng.integers(0, k, size=n_new)]\n"
         "        u = 0.5 * rng.random((n_new, 1))\n"
         "        X_out.append(members[base] + u * (members[partner] - members[base]))\n"
         "        y_out.append(np.full(n_new, c))\n"
         "    return np.concatenate(X_out), np.concatenate(y_out)\n"),
    ],
    "16.layer_gradient_norms": [
        ("backpropagates through an activation on the (linear) output layer",
         _grads(last_act="f(z)", start="dout * df(zs[-1])")),
        ("forgets the activation's derivative", _grads(step="delta @ weights[l].T")),
        ("derivative evaluated at the output instead of the pre-activation",
         _grads(step="(delta @ weights[l].T) * df(hs[l])")),
        ("returns the norms last layer first", _grads(ret="norms[::-1]")),
        ("norm of the error δ instead of the weight gradient", _grads(grad="delta")),
    ],
    "16.kfold_indices": [
        ("drops the remainder (all folds ⌊n/k⌋)", _kfold(sizes="[n // k] * k")),
        ("remainder goes to the last fold", _kfold(sizes="[n // k] * (k - 1) + [n - (k - 1) * (n // k)]")),
        ("training set includes the validation fold", _kfold(train="np.arange(n)")),
        ("ignores shuffle", _kfold(use_shuffle="False")),
        ("shuffle ignores the seed (an unseeded generator)",
         _kfold().replace("np.random.RandomState(seed)", "np.random.RandomState()")),
        ("shuffle ignores the seed (always seed 0)",
         _kfold().replace("np.random.RandomState(seed)", "np.random.RandomState(0)")),
    ],
    "16.grid_search": [
        ("zips the value lists instead of taking every combination",
         _grid(combos="zip(*grid.values())")),
        ("keeps the largest score when minimizing",
         _grid(best="int(np.argmin(scores) if maximize else np.argmax(scores))")),
        ("returns the last trial", _grid(best="len(results) - 1")),
        ("varies only the first hyperparameter",
         _grid(combos="[(v,) + tuple(vals[0] for vals in list(grid.values())[1:]) "
                      "for v in list(grid.values())[0]]")),
    ],
    "16.random_search": [
        ("log ranges drawn uniformly", _random(log_condition=" and False")),
        ("unseeded generator", _random(rng="np.random.default_rng()")),
        ("one draw reused for every trial",
         _random(fixed="once = {name: draw(spec) for name, spec in space.items()}",
                 params="dict(once)")),
        ("keeps the worst score",
         _random(best="int(np.argmin(scores) if maximize else np.argmax(scores))")),
        ("one trial too few", _random().replace("range(n_trials)", "range(n_trials - 1)")),
        ("rng.integers(len(spec) − 1): the last option is never drawn",
         "import math\n"
         "def random_search(objective, space, n_trials, seed=0, maximize=False):\n"
         "    \"\"\"n_trials independent random draws from space. Returns (best_params, best_score, results).\"\"\"\n"
         "    rng = np.random.default_rng(seed)\n"
         "\n"
         "    def draw(spec):\n"
         "        if isinstance(spec, list):\n"
         "            return spec[int(rng.integers(len(spec) - 1))]\n"
         "        low, high, scale = spec\n"
         "        if scale == \"log\":\n"
         "            return float(math.exp(rng.uniform(math.log(low), math.log(high))))\n"
         "        return float(rng.uniform(low, high))\n"
         "\n"
         "    results = []\n"
         "    for _ in range(n_trials):\n"
         "        params = {name: draw(spec) for name, spec in space.items()}\n"
         "        results.append((params, float(objective(**params))))\n"
         "    scores = [score for _, score in results]\n"
         "    best = int(np.argmax(scores) if maximize else np.argmin(scores))\n"
         "    return results[best][0], results[best][1], results\n"),
        ("a categorical hyperparameter always takes its first option",
         "import math\n"
         "def random_search(objective, space, n_trials, seed=0, maximize=False):\n"
         "    \"\"\"n_trials independent random draws from space. Returns (best_params, best_score, results).\"\"\"\n"
         "    rng = np.random.default_rng(seed)\n"
         "\n"
         "    def draw(spec):\n"
         "        if isinstance(spec, list):\n"
         "            return spec[0]\n"
         "        low, high, scale = spec\n"
         "        if scale == \"log\":\n"
         "            return float(math.exp(rng.uniform(math.log(low), math.log(high))))\n"
         "        return float(rng.uniform(low, high))\n"
         "\n"
         "    results = []\n"
         "    for _ in range(n_trials):\n"
         "        params = {name: draw(spec) for name, spec in space.items()}\n"
         "        results.append((params, float(objective(**params))))\n"
         "    scores = [score for _, score in results]\n"
         "    best = int(np.argmax(scores) if maximize else np.argmin(scores))\n"
         "    return results[best][0], results[best][1], results\n"),
    ],
    "16.save_load": [
        ("saves the parameters only (loses batch norm's running statistics)",
         "def save_weights(model, path):\n"
         "    torch.save({k: v for k, v in model.named_parameters()}, path)\n"
         "def load_weights(model, path):\n"
         "    model.load_state_dict(torch.load(path), strict=False)\n    return model\n"),
        ("loads the file but never copies it into the model",
         _SAVE + "def load_weights(model, path):\n    model = torch.load(path)\n"
                 "    return model\n"),
        ("saves nothing to the path (keeps the weights in memory)",
         "_MEMORY = {}\n"
         "def save_weights(model, path):\n"
         "    _MEMORY['state'] = {k: v for k, v in model.state_dict().items()}\n"
         "def load_weights(model, path):\n"
         "    model.load_state_dict(_MEMORY['state'])\n    return model\n"),
        ("copies the values in order into the parameters (buffers skipped)",
         _SAVE + "def load_weights(model, path):\n    state = torch.load(path)\n"
                 "    with torch.no_grad():\n"
                 "        for p, v in zip(model.parameters(), state.values()):\n"
                 "            if p.shape == v.shape:\n                p.copy_(v)\n"
                 "    return model\n"),
    ],
}


_RESIDUAL = '''
class ResidualBlock(torch.nn.Module):
    def __init__(self, width, hidden):
        super().__init__()
        self.fc1 = torch.nn.Linear(width, hidden)
        self.fc2 = torch.nn.Linear(hidden, width)

    def forward(self, x):
        f = self.fc2({inner})
        return {out}
'''


def _residual(out: str = "torch.relu(x + f)", inner: str = "torch.relu(self.fc1(x))") -> str:
    return _RESIDUAL.format(out=out, inner=inner)


VARIANTS["16.residual_block"] = [
    ("no shortcut (the plain block)", _residual(out="torch.relu(f)")),
    ("no ReLU after the addition", _residual(out="x + f")),
    ("the shortcut added after the ReLU", _residual(out="torch.relu(f) + x")),
    ("no ReLU between fc1 and fc2", _residual(inner="self.fc1(x)")),
    ("the shortcut detached from the graph", _residual(out="torch.relu(x.detach() + f)")),
    ("the shortcut counted twice", _residual(out="torch.relu(2 * x + f)")),
    ("fc2 without a bias",
     _residual().replace("torch.nn.Linear(hidden, width)", "torch.nn.Linear(hidden, width, "
                                                           "bias=False)")),
]
