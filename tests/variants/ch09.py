"""Plausible mistakes for chapter 09's exercises.

As in ch07, each mistake is an edit of a correct solution; ``_edit`` checks that the edited
text is there.
"""

from __future__ import annotations


def _edit(source: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in source, f"variant edit: {old!r} not found"
        source = source.replace(old, new)
    return source


L2 = """
def l2_penalty(weights, alpha):
    arrays = weights if isinstance(weights, list) else [weights]
    return 0.5 * alpha * float(sum(np.sum(w * w) for w in arrays))
"""

DECAY = """
def sgd_weight_decay_step(w, grad, lr, alpha):
    return (1 - lr * alpha) * w - lr * grad
"""

L1 = """
def l1_penalty(weights, alpha):
    arrays = weights if isinstance(weights, list) else [weights]
    return alpha * float(sum(np.sum(np.abs(w)) for w in arrays))
"""

SUBGRADIENT = """
def l1_subgradient(w, alpha, grad):
    return alpha * np.sign(w) + grad
"""

DROPOUT = """
def dropout_forward(x, p, *, training, rng=None):
    if not training or p == 0:
        return x.copy(), None
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask


def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    return dout * cache
"""

STOPPING = """
class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.bad, self.best, self.params = float("inf"), 0, None, None

    def step(self, val_loss, params):
        self.params = params
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.bad = val_loss, 0
            self.best = [p.copy() for p in params]
        else:
            self.bad += 1
        return self.bad >= self.patience

    def restore(self):
        for p, b in zip(self.params, self.best):
            p[...] = b
"""

SMOOTH = """
def smooth_labels(labels, num_classes, epsilon):
    q = np.full((len(labels), num_classes), epsilon / num_classes)
    q[np.arange(len(labels)), labels] += 1 - epsilon
    return q
"""

SMOOTH_CE = """
def label_smoothing_cross_entropy(logits, labels, epsilon):
    n, k = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    q = np.full((n, k), epsilon / k)
    q[np.arange(n), labels] += 1 - epsilon
    return float(-(q * logp).sum() / n)
"""

SHIFT = """
def shift_image(img, dx, dy):
    H, W = img.shape
    out = np.zeros_like(img)
    if abs(dx) >= W or abs(dy) >= H:
        return out
    out[max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        img[max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
"""

ROTATE = """
def rotate_image(img, degrees):
    H, W = img.shape
    t = np.deg2rad(degrees)
    cr, cc = (H - 1) / 2, (W - 1) / 2
    r, c = np.meshgrid(np.arange(H) - cr, np.arange(W) - cc, indexing="ij")
    src_r = np.cos(t) * r + np.sin(t) * c + cr
    src_c = -np.sin(t) * r + np.cos(t) * c + cc
    r0, c0 = np.floor(src_r).astype(int), np.floor(src_c).astype(int)
    fr, fc = src_r - r0, src_c - c0

    def pixel(rr, cc_):
        inside = (rr >= 0) & (rr < H) & (cc_ >= 0) & (cc_ < W)
        return np.where(inside, img[np.clip(rr, 0, H - 1), np.clip(cc_, 0, W - 1)], 0.0)

    return ((1 - fr) * (1 - fc) * pixel(r0, c0) + (1 - fr) * fc * pixel(r0, c0 + 1)
            + fr * (1 - fc) * pixel(r0 + 1, c0) + fr * fc * pixel(r0 + 1, c0 + 1))
"""

NOISE = """
def add_noise(img, std, rng):
    return img + std * rng.standard_normal(img.shape)
"""



MAX_NORM = """
def max_norm(W, c):
    norms = np.linalg.norm(W, axis=0, keepdims=True)
    scale = np.minimum(1.0, c / np.where(norms > 0, norms, 1.0))
    return W * scale
"""

VARIANTS = {
    "09.l2_penalty": [
        ("a list of arrays: only the first one counted",
         "def l2_penalty(weights, alpha):\n"
         "    w = weights[0] if isinstance(weights, (list, tuple)) else weights\n"
         "    return float(0.5 * alpha * np.sum(w * w))\n"),
        ("without the ½ (seed 002's λ‖W‖²)", _edit(L2, ("0.5 * alpha", "alpha"))),
        ("the norm, not its square",
         _edit(L2, ("0.5 * alpha * float(sum(np.sum(w * w) for w in arrays))",
                    "0.5 * alpha * float(np.sqrt(sum(np.sum(w * w) for w in arrays)))"))),
        ("absolute values: the L1 penalty", _edit(L2, ("np.sum(w * w)", "np.sum(np.abs(w))"))),
        ("only the first array of the list", _edit(L2, ("for w in arrays", "for w in arrays[:1]"))),
    ],
    "09.weight_decay_step": [
        ("seed 004's update: the decay without the learning rate",
         _edit(DECAY, ("(1 - lr * alpha) * w - lr * grad", "w - lr * grad - alpha * w"))),
        ("the decay grows the weights", _edit(DECAY, ("(1 - lr * alpha)", "(1 + lr * alpha)"))),
        ("decays after the gradient step",
         _edit(DECAY, ("(1 - lr * alpha) * w - lr * grad", "(1 - lr * alpha) * (w - lr * grad)"))),
        ("gradient of α‖w‖² (2α·w) with the ½ in the penalty",
         _edit(DECAY, ("(1 - lr * alpha)", "(1 - 2 * lr * alpha)"))),
    ],
    "09.l1_penalty": [
        ("forgets the absolute value", _edit(L1, ("np.abs(w)", "w"))),
        ("squares instead of |w|", _edit(L1, ("np.abs(w)", "w * w"))),
        ("a ½ that does not belong", _edit(L1, ("return alpha", "return 0.5 * alpha"))),
        ("only the first array of the list", _edit(L1, ("for w in arrays", "for w in arrays[:1]"))),
    ],
    "09.l1_subgradient": [
        ("seed 000's garbled \"∝ sign(w)\": forgets α", _edit(SUBGRADIENT, ("alpha * np.sign(w)", "np.sign(w)"))),
        ("w/|w|: NaN at zero", _edit(SUBGRADIENT, ("np.sign(w)", "(w / np.abs(w))"))),
        ("sign(0) taken as +1", _edit(SUBGRADIENT, ("np.sign(w)", "np.where(w >= 0, 1.0, -1.0)"))),
        ("the L2 gradient α·w", _edit(SUBGRADIENT, ("alpha * np.sign(w)", "alpha * w"))),
        ("forgets the data gradient", _edit(SUBGRADIENT, (" + grad", ""))),
    ],
    "09.dropout": [
        ("not inverted: no 1/(1 − p) scaling", _edit(DROPOUT, ("(rng.random(x.shape) >= p) / (1 - p)",
                                                               "(rng.random(x.shape) >= p) * 1.0"))),
        ("p used as the keep probability", _edit(DROPOUT, ("(rng.random(x.shape) >= p) / (1 - p)",
                                                           "(rng.random(x.shape) < p) / p"))),
        ("classic dropout: scales by (1 − p) at test time",
         _edit(DROPOUT, ("(rng.random(x.shape) >= p) / (1 - p)", "(rng.random(x.shape) >= p) * 1.0"),
               ("        return x.copy(), None", "        return x * (1 - p), None"))),
        ("drops in evaluation mode too",
         _edit(DROPOUT, ("if not training or p == 0:", "if p == 0:"))),
        ("backward ignores the mask", _edit(DROPOUT, ("return dout * cache", "return dout.copy()"))),
        ("one mask for a whole row",
         _edit(DROPOUT, ("rng.random(x.shape)", "rng.random((x.shape[0], 1))"))),
        ("draws from np.random instead of rng",
         _edit(DROPOUT, ("rng.random(x.shape)", "np.random.random(x.shape)"))),
        ("a fixed number of units dropped, chosen without replacement",
         _edit(DROPOUT, ("mask = (rng.random(x.shape) >= p) / (1 - p)",
                          "keep = np.ones(x.size)\n"
                          "    keep[rng.choice(x.size, round(p * x.size), replace=False)] = 0\n"
                          "    mask = keep.reshape(x.shape) / (1 - p)"))),
    ],
    "09.early_stopping": [
        ("keeps references, not copies, of the best weights",
         _edit(STOPPING, ("[p.copy() for p in params]", "list(params)"))),
        ("stops one check late (counter > patience)",
         _edit(STOPPING, ("self.bad >= self.patience", "self.bad > self.patience"))),
        ("a tie counts as an improvement",
         _edit(STOPPING, ("val_loss < self.best_loss - self.min_delta",
                          "val_loss <= self.best_loss - self.min_delta"))),
        ("ignores min_delta", _edit(STOPPING, ("val_loss < self.best_loss - self.min_delta",
                                               "val_loss < self.best_loss"))),
        ("never resets the counter", _edit(STOPPING, ("self.best_loss, self.bad = val_loss, 0",
                                                      "self.best_loss = val_loss"))),
        ("a NaN loss counts as an improvement",
         _edit(STOPPING, ("if val_loss < self.best_loss - self.min_delta:",
                          "if not val_loss >= self.best_loss - self.min_delta:"))),
        ("the default min_delta is 1e-3, not 0",
         _edit(STOPPING, ("min_delta=0.0", "min_delta=1e-3"))),
        ("min_delta read as a relative margin (5 % of the best loss)",
         _edit(STOPPING, ("val_loss < self.best_loss - self.min_delta",
                          "val_loss < self.best_loss * (1 - self.min_delta)"))),
    ],
    "09.smooth_labels": [
        ("1 − ε for the right class and ε/(k − 1) for the others",
         _edit(SMOOTH, ("epsilon / num_classes)", "epsilon / (num_classes - 1))"),
               ("] += 1 - epsilon", "] = 1 - epsilon"))),
        ("right class set to 1 − ε: rows no longer sum to 1",
         _edit(SMOOTH, ("] += 1 - epsilon", "] = 1 - epsilon"))),
        ("ε not spread: plain one-hot", _edit(SMOOTH, ("epsilon / num_classes)", "0.0)"),
                                                     ("] += 1 - epsilon", "] = 1.0"))),
        ("indexes columns only: every row gets every label's mass",
         _edit(SMOOTH, ("q[np.arange(len(labels)), labels] += 1 - epsilon",
                        "q[:, labels] += 1 - epsilon"))),
    ],
    "09.label_smoothing_cross_entropy": [
        ("summed over the batch, not averaged", _edit(SMOOTH_CE, (".sum() / n)", ".sum())"))),
        ("naive softmax: overflows on large logits",
         _edit(SMOOTH_CE, ("z = logits - logits.max(axis=1, keepdims=True)", "z = logits"))),
        ("ignores ε: ordinary cross-entropy", _edit(SMOOTH_CE, ("epsilon / k)", "0.0)"),
                                                               ("] += 1 - epsilon", "] = 1.0"))),
        ("the ε/(k − 1) convention",
         _edit(SMOOTH_CE, ("epsilon / k)", "epsilon / (k - 1))"), ("] += 1 - epsilon", "] = 1 - epsilon"))),
        ("forgets the minus sign", _edit(SMOOTH_CE, ("float(-(q * logp)", "float((q * logp)"))),
    ],
    "09.shift_image": [
        ("np.roll: wraps around", "def shift_image(img, dx, dy):\n"
                                  "    return np.roll(np.roll(img, dy, axis=0), dx, axis=1)\n"),
        ("dx and dy swapped", _edit(SHIFT, ("def shift_image(img, dx, dy):", "def shift_image(img, dy, dx):"))),
        ("shifts the wrong way", _edit(SHIFT, ("    H, W = img.shape\n", "    H, W = img.shape\n    dx, dy = -dx, -dy\n"))),
        ("an off-by-one in the copied block",
         _edit(SHIFT, ("img[max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]",
                       "img[max(-dy, 0):H + min(-dy, 0), max(-dx + 1, 0):W + min(-dx + 1, 0)]"),
               ("out[max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)]",
                "out[max(dy, 0):H + min(dy, 0), max(dx - 1, 0):W + min(dx - 1, 0)]"))),
    ],
    "09.rotate_image": [
        ("turns clockwise", _edit(ROTATE, ("t = np.deg2rad(degrees)", "t = -np.deg2rad(degrees)"))),
        ("degrees used as radians", _edit(ROTATE, ("t = np.deg2rad(degrees)", "t = degrees"))),
        ("nearest pixel instead of bilinear",
         _edit(ROTATE, ("r0, c0 = np.floor(src_r).astype(int), np.floor(src_c).astype(int)",
                        "r0, c0 = np.round(src_r).astype(int), np.round(src_c).astype(int)"),
               ("    fr, fc = src_r - r0, src_c - c0\n", "    fr, fc = 0.0 * src_r, 0.0 * src_c\n"))),
        ("rotates about the corner (0, 0), not the centre",
         _edit(ROTATE, ("cr, cc = (H - 1) / 2, (W - 1) / 2", "cr, cc = 0.0, 0.0"))),
        ("edge pixels repeated outside the image instead of 0",
         _edit(ROTATE, ("np.where(inside, img[np.clip(rr, 0, H - 1), np.clip(cc_, 0, W - 1)], 0.0)",
                        "img[np.clip(rr, 0, H - 1), np.clip(cc_, 0, W - 1)]"))),
    ],
    "09.add_noise": [
        ("adds the noise in place (img += ...): the clean image is lost",
         "def add_noise(img, std, rng):\n"
         "    img += std * rng.standard_normal(img.shape)\n    return img\n"),
        ("std² as the standard deviation", _edit(NOISE, ("std * rng", "std**2 * rng"))),
        ("returns the noise only", _edit(NOISE, ("img + std", "std"))),
        ("draws from np.random", _edit(NOISE, ("rng.standard_normal", "np.random.standard_normal"))),
        ("clips to [0, 1]", _edit(NOISE, ("return img + std * rng.standard_normal(img.shape)",
                                          "return np.clip(img + std * rng.standard_normal(img.shape), 0, 1)"))),
        ("multiplicative noise", _edit(NOISE, ("img + std * rng", "img * (1 + std * rng"),
                                       ("(img.shape)", "(img.shape))"))),
    ],
    "09.max_norm": [
        ("normalizes every column to length c, short ones too",
         _edit(MAX_NORM, ("np.minimum(1.0, c / np.where(norms > 0, norms, 1.0))",
                          "c / np.where(norms > 0, norms, 1.0)"))),
        ("norms over the rows (axis=1) instead of the columns",
         _edit(MAX_NORM, ("axis=0", "axis=1"))),
        ("one norm for the whole matrix", _edit(MAX_NORM, ("np.linalg.norm(W, axis=0, keepdims=True)",
                                                           "np.linalg.norm(W)"))),
        ("clips each weight to [-c, c]", "def max_norm(W, c):\n    return np.clip(W, -c, c)\n"),
        ("divides by the squared norm", _edit(MAX_NORM, ("c / np.where(norms > 0, norms, 1.0)",
                                                         "c / np.where(norms > 0, norms**2, 1.0)"))),
        ("the L1 norm instead of the Euclidean", _edit(MAX_NORM, ("np.linalg.norm(W, axis=0, keepdims=True)",
                                                                  "np.sum(np.abs(W), axis=0, keepdims=True)"))),
    ],
}
