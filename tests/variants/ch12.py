"""Plausible mistakes for chapter 12's exercises (LeNet shapes and module, accuracy, the loop)."""

_LENET = '''
class LeNet(torch.nn.Module):
    def __init__(self, c1=16, c2=32, hidden=64, num_classes=10, size=8):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, c1, 3, padding=PAD)
        self.conv2 = torch.nn.Conv2d(c1, c2, 3, padding=PAD)
        s = size
        s = (s - 3 + 2 * PAD) // 1 + 1
        s = (s - 2) // 2 + 1
        s = (s - 3 + 2 * PAD) // 1 + 1
        s = (s - 2) // 2 + 1
        self.fc1 = torch.nn.Linear(FLAT, hidden)
        self.fc2 = torch.nn.Linear(hidden, num_classes)

    def forward(self, x):
        x = POOL(torch.relu(self.conv1(x)), 2)
        x = POOL(ACT2(self.conv2(x)), 2)
        x = torch.relu(self.fc1(x.flatten(1)))
        return OUT(self.fc2(x))
'''


def _lenet(pad="1", flat="c2 * s * s", pool="torch.nn.functional.max_pool2d",
           act2="torch.relu", out=""):
    return (_LENET.replace("PAD", pad).replace("FLAT", flat).replace("POOL", pool)
            .replace("ACT2", act2).replace("OUT", out))


_TRAIN = '''
def train_epoch(model, X, y, optimizer, batch_size=64, label_smoothing=0.0):
    TRAIN_MODE
    total, correct = 0.0, 0
    for start in range(0, STOP, batch_size):
        xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        ZERO_GRAD
        logits = model(xb)
        loss = torch.nn.functional.cross_entropy(logits, yb, SMOOTH)
        loss.backward()
        optimizer.step()
        total += loss.item() * WEIGHT
        correct += int((logits.argmax(1) == yb).sum())
    return total / DIVISOR, correct / len(X)
'''

_EVAL = '''
def evaluate(model, X, y, batch_size=512):
    EVAL_MODE
    with NO_GRAD:
        logits = model(X)
        loss = torch.nn.functional.cross_entropy(logits, y).item()
    return loss, (logits.argmax(1) == y).double().mean().item()
'''


def _loop(train_mode="model.train()", stop="len(X)", zero="optimizer.zero_grad()",
          smooth="label_smoothing=label_smoothing", weight="len(xb)", divisor="len(X)",
          eval_mode="model.eval()", no_grad="torch.no_grad()"):
    train = (_TRAIN.replace("TRAIN_MODE", train_mode).replace("STOP", stop)
             .replace("ZERO_GRAD", zero).replace("SMOOTH", smooth).replace("WEIGHT", weight)
             .replace("DIVISOR", divisor))
    return train + _EVAL.replace("EVAL_MODE", eval_mode).replace("NO_GRAD", no_grad)


VARIANTS = {
    "12.lenet_shapes": [
        ("forgets the padding",
         "def lenet_shapes(size, c1, c2, kernel_size=3, padding=1, pool=2):\n"
         "    s1 = size - kernel_size + 1\n    s2 = (s1 - pool) // pool + 1\n"
         "    s3 = s2 - kernel_size + 1\n    s4 = (s3 - pool) // pool + 1\n"
         "    return np.array([[c1, s1, s1], [c1, s2, s2], [c2, s3, s3], [c2, s4, s4]])\n"),
        ("rounds up instead of down",
         "def lenet_shapes(size, c1, c2, kernel_size=3, padding=1, pool=2):\n"
         "    up = lambda a, b: -(-a // b)\n"
         "    s1 = size - kernel_size + 2 * padding + 1\n    s2 = up(s1 - pool, pool) + 1\n"
         "    s3 = s2 - kernel_size + 2 * padding + 1\n    s4 = up(s3 - pool, pool) + 1\n"
         "    return np.array([[c1, s1, s1], [c1, s2, s2], [c2, s3, s3], [c2, s4, s4]])\n"),
        ("pooling with stride 1",
         "def lenet_shapes(size, c1, c2, kernel_size=3, padding=1, pool=2):\n"
         "    s1 = size - kernel_size + 2 * padding + 1\n    s2 = s1 - pool + 1\n"
         "    s3 = s2 - kernel_size + 2 * padding + 1\n    s4 = s3 - pool + 1\n"
         "    return np.array([[c1, s1, s1], [c1, s2, s2], [c2, s3, s3], [c2, s4, s4]])\n"),
        ("forgets the + 1",
         "def lenet_shapes(size, c1, c2, kernel_size=3, padding=1, pool=2):\n"
         "    s1 = size - kernel_size + 2 * padding\n    s2 = (s1 - pool) // pool\n"
         "    s3 = s2 - kernel_size + 2 * padding\n    s4 = (s3 - pool) // pool\n"
         "    return np.array([[c1, s1, s1], [c1, s2, s2], [c2, s3, s3], [c2, s4, s4]])\n"),
        ("padding counted once, not on both sides",
         "def lenet_shapes(size, c1, c2, kernel_size=3, padding=1, pool=2):\n"
         "    s1 = size - kernel_size + padding + 1\n    s2 = (s1 - pool) // pool + 1\n"
         "    s3 = s2 - kernel_size + padding + 1\n    s4 = (s3 - pool) // pool + 1\n"
         "    return np.array([[c1, s1, s1], [c1, s2, s2], [c2, s3, s3], [c2, s4, s4]])\n"),
        ("pooling always moves by 2, whatever pool is",
         "def lenet_shapes(size, c1, c2, kernel_size=3, padding=1, pool=2):\n"
         "    def out(n, f, s, p):\n"
         "        return (n - f + 2 * p) // s + 1\n"
         "    s1 = out(size, kernel_size, 1, padding)\n"
         "    s2 = out(s1, pool, 2, 0)\n"
         "    s3 = out(s2, kernel_size, 1, padding)\n"
         "    s4 = out(s3, pool, 2, 0)\n"
         "    return np.array([[c1, s1, s1], [c1, s2, s2], [c2, s3, s3], [c2, s4, s4]])\n"),
    ],
    "12.LeNet": [
        ("average pooling instead of max pooling",
         _lenet(pool="torch.nn.functional.avg_pool2d")),
        ("no ReLU after conv2", _lenet(act2="")),
        ("no padding (and fc1 sized for it)", _lenet(pad="0")),
        ("fc1's input hard-coded for 8×8 images", _lenet(flat="c2 * 2 * 2")),
        ("a ReLU on the output logits", _lenet(out="torch.relu")),
    ],
    "12.accuracy": [
        ("a percentage, not a fraction",
         "def accuracy(logits, labels):\n"
         "    return float(100 * np.mean(np.argmax(logits, axis=1) == labels))\n"),
        ("the mean of the per-class accuracies (balanced accuracy)",
         "def accuracy(logits, labels):\n"
         "    pred = np.argmax(logits, axis=1)\n"
         "    return float(np.mean([np.mean(pred[labels == c] == c) for c in np.unique(labels)]))\n"),
        ("compares the largest logit's value, not its index, with the label",
         "def accuracy(logits, labels):\n"
         "    return float(np.mean(np.max(logits, axis=1) == labels))\n"),
        ("argmax over the wrong axis",
         "def accuracy(logits, labels):\n"
         "    return float(np.mean(np.argmax(logits, axis=0)[:len(labels)] == labels))\n"),
        ("the count of correct examples",
         "def accuracy(logits, labels):\n"
         "    return float(np.sum(np.argmax(logits, axis=1) == labels))\n"),
        ("argmin", "def accuracy(logits, labels):\n"
                   "    return float(np.mean(np.argmin(logits, axis=1) == labels))\n"),
    ],
    "12.train_epoch": [
        ("forgets model.train()", _loop(train_mode="pass")),
        ("forgets model.eval()", _loop(eval_mode="pass")),
        ("evaluates with gradients on", _loop(no_grad="torch.enable_grad()")),
        ("forgets optimizer.zero_grad()", _loop(zero="pass")),
        ("averages the batch means", _loop(weight="1", divisor="len(range(0, len(X), batch_size))")),
        ("drops the last, smaller batch",
         _loop(stop="len(X) - batch_size + 1", divisor="(len(X) // batch_size * batch_size)")),
        ("ignores label_smoothing", _loop(smooth="label_smoothing=0.0")),
    ],
}


_GAP = '''
class GAPNet(torch.nn.Module):
    def __init__(self, c1=16, c2=64, num_classes=10):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(c1, c2, 3, padding=1)
        self.fc = torch.nn.Linear({fc_in}, num_classes)

    def forward(self, x):
        x = {first}
        x = {second}
        return self.fc({pool})
'''


def _gap(first: str = "torch.nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)",
         second: str = "torch.relu(self.conv2(x))", pool: str = "x.mean(dim=(2, 3))",
         fc_in: str = "c2") -> str:
    return _GAP.format(first=first, second=second, pool=pool, fc_in=fc_in)


VARIANTS["12.GAPNet"] = [
    ("flattens the 4×4 maps of an 8×8 input instead of pooling",
     _gap(pool="x.flatten(1)", fc_in="c2 * 4 * 4")),
    ("global max pooling instead of the average", _gap(pool="x.amax(dim=(2, 3))")),
    ("sums the positions instead of averaging", _gap(pool="x.sum(dim=(2, 3))")),
    ("pools before the ReLU", _gap(second="self.conv2(x)", pool="torch.relu(x.mean(dim=(2, 3)))")),
    ("no max-pooling after conv1", _gap(first="torch.relu(self.conv1(x))")),
    ("averages over the rows only, then flattens",
     _gap(pool="x.mean(dim=2).flatten(1)", fc_in="c2 * 4")),
]
