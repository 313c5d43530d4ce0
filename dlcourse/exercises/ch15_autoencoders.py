"""Exercises of chapter 15, autoencoders and representations."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from dlcourse import decomposition, transfer
from dlcourse.checking import Case, Exercise, Verdict, close, drivers
from dlcourse.checking.compare import compare_values
from dlcourse.nets import autoencoder, vae

CHAPTER = "15"
NOTEBOOK = "15_autoencoders.ipynb"


# ---------------------------------------------------------------- PCA by SVD


def _pca_compare(expected: Any, got: Any, case: Case) -> Verdict:
    """Components equal up to the sign of each row; variances and mean equal."""
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        return Verdict(False, "expected a tuple (components, explained_variance, mean)",
                       "return all three: components (k, D), variances (k,), mean (D,).")
    comp_e, var_e, mean_e = expected
    comp_g = got[0]
    if not isinstance(comp_g, np.ndarray) or comp_g.shape != comp_e.shape:
        shape = getattr(comp_g, "shape", None)
        hint = ("components are the rows of Vᵀ (the right-singular vectors), one per row: shape "
                "(k, D).")
        return Verdict(False, f"components: shape {shape}, expected {comp_e.shape}", hint)
    signs = np.where(np.sum(comp_g * comp_e, axis=1) < 0, -1.0, 1.0)
    verdict = compare_values(comp_e, comp_g * signs[:, None], rtol=1e-7, atol=1e-9,
                             where="components (up to sign): ")
    if not verdict.passed:
        return verdict
    verdict = compare_values(var_e, got[1], rtol=1e-9, atol=1e-12,
                             where="explained variance: ")
    if not verdict.passed:
        return verdict
    return compare_values(mean_e, got[2], rtol=1e-9, atol=1e-12, where="mean: ")


def _pca_cases() -> list[Case]:
    line = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [1.0, 2.0], [2.0, 1.0]])
    return [
        Case((line, 2), label="six points around the diagonal: the first component is "
             "±(1, 1)/√2",
             expected=(np.array([[1.0, 1.0], [-1.0, 1.0]]) / np.sqrt(2), np.array([2.0, 0.2]),
                       np.array([1.5, 1.5]))),
        Case((np.array([[2.0, 0.0, 1.0], [0.0, 1.0, 1.0], [4.0, 2.0, 1.0], [2.0, 3.0, 1.0]]), 1),
             label="a constant third column: the first component ignores it"),
    ]


def _pca_random(rng: np.random.Generator) -> Case:
    n, D = int(rng.integers(6, 30)), int(rng.integers(2, 7))
    scales = np.sort(rng.uniform(0.3, 3.0, size=D))[::-1]
    Q, _ = np.linalg.qr(rng.normal(size=(D, D)))
    X = (rng.normal(size=(n, D)) * scales) @ Q.T + rng.normal(scale=2.0, size=D)
    return Case((X, int(rng.integers(1, min(n, D) + 1))))


def _pca_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    X, k = case.args
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        return None
    var = np.asarray(got[1])
    if var.shape == expected[1].shape:
        n = X.shape[0]
        if np.allclose(var, expected[1] * (n - 1) / n):
            return "divide by n − 1, not n: the sample variance (as scikit-learn reports it)."
        if np.allclose(var ** 2, expected[1] * (n - 1)):
            return "the variance along component j is S_j² / (n − 1), not the singular value S_j."
    comp = np.asarray(got[0])
    if comp.shape == expected[0].shape:
        _, _, Vt = np.linalg.svd(X, full_matrices=False)  # the SVD without centring
        if not np.allclose(np.abs(comp), np.abs(expected[0]), atol=1e-7) and \
                np.allclose(np.abs(comp), np.abs(Vt[:k]), atol=1e-7):
            return "centre the data first: subtract the column means, then take the SVD."
    return "X − μ = U S Vᵀ: components = Vᵀ[:k], variances = S[:k]² / (n − 1), mean = μ."


# ---------------------------------------------------------------- encoder / decoder


def _layer_shapes(n_in: int, hidden: list[int], n_code: int) -> list[tuple[int, ...]]:
    """Parameter shapes of the reference pair, in order (torch Linear: (out, in), (out,))."""
    sizes = [n_in, *hidden, n_code, *hidden[::-1], n_in]
    shapes: list[tuple[int, ...]] = []
    for a, b in itertools.pairwise(sizes):
        shapes += [(b, a), (b,)]
    return shapes


def autoencoder_driver(impls, args, kwargs):
    """Build the student's (encoder, decoder), record the parameter shapes, load the case's
    weights (float64) and return the code and the reconstruction of x."""
    import torch

    n_in, hidden, n_code, weights, x = args
    encoder, decoder = impls[0](n_in, list(hidden), n_code)
    pair = torch.nn.Sequential(encoder, decoder).double()
    params = list(pair.parameters())
    shapes = [np.array(p.shape, dtype=np.int64) for p in params]
    if [tuple(s) for s in shapes] != [tuple(w.shape) for w in weights]:
        return {"shapes": shapes, "code": None, "reconstruction": None}
    with torch.no_grad():
        for p, w in zip(params, weights, strict=True):
            p.copy_(torch.from_numpy(np.array(w)))
        xt = torch.from_numpy(np.array(x))
        code = encoder(xt)
        out = decoder(code)
    return {"shapes": shapes, "code": code.numpy(), "reconstruction": out.numpy()}


def _ae_case(rng: np.random.Generator, n_in: int, hidden: list[int], n_code: int, n: int,
             label: str = "") -> Case:
    weights = [rng.normal(scale=0.7, size=s) for s in _layer_shapes(n_in, hidden, n_code)]
    return Case((n_in, hidden, n_code, weights, rng.uniform(0, 1, size=(n, n_in))), label=label)


def _ae_cases() -> list[Case]:
    rng = np.random.default_rng(15)
    return [
        _ae_case(rng, 64, [64, 32], 2, 5, "the chapter's 64-64-32-2-32-64-64 (seed 003's "
                                          "784-1000-500-250-2, scaled down)"),
        _ae_case(rng, 6, [4], 3, 3, "6-4-3-4-6"),
        _ae_case(rng, 5, [], 2, 4, "no hidden layer: 5-2-5"),
    ]


def _ae_random(rng: np.random.Generator) -> Case:
    hidden = [int(h) for h in rng.integers(2, 9, size=int(rng.integers(0, 4)))]
    return _ae_case(rng, int(rng.integers(3, 12)), hidden, int(rng.integers(1, 4)),
                    int(rng.integers(1, 6)))


def _ae_compare(expected: Any, got: Any, case: Case) -> Verdict:
    if not isinstance(got, dict) or set(got) != {"shapes", "code", "reconstruction"}:
        return Verdict(False, "the driver did not get a result back")
    exp_shapes = [tuple(int(v) for v in s) for s in expected["shapes"]]
    got_shapes = [tuple(int(v) for v in s) for s in got["shapes"]]
    if got_shapes != exp_shapes:
        return Verdict(False, f"parameter shapes {got_shapes}, expected {exp_shapes}",
                       "encoder: Linear(n_in, h1), ..., Linear(h_last, n_code); decoder: the "
                       "same sizes in reverse, ending with Linear(h1, n_in). Only Linear layers "
                       "have parameters.")
    verdict = compare_values(expected["code"], got["code"], rtol=1e-9, atol=1e-10,
                             where="code: ")
    if not verdict.passed:
        return verdict
    return compare_values(expected["reconstruction"], got["reconstruction"], rtol=1e-9,
                          atol=1e-10, where="reconstruction: ")


def _ae_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, dict) or got.get("code") is None:
        return None
    code = np.asarray(got["code"])
    if code.shape == expected["code"].shape and not np.allclose(code, expected["code"]):
        if np.all(code >= 0) and np.any(expected["code"] < 0):
            return "no ReLU after the code layer: the code may be negative."
        return "encoder: Linear then ReLU for every hidden size, then a plain Linear to the code."
    recon = np.asarray(got["reconstruction"])
    if recon.shape == expected["reconstruction"].shape:
        if np.any((recon < 0) | (recon > 1)):
            return "end the decoder with a Sigmoid: pixels lie in [0, 1]."
        return "decoder: Linear then ReLU for every hidden size (in reverse), Linear, Sigmoid."
    return None


# ---------------------------------------------------------------- the noise layer


def noise_driver(impls, args, kwargs):
    """Build the student's GaussianNoise(std), call it twice in training mode, once in eval
    mode, and report what came out and whether the input changed."""
    import torch

    std, x = args
    torch.manual_seed(0)
    layer = impls[0](std)
    xt = torch.from_numpy(np.array(x))
    layer.train()
    first = layer(xt).detach().numpy().copy()
    second = layer(xt).detach().numpy().copy()
    layer.eval()
    evaluated = layer(xt).detach().numpy().copy()
    return {"train_1": first, "train_2": second, "eval": evaluated,
            "input_after": xt.numpy().copy()}


def _noise_compare(expected: Any, got: Any, case: Case) -> Verdict:
    """Property check: the noise is random, so compare its statistics, not its values."""
    std, x = case.args
    if not isinstance(got, dict) or set(got) != {"train_1", "train_2", "eval", "input_after"}:
        return Verdict(False, "the driver did not get a result back")
    for key in ("train_1", "train_2", "eval"):
        value = got[key]
        if not isinstance(value, np.ndarray) or value.shape != x.shape:
            return Verdict(False, f"{key}: expected an output of shape {x.shape}, got "
                                  f"{getattr(value, 'shape', type(value).__name__)}")
    if not np.array_equal(got["input_after"], x):
        return Verdict(False, "the layer changed its input tensor in place",
                       "return x + noise as a new tensor; don't use x.add_(...).")
    if not np.array_equal(got["eval"], x):
        return Verdict(False, "in eval mode the output differs from the input",
                       "in eval mode (self.training is False) return x unchanged.")
    noise = got["train_1"] - x
    if std == 0:
        if np.array_equal(got["train_1"], x):
            return Verdict(True)
        return Verdict(False, "std = 0, yet the training-mode output differs from the input")
    if np.array_equal(got["train_1"], x):
        return Verdict(False, "in training mode the output equals the input: no noise added",
                       "in training mode (self.training is True) add std · N(0, 1) noise.")
    if np.array_equal(got["train_1"], got["train_2"]):
        return Verdict(False, "two calls in training mode added the same noise",
                       "draw fresh noise on every call (torch.randn_like(x) inside forward).")
    n = noise.size
    mean, sd = float(noise.mean()), float(noise.std())
    if abs(mean) > 5 * std / np.sqrt(n):
        return Verdict(False, f"the noise has mean {mean:.4g}; zero-mean noise was expected")
    if abs(sd / std - 1) > 0.04:
        return Verdict(False, f"the noise has standard deviation {sd:.4g}; expected std = "
                              f"{std:g}", "multiply N(0, 1) samples by std (not by std², "
                                          "and not by x).")
    inside = float(np.mean(np.abs(noise) < std))
    if abs(inside - 0.6827) > 0.02:
        return Verdict(False, f"{inside:.1%} of the noise lies within one standard deviation; "
                              "Gaussian noise puts 68.3% there",
                       "draw Gaussian noise (torch.randn_like), not uniform.")
    big = np.abs(x) > np.median(np.abs(x))
    if abs(noise[big].std() / noise[~big].std() - 1) > 0.1:
        return Verdict(False, "the noise is larger where |x| is larger",
                       "additive noise: x + std·ε, with ε independent of x.")
    return Verdict(True)


def _noise_cases() -> list[Case]:
    rng = np.random.default_rng(150)
    return [
        Case((0.3, rng.uniform(0, 1, size=(200, 100))), label="std 0.3 on pixel-like inputs"),
        Case((1.0, rng.normal(scale=3.0, size=(100, 200))), label="std 1 on large inputs"),
        Case((0.0, rng.normal(size=(4, 5))), label="std 0: the layer does nothing"),
    ]


def _noise_random(rng: np.random.Generator) -> Case:
    return Case((float(rng.uniform(0.05, 2.0)),
                 rng.normal(scale=float(rng.uniform(0.5, 3.0)), size=(100, 200))))


# ---------------------------------------------------------------- pre-training and fine-tuning


def transfer_driver(impls, args, kwargs):
    """Build a ReLU net with the case's layer sizes and (pre-trained) weights in float32, call
    the student's function on it, then record for every parameter its shape, whether it trains,
    whether it kept its pre-trained value, whether it looks freshly initialised, which
    parameters came back, and which ones one SGD step over the returned list moved."""
    import torch

    sizes, weights, num_classes, n_new, fine_tune, x = args
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(int(sizes[i]), int(sizes[i + 1])))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)  # float32, torch's default: a new nn.Linear matches
    with torch.no_grad():
        for p, w in zip(model.parameters(), weights, strict=True):
            p.copy_(torch.from_numpy(np.array(w, dtype=np.float32)))
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    torch.manual_seed(0)
    returned = impls[0](model, num_classes, n_new, fine_tune)
    params = dict(model.named_parameters())
    names_by_id = {id(p): n for n, p in params.items()}
    returned_names = ([names_by_id.get(id(p), "(not a parameter of the model)")
                       for p in returned] if isinstance(returned, (list, tuple)) else None)
    kept, fresh = [], []
    for n, p in params.items():
        v = p.detach()
        kept.append(bool(v.shape == before[n].shape and torch.equal(v, before[n])))
        module = model[int(n.split(".")[0])]
        bound = 1.0 / np.sqrt(getattr(module, "in_features", 1))
        fresh.append(bool(v.numel() > 0 and float(v.abs().max()) <= bound + 1e-12
                          and (n.endswith("bias") or float(v.abs().max()) > 0)))
    snapshot = {n: p.detach().clone() for n, p in params.items()}
    out = model(torch.from_numpy(np.array(x, dtype=np.float32)))
    if returned_names is not None and returned:
        trainable = [p for p in returned if isinstance(p, torch.Tensor) and p.requires_grad]
        if trainable:
            optimizer = torch.optim.SGD(trainable, lr=0.1)
            optimizer.zero_grad()
            out.square().sum().backward()
            optimizer.step()
    moved = [not torch.equal(p.detach(), snapshot[n]) for n, p in params.items()]
    return {"names": list(params), "shapes": [np.array(p.shape, dtype=np.int64)
                                              for p in params.values()],
            "trainable": [bool(p.requires_grad) for p in params.values()], "kept": kept,
            "fresh": fresh, "returned": returned_names, "moved": moved,
            "out_shape": np.array(out.shape, dtype=np.int64)}


def _transfer_compare(expected: Any, got: Any, case: Case) -> Verdict:
    keys = {"names", "shapes", "trainable", "kept", "fresh", "returned", "moved", "out_shape"}
    if not isinstance(got, dict) or set(got) != keys:
        return Verdict(False, "the driver did not get a result back")
    _, _, num_classes, n_new, _, _ = case.args
    if list(got["names"]) != list(expected["names"]):
        return Verdict(False, f"the model's parameters are {list(got['names'])}, expected "
                              f"{list(expected['names'])}",
                       "replace the last nn.Linear by nn.Linear(in_features, num_classes) at the "
                       "same position, with a bias; change no other layer.")
    for name, s_got, s_exp in zip(got["names"], got["shapes"], expected["shapes"], strict=True):
        s_got, s_exp = tuple(int(v) for v in s_got), tuple(int(v) for v in s_exp)
        if s_got != s_exp:
            return Verdict(False, f"{name} has shape {s_got}, expected {s_exp}",
                           f"the new output layer has num_classes = {num_classes} outputs.")
    names = list(expected["names"])
    for name, k_got, k_exp, fresh in zip(names, got["kept"], expected["kept"], got["fresh"],
                                         strict=True):
        if k_exp and not k_got:
            return Verdict(False, f"{name} lost its pre-trained value",
                           f"only the last {n_new} linear layer(s) are new; every other layer "
                           "keeps the weights it came with.")
        if not k_exp and k_got:
            return Verdict(False, f"{name} still holds its pre-trained value; it belongs to the "
                                  "new head", "re-initialise the n_new − 1 linear layers below "
                                              "the output layer: layer.reset_parameters().")
        if not k_exp and not fresh:
            return Verdict(False, f"{name} does not look freshly initialised (its values exceed "
                                  "torch's default range 1/√fan_in, or are all zero)",
                           "use nn.Linear(...) or reset_parameters(): torch's own "
                           "initialisation.")
    for name, t_got, t_exp in zip(names, got["trainable"], expected["trainable"], strict=True):
        if t_exp and not t_got:
            return Verdict(False, f"{name} is frozen (requires_grad is False) but must train",
                           "freeze the old layers first, or set requires_grad per layer: the "
                           "new layers (and with fine_tune=True every layer) must train.")
        if t_got and not t_exp:
            return Verdict(False, f"{name} trains (requires_grad is True) but must be frozen",
                           "with fine_tune=False set requires_grad = False on every parameter "
                           "outside the new layers (weights and biases).")
    if got["returned"] is None:
        return Verdict(False, "the function did not return a list of parameters",
                       "return [p for p in model.parameters() if p.requires_grad].")
    if list(got["returned"]) != list(expected["returned"]):
        return Verdict(False, f"returned the parameters {list(got['returned'])}, expected "
                              f"{list(expected['returned'])}",
                       "return exactly the trainable parameters, in model.parameters() order.")
    frozen_moved = [n for n, m, t in zip(names, got["moved"], expected["trainable"],
                                         strict=True) if m and not t]
    if frozen_moved:
        return Verdict(False, f"one optimizer step over the returned parameters moved the "
                              f"frozen {frozen_moved}",
                       "only the trainable parameters may change.")
    return compare_values(expected["out_shape"], got["out_shape"], where="output shape: ")


def _transfer_case(rng: np.random.Generator, sizes: list[int], num_classes: int, n_new: int,
                   fine_tune: bool, label: str = "") -> Case:
    weights = []
    for a, b in itertools.pairwise(sizes):
        scale = 3.0 / np.sqrt(a)  # larger than torch's default range: pre-trained, not fresh
        weights += [rng.uniform(-scale, scale, size=(b, a)), rng.uniform(-scale, scale, size=b)]
    return Case((sizes, weights, num_classes, n_new, fine_tune,
                 rng.normal(size=(3, sizes[0]))), label=label)


def _transfer_cases() -> list[Case]:
    rng = np.random.default_rng(157)
    chapter = [64, 128, 32, 5]
    return [
        _transfer_case(rng, chapter, 5, 1, False,
                       "the chapter's 64-128-32-5 net, 'last layer': a new output layer only"),
        _transfer_case(rng, chapter, 5, 2, False,
                       "'new head': the output layer and the one below are new and train"),
        _transfer_case(rng, chapter, 5, 1, True,
                       "'everything': a new output layer, every layer trains"),
        _transfer_case(rng, [6, 5, 4, 3], 7, 3, False,
                       "three new layers and 7 classes on a small net"),
        _transfer_case(rng, [4, 3], 2, 1, False, "a single layer: it is the head"),
    ]


def _transfer_random(rng: np.random.Generator) -> Case:
    sizes = [int(v) for v in rng.integers(1, 10, size=int(rng.integers(2, 6)))]
    return _transfer_case(rng, sizes, int(rng.integers(2, 10)),
                          int(rng.integers(1, len(sizes))), bool(rng.integers(0, 2)))


# ---------------------------------------------------------------- the VAE's KL term


def _kl_cases() -> list[Case]:
    def pair(mu, logvar):
        return (np.array(mu, dtype=np.float64), np.array(logvar, dtype=np.float64))

    return [
        Case(pair([[0.0, 0.0]], [[0.0, 0.0]]), label="q is the prior itself: KL = 0",
             expected=np.array([0.0])),
        Case(pair([[1.0, 0.0]], [[0.0, 0.0]]), label="the mean moved by 1: KL = ½",
             expected=np.array([0.5])),
        Case(pair([[0.0]], [[np.log(4.0)]]), label="σ² = 4: KL = ½(4 − ln 4 − 1)",
             expected=np.array([0.5 * (3.0 - np.log(4.0))])),
        Case(pair([[0.5, -1.0, 2.0], [0.0, 0.3, -0.2]], [[-1.0, 0.5, 0.0], [2.0, -3.0, 0.1]]),
             label="two rows, three latent dimensions: one number per row"),
        Case(pair([[100.0, 0.0], [0.0, 0.0]], [[0.0, -30.0], [10.0, 0.0]]),
             label="extreme means and variances"),
    ]


def _kl_random(rng: np.random.Generator) -> Case:
    n, k = int(rng.integers(1, 8)), int(rng.integers(1, 6))
    scale = float(rng.uniform(0.2, 3.0))
    return Case((rng.normal(scale=scale, size=(n, k)), rng.normal(scale=scale, size=(n, k))))


def _kl_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    mu, logvar = case.args
    g = np.asarray(got, dtype=float) if isinstance(got, np.ndarray) else None
    if g is None:
        return None
    if g.shape != (mu.shape[0],):
        return ("one KL per row: sum over the latent dimensions (dim=1), keep the batch "
                "dimension.")
    terms = mu ** 2 + np.exp(logvar) - logvar - 1.0
    guesses = [
        (terms.sum(1), "multiply by ½: KL = ½ Σ (μ² + σ² − log σ² − 1)."),
        (0.5 * terms.mean(1), "sum over the latent dimensions, don't average."),
        (0.5 * (mu ** 2 + np.exp(2 * logvar) - 2 * logvar - 1).sum(1),
         "logvar is log σ², not log σ: σ² = exp(logvar)."),
        (0.5 * (mu ** 2 + np.exp(logvar) - logvar).sum(1), "don't forget the − 1 per dimension."),
        (-0.5 * terms.sum(1), "the KL divergence is never negative: check the sign."),
    ]
    for value, hint in guesses:
        if value.shape == g.shape and np.allclose(g, value, rtol=1e-9, atol=1e-12):
            return hint
    return None


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="15.pca_svd",
        title="principal components by the SVD of the centred data",
        functions=("pca_svd",),
        reference=(decomposition.pca_svd,),
        cases=_pca_cases,
        random_case=_pca_random,
        compare=_pca_compare,
        diagnose=_pca_diagnose,
        hint="μ = X.mean(axis=0); U, S, Vt = np.linalg.svd(X − μ, full_matrices=False); "
             "return Vt[:k], S[:k]**2 / (n − 1), μ.",
    ),
    Exercise(
        id="15.autoencoder",
        title="an encoder/decoder pair down to a small code",
        functions=("autoencoder_layers",),
        arg_names=("n_in", "hidden", "n_code", "weights", "x"),
        reference=(autoencoder.autoencoder_layers,),
        cases=_ae_cases,
        random_case=_ae_random,
        compare=_ae_compare,
        driver=autoencoder_driver,
        diagnose=_ae_diagnose,
        hint="sizes = [n_in, *hidden, n_code]: Linear + ReLU between consecutive sizes, no ReLU "
             "on the code; the decoder walks the sizes backwards and ends with a Sigmoid.",
        points=2.0,
    ),
    Exercise(
        id="15.gaussian_noise",
        title="the corrupting layer of a denoising autoencoder (noise in training mode only)",
        functions=("GaussianNoise",),
        arg_names=("std", "x"),
        reference=(autoencoder.GaussianNoise,),
        cases=_noise_cases,
        random_case=_noise_random,
        n_random=3,
        compare=_noise_compare,
        driver=noise_driver,
        show_expected=False,
        hint="forward: if self.training, return x + self.std * torch.randn_like(x); "
             "otherwise return x.",
    ),
    Exercise(
        id="15.transfer",
        title="fine-tuning: freeze the pre-trained layers, replace the head",
        functions=("freeze_and_replace_head",),
        arg_names=("sizes", "weights", "num_classes", "n_new", "fine_tune", "x"),
        reference=(transfer.freeze_and_replace_head,),
        cases=_transfer_cases,
        random_case=_transfer_random,
        compare=_transfer_compare,
        driver=transfer_driver,
        show_expected=False,
        hint="find the nn.Linear layers; model[last] = nn.Linear(in, num_classes); "
             "reset_parameters() on the n_new − 1 below; requires_grad = fine_tune or "
             "(layer is new); return the parameters with requires_grad.",
    ),
    Exercise(
        id="15.vae_kl",
        title="the VAE's KL term: KL(N(μ, σ²) ‖ N(0, I)) in closed form, per example",
        functions=("kl_to_standard_normal",),
        arg_names=("mu", "logvar"),
        reference=(vae.kl_to_standard_normal,),
        cases=_kl_cases,
        random_case=_kl_random,
        compare=close(rtol=1e-10, atol=1e-12),
        driver=drivers.call_with_tensors,
        diagnose=_kl_diagnose,
        hint="KL = ½ Σ_j (μ_j² + σ_j² − log σ_j² − 1) with σ² = exp(logvar): one sum over "
             "the latent dimensions per row.",
    ),
]
