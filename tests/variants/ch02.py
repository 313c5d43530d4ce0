"""Plausible mistakes for chapter 02's exercises (XOR and the multilayer perceptron)."""


def _xor(W1: str, b1: str, W2: str = "[[1.0], [1.0]]", b2: str = "[-1.5]") -> str:
    return ("def xor_network():\n"
            f"    return [np.array({W1}), np.array({W2})], [np.array({b1}), np.array({b2})]\n")


_ACTS = ("    f = {'step': lambda z: np.where(z > 0, 1.0, 0.0),\n"
         "         'sigmoid': lambda z: 1 / (1 + np.exp(-z)), 'tanh': np.tanh,\n"
         "         'relu': lambda z: np.maximum(z, 0.0), 'linear': lambda z: z}\n")


def _forward(body: str) -> str:
    return ("def mlp_forward(X, weights, biases, activation='sigmoid', "
            "output_activation='linear'):\n" + _ACTS + body)


def _mlp(init_body: str, forward: str = "        return self.net(x)\n") -> str:
    return ("class MLP(torch.nn.Module):\n"
            "    def __init__(self, sizes, activation='relu'):\n"
            "        super().__init__()\n"
            "        act = {'relu': torch.nn.ReLU, 'tanh': torch.nn.Tanh,\n"
            "               'sigmoid': torch.nn.Sigmoid}[activation]\n"
            + init_body +
            "    def forward(self, x):\n" + forward)


def _train(body: str) -> str:
    return ("def train_classifier(model, X, y, lr=0.05, epochs=100, device='cpu'):\n"
            "    model.to(device)\n"
            "    X = torch.as_tensor(X, dtype=torch.float32, device=device)\n"
            "    y = torch.as_tensor(y, device=device)\n"
            "    opt = torch.optim.Adam(model.parameters(), lr=lr)\n"
            "    losses = []\n" + body)


VARIANTS = {
    "02.xor_network": [
        ("output unit is OR instead of AND",
         _xor("[[1.0, -1.0], [1.0, -1.0]]", "[-0.5, 1.5]", b2="[-0.5]")),
        ("hidden units OR and AND (AND of them is AND)",
         _xor("[[1.0, 1.0], [1.0, 1.0]]", "[-0.5, -1.5]")),
        ("hidden biases missing", _xor("[[1.0, -1.0], [1.0, -1.0]]", "[0.0, 0.0]")),
        ("XNOR: the output flipped", _xor("[[1.0, -1.0], [1.0, -1.0]]", "[-0.5, 1.5]",
                                          W2="[[-1.0], [-1.0]]", b2="[1.5]")),
        ("column format: W1 transposed", _xor("[[1.0, 1.0], [-1.0, -1.0]]", "[-0.5, 1.5]")),
        ("one hidden unit only",
         "def xor_network():\n"
         "    return [np.array([[1.0], [1.0]]), np.array([[1.0]])], "
         "[np.array([-0.5]), np.array([-0.5])]\n"),
    ],
    "02.mlp_forward": [
        ("hidden activation also on the output layer", _forward(
            "    a = X\n"
            "    for W, b in zip(weights, biases):\n"
            "        a = f[activation](a @ W + b)\n"
            "    return a\n")),
        ("no activation on the hidden layers", _forward(
            "    a = X\n"
            "    for W, b in zip(weights[:-1], biases[:-1]):\n"
            "        a = a @ W + b\n"
            "    return f[output_activation](a @ weights[-1] + biases[-1])\n")),
        ("forgets the biases", _forward(
            "    a = X\n"
            "    for k, W in enumerate(weights):\n"
            "        name = activation if k < len(weights) - 1 else output_activation\n"
            "        a = f[name](a @ W)\n"
            "    return a\n")),
        ("column format: W.T", _forward(
            "    a = X\n"
            "    for k, (W, b) in enumerate(zip(weights, biases)):\n"
            "        name = activation if k < len(weights) - 1 else output_activation\n"
            "        a = f[name](a @ W.T + b)\n"
            "    return a\n")),
        ("stops before the last layer", _forward(
            "    a = X\n"
            "    for W, b in zip(weights[:-1], biases[:-1]):\n"
            "        a = f[activation](a @ W + b)\n"
            "    return a\n")),
        ("step(z) as z >= 0: fires at z = 0",
         "def mlp_forward(X, weights, biases, activation='sigmoid', output_activation='linear'):\n"
         "    f = {'step': lambda z: np.where(z >= 0, 1.0, 0.0),\n"
         "         'sigmoid': lambda z: 1 / (1 + np.exp(-z)), 'tanh': np.tanh,\n"
         "         'relu': lambda z: np.maximum(z, 0.0), 'linear': lambda z: z}\n"
         "    a = X\n"
         "    for i, (W, b) in enumerate(zip(weights, biases)):\n"
         "        last = i == len(weights) - 1\n"
         "        a = f[output_activation if last else activation](a @ W + b)\n"
         "    return a\n"),
        ("a single layer gets the hidden activation, not output_activation",
         "def mlp_forward(X, weights, biases, activation='sigmoid', output_activation='linear'):\n"
         "    f = {'step': lambda z: np.where(z > 0, 1.0, 0.0),\n"
         "         'sigmoid': lambda z: 1 / (1 + np.exp(-z)), 'tanh': np.tanh,\n"
         "         'relu': lambda z: np.maximum(z, 0.0), 'linear': lambda z: z}\n"
         "    a = X\n"
         "    for i, (W, b) in enumerate(zip(weights, biases)):\n"
         "        last = i == len(weights) - 1 and i > 0\n"
         "        a = f[output_activation if last else activation](a @ W + b)\n"
         "    return a\n"),
        ("ReLU written as |z|",
         "def mlp_forward(X, weights, biases, activation='sigmoid', output_activation='linear'):\n"
         "    f = {'step': lambda z: np.where(z > 0, 1.0, 0.0),\n"
         "         'sigmoid': lambda z: 1 / (1 + np.exp(-z)), 'tanh': np.tanh,\n"
         "         'relu': lambda z: np.abs(z), 'linear': lambda z: z}\n"
         "    a = X\n"
         "    for i, (W, b) in enumerate(zip(weights, biases)):\n"
         "        last = i == len(weights) - 1\n"
         "        a = f[output_activation if last else activation](a @ W + b)\n"
         "    return a\n"),
    ],
    "02.MLP": [
        ("activation after the output layer too", _mlp(
            "        layers = []\n"
            "        for a, b in zip(sizes[:-1], sizes[1:]):\n"
            "            layers += [torch.nn.Linear(a, b), act()]\n"
            "        self.net = torch.nn.Sequential(*layers)\n")),
        ("no activations at all", _mlp(
            "        self.net = torch.nn.Sequential(*[torch.nn.Linear(a, b)\n"
            "                                         for a, b in zip(sizes[:-1], sizes[1:])])\n")),
        ("always ReLU, whatever activation says", _mlp(
            "        layers = []\n"
            "        for a, b in zip(sizes[:-1], sizes[1:]):\n"
            "            layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]\n"
            "        self.net = torch.nn.Sequential(*layers[:-1])\n")),
        ("layers without bias", _mlp(
            "        layers = []\n"
            "        for a, b in zip(sizes[:-1], sizes[1:]):\n"
            "            layers += [torch.nn.Linear(a, b, bias=False), act()]\n"
            "        self.net = torch.nn.Sequential(*layers[:-1])\n")),
        ("forward skips the last layer", _mlp(
            "        layers = []\n"
            "        for a, b in zip(sizes[:-1], sizes[1:]):\n"
            "            layers += [torch.nn.Linear(a, b), act()]\n"
            "        self.net = torch.nn.Sequential(*layers[:-1])\n",
            "        return self.net[:-1](x)\n")),
        ("the default activation is tanh, not ReLU",
         "class MLP(torch.nn.Module):\n"
         "    def __init__(self, sizes, activation='tanh'):\n"
         "        super().__init__()\n"
         "        act = {'relu': torch.nn.ReLU, 'tanh': torch.nn.Tanh,\n"
         "               'sigmoid': torch.nn.Sigmoid}[activation]\n"
         "        layers = []\n"
         "        for k in range(len(sizes) - 1):\n"
         "            layers.append(torch.nn.Linear(sizes[k], sizes[k + 1]))\n"
         "            if k < len(sizes) - 2:\n"
         "                layers.append(act())\n"
         "        self.net = torch.nn.Sequential(*layers)\n"
         "    def forward(self, x):\n"
         "        return self.net(x)\n"),
    ],
    "02.train_classifier": [
        ("never calls optimizer.step()", _train(
            "    for _ in range(epochs):\n"
            "        opt.zero_grad()\n"
            "        loss = torch.nn.functional.cross_entropy(model(X), y)\n"
            "        loss.backward()\n"
            "        losses.append(loss.item())\n"
            "    return losses\n")),
        ("gradient ascent: maximizes the loss", _train(
            "    for _ in range(epochs):\n"
            "        opt.zero_grad()\n"
            "        loss = torch.nn.functional.cross_entropy(model(X), y)\n"
            "        (-loss).backward()\n"
            "        opt.step()\n"
            "        losses.append(loss.item())\n"
            "    return losses\n")),
        ("one step in all, the loss recorded epochs times", _train(
            "    opt.zero_grad()\n"
            "    loss = torch.nn.functional.cross_entropy(model(X), y)\n"
            "    loss.backward()\n"
            "    opt.step()\n"
            "    return [loss.item()] * epochs\n")),
        ("returns only the last loss", _train(
            "    for _ in range(epochs):\n"
            "        opt.zero_grad()\n"
            "        loss = torch.nn.functional.cross_entropy(model(X), y)\n"
            "        loss.backward()\n"
            "        opt.step()\n"
            "    return [loss.item()]\n")),
        ("a learning rate a thousand times too small", _train(
            "    opt = torch.optim.Adam(model.parameters(), lr=lr / 1000)\n"
            "    for _ in range(epochs):\n"
            "        opt.zero_grad()\n"
            "        loss = torch.nn.functional.cross_entropy(model(X), y)\n"
            "        loss.backward()\n"
            "        opt.step()\n"
            "        losses.append(loss.item())\n"
            "    return losses\n")),
        ("the loss summed over the examples (Adam trains the same, the losses are N times too big)",
         "def train_classifier(model, X, y, lr=0.05, epochs=100, device='cpu'):\n"
         "    model.to(device)\n"
         "    X = torch.as_tensor(X, dtype=torch.float32, device=device)\n"
         "    y = torch.as_tensor(y, device=device)\n"
         "    opt = torch.optim.Adam(model.parameters(), lr=lr)\n"
         "    losses = []\n"
         "    for _ in range(epochs):\n"
         "        opt.zero_grad()\n"
         "        loss = torch.nn.functional.cross_entropy(model(X), y, reduction='sum')\n"
         "        loss.backward()\n"
         "        opt.step()\n"
         "        losses.append(loss.item())\n"
         "    return losses\n"),
        ("each loss recorded after its step",
         "def train_classifier(model, X, y, lr=0.05, epochs=100, device='cpu'):\n"
         "    model.to(device)\n"
         "    X = torch.as_tensor(X, dtype=torch.float32, device=device)\n"
         "    y = torch.as_tensor(y, device=device)\n"
         "    opt = torch.optim.Adam(model.parameters(), lr=lr)\n"
         "    losses = []\n"
         "    for _ in range(epochs):\n"
         "        opt.zero_grad()\n"
         "        loss = torch.nn.functional.cross_entropy(model(X), y)\n"
         "        loss.backward()\n"
         "        opt.step()\n"
         "        losses.append(torch.nn.functional.cross_entropy(model(X), y).item())\n"
         "    return losses\n"),
        ("the lr argument ignored: a fixed 0.01",
         "def train_classifier(model, X, y, lr=0.05, epochs=100, device='cpu'):\n"
         "    model.to(device)\n"
         "    X = torch.as_tensor(X, dtype=torch.float32, device=device)\n"
         "    y = torch.as_tensor(y, device=device)\n"
         "    opt = torch.optim.Adam(model.parameters(), lr=0.01)\n"
         "    losses = []\n"
         "    for _ in range(epochs):\n"
         "        opt.zero_grad()\n"
         "        loss = torch.nn.functional.cross_entropy(model(X), y)\n"
         "        loss.backward()\n"
         "        opt.step()\n"
         "        losses.append(loss.item())\n"
         "    return losses\n"),
        ("mini-batches of 32 instead of the full batch",
         "def train_classifier(model, X, y, lr=0.05, epochs=100, device='cpu'):\n"
         "    model.to(device)\n"
         "    X = torch.as_tensor(X, dtype=torch.float32, device=device)\n"
         "    y = torch.as_tensor(y, device=device)\n"
         "    opt = torch.optim.Adam(model.parameters(), lr=lr)\n"
         "    losses = []\n"
         "    for _ in range(epochs):\n"
         "        for i in range(0, len(X), 32):\n"
         "            opt.zero_grad()\n"
         "            loss = torch.nn.functional.cross_entropy(model(X[i:i + 32]), y[i:i + 32])\n"
         "            loss.backward()\n"
         "            opt.step()\n"
         "        losses.append(loss.item())\n"
         "    return losses\n"),
    ],
}
