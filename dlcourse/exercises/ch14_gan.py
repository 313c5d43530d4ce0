"""Exercises of chapter 14, generative adversarial networks."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse import gan
from dlcourse.checking import Case, Exercise, Verdict, close
from dlcourse.checking.compare import compare_values

CHAPTER = "14"
NOTEBOOK = "14_gan.ipynb"

LOG2 = float(np.log(2.0))


def _logit(d: np.ndarray) -> np.ndarray:
    """The logit whose sigmoid is d."""
    d = np.asarray(d, dtype=float)
    return np.log(d) - np.log1p(-d)


def _stable_hint(got: Any) -> str | None:
    if isinstance(got, float) and not np.isfinite(got):
        return ("the result is not finite: log(σ(l)) or log(1 − σ(l)) was evaluated after σ "
                "rounded to 0 or 1, or e^l overflowed (np.exp gives inf beyond l ≈ 709, so "
                "log1p(exp(l)) is not safe either). Work with the logits: log σ(l) = "
                "−softplus(−l) and log(1 − σ(l)) = −softplus(l), with softplus(x) = "
                "np.logaddexp(0, x).")
    return None


def _logits_random(rng: np.random.Generator, size: int | None = None) -> np.ndarray:
    n = size or int(rng.integers(1, 9))
    logits = rng.normal(scale=4.0, size=n)
    if rng.random() < 0.4:  # a saturated D: one logit far beyond exp's range (e^710 = inf)
        logits[rng.integers(0, n)] = rng.choice([-1.0, 1.0]) * rng.uniform(710.0, 1000.0)
    return logits


# ---------------------------------------------------------------- discriminator_loss


def _d_loss_cases() -> list[Case]:
    return [
        Case((np.zeros(4), np.zeros(3)), label="D = 1/2 everywhere: L_D = 2 log 2 = log 4",
             expected=2 * LOG2),
        Case((np.array([3.0, 5.0]), np.array([-4.0, -6.0, -2.0])),
             label="a confident, correct D: a small loss"),
        Case((np.array([-2.0, 1.0, 0.5]), np.array([2.5, 1.0])),
             label="a D that mistakes fakes for real: a large loss"),
        Case((np.array([80.0, -80.0]), np.array([-90.0, 90.0])),
             label="extreme logits ±80, ±90: still finite",
             expected=(0.0 + 80.0) / 2 + (0.0 + 90.0) / 2),
        Case((np.array([1000.0, -1000.0]), np.array([-1000.0, 1000.0])),
             label="logits ±1000, where e^l overflows: still finite",
             expected=(0.0 + 1000.0) / 2 + (0.0 + 1000.0) / 2),
    ]


def _d_loss_random(rng: np.random.Generator) -> Case:
    return Case((_logits_random(rng), _logits_random(rng)))


def _d_loss_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    real, fake = case.args
    stable = _stable_hint(got)
    if stable:
        return stable
    if not isinstance(got, (int, float)):
        return "return one number (a float): the average loss."
    sp = np.logaddexp
    if np.isclose(got, -expected):
        return "the sign is flipped: D *maximizes* V, so its loss is −V (a positive number)."
    if np.isclose(got, np.mean(sp(0, real)) + np.mean(sp(0, -fake))):
        return "real and fake are swapped: real samples have label 1 (D(x) → 1), fakes label 0."
    if np.isclose(got, np.mean(sp(0, np.concatenate([-real, fake])))) and len(real) != len(fake):
        return ("average each term over its own batch, then add the two averages (V is a sum of "
                "two expectations).")
    if np.isclose(got, np.mean(sp(0, -real))) or np.isclose(got, np.mean(sp(0, fake))):
        return "one of the two terms of V is missing."
    return None


# ---------------------------------------------------------------- the generator losses


def _g_sat_cases() -> list[Case]:
    return [
        Case((np.zeros(3),), label="D(G(z)) = 1/2: log(1 − 1/2) = −log 2", expected=-LOG2),
        Case((_logit(np.array([1e-3])),), label="D(G(z)) = 0.001: log(0.999), almost 0",
             expected=float(np.log1p(-1e-3))),
        Case((np.array([100.0, -100.0]),), label="extreme logits ±100: still finite",
             expected=-50.0),
        Case((np.array([1000.0, -1000.0]),), label="logits ±1000, where e^l overflows: still "
                                                   "finite", expected=-500.0),
    ]


def _g_ns_cases() -> list[Case]:
    return [
        Case((np.zeros(3),), label="D(G(z)) = 1/2: −log(1/2) = log 2", expected=LOG2),
        Case((_logit(np.array([1e-3])),), label="D(G(z)) = 0.001: −log(0.001) ≈ 6.91",
             expected=float(-np.log(1e-3))),
        Case((np.array([-800.0, 800.0]),), label="extreme logits ±800: still finite",
             expected=400.0),
    ]


def _g_random(rng: np.random.Generator) -> Case:
    return Case((_logits_random(rng),))


def _g_sat_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    (fake,) = case.args
    stable = _stable_hint(got)
    if stable:
        return stable
    if not isinstance(got, (int, float)):
        return "return one number (a float): the average over the batch."
    if np.isclose(got, -expected):
        return ("the sign: G minimizes log(1 − D(G(z))) itself, a negative number "
                "(−softplus(l) averaged).")
    if np.isclose(got, gan.generator_loss_nonsaturating(fake)):
        return "that is the non-saturating loss −log D(G(z)); here it is log(1 − D(G(z)))."
    if np.isclose(got, expected * len(fake)) and len(fake) > 1:
        return "average over the batch (np.mean), do not sum."
    return None


def _g_ns_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    (fake,) = case.args
    stable = _stable_hint(got)
    if stable:
        return stable
    if not isinstance(got, (int, float)):
        return "return one number (a float): the average over the batch."
    if np.isclose(got, -expected):
        return "the sign: −log D(G(z)) is positive (softplus(−l) averaged)."
    if np.isclose(got, float(np.mean(np.logaddexp(0, fake)))):
        return ("softplus(l) is −log(1 − D): the loss of calling the fake *fake*. G wants D to "
                "call it real: −log D = softplus(−l).")
    if np.isclose(got, expected * len(fake)) and len(fake) > 1:
        return "average over the batch (np.mean), do not sum."
    return None


# ---------------------------------------------------------------- generator_logit_grads

_D_TEXT = np.array([0.5, 0.1, 0.01, 0.001])


def _grads_cases() -> list[Case]:
    return [
        Case((_logit(_D_TEXT),), label="D(G(z)) = 0.5, 0.1, 0.01, 0.001",
             expected=(-_D_TEXT, _D_TEXT - 1.0), compare=close(rtol=1e-9, atol=1e-12)),
        Case((np.array([-40.0, 0.0, 40.0]),), label="logits −40, 0, 40"),
    ]


def _grads_random(rng: np.random.Generator) -> Case:
    return Case((rng.normal(scale=5.0, size=int(rng.integers(2, 9))),))


def _grads_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    (fake,) = case.args
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return "return the pair (grad_saturating, grad_nonsaturating)."
    sat, ns = (np.asarray(g, dtype=float) for g in got)
    exp_sat, exp_ns = expected
    if sat.shape != exp_sat.shape or ns.shape != exp_ns.shape:
        return "one derivative per sample: both arrays have the shape of fake_logits."
    if np.allclose(sat, exp_ns) and np.allclose(ns, exp_sat):
        return "the two are swapped: first d/dl log(1 − σ(l)), then d/dl −log σ(l)."
    if np.allclose(sat, -exp_sat) or np.allclose(ns, -exp_ns):
        return ("a sign: both losses fall as the logit rises, so both derivatives are "
                "negative: −σ(l) and σ(l) − 1.")
    if np.allclose(sat * len(fake), exp_sat) and len(fake) > 1:
        return "per sample, no averaging: do not divide by the batch size."
    d = 1.0 / (1.0 + np.exp(-fake))
    with np.errstate(divide="ignore"):
        if np.allclose(sat, -1.0 / (1.0 - d)) or np.allclose(ns, -1.0 / d):
            return ("that is the derivative with respect to D; the chain rule through "
                    "D = σ(l) multiplies by σ'(l) = σ(l)(1 − σ(l)).")
    return None


# ---------------------------------------------------------------- optimal_discriminator


def _dstar_cases() -> list[Case]:
    return [
        Case((np.array([0.4, 0.1, 0.0, 0.2]), np.array([0.1, 0.1, 0.3, 0.0])),
             label="p_data = (0.4, 0.1, 0, 0.2), p_g = (0.1, 0.1, 0.3, 0)",
             expected=np.array([0.8, 0.5, 0.0, 1.0])),
    ]


def _dstar_random(rng: np.random.Generator) -> Case:
    x = np.sort(rng.uniform(-3, 3, size=int(rng.integers(3, 10))))
    p_data = gan.gaussian_pdf(x, float(rng.normal()), float(rng.uniform(0.5, 1.5)))
    p_g = gan.gaussian_pdf(x, float(rng.normal()), float(rng.uniform(0.5, 1.5)))
    return Case((p_data, p_g))


def _dstar_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, np.ndarray) or got.shape != expected.shape:
        return "one value per point: an array shaped like p_data."
    if np.allclose(got, 1 - expected):
        return "that is p_g / (p_data + p_g), the probability of *fake*; D* says real."
    return None


# ---------------------------------------------------------------- mode_coverage

_CENTERS8 = gan.ring_centers(8, 2.0)


def _coverage_text_samples() -> np.ndarray:
    near0 = _CENTERS8[0] + np.array([[0.1, 0.0], [-0.05, 0.1], [0.0, -0.2]])
    near1 = _CENTERS8[1] + np.array([[0.1, 0.1]])
    near5 = _CENTERS8[5] + np.array([[0.0, 0.3], [0.2, -0.2]])   # just outside radius 0.25
    far = np.array([[0.0, 0.0], [3.0, 3.0]])
    return np.concatenate([near0, near1, near5, far])


def _coverage_cases() -> list[Case]:
    samples = _coverage_text_samples()
    return [
        Case((samples, _CENTERS8, 0.25, 2),
             label="3 samples at mode 0, 1 at mode 1, 2 just outside mode 5, 2 far away",
             expected=(1, np.array([3, 1, 0, 0, 0, 0, 0, 0]))),
        Case((samples, _CENTERS8, 0.25, 1), label="the same with min_count = 1",
             expected=(2, np.array([3, 1, 0, 0, 0, 0, 0, 0]))),
        # by hand: mode 0 sits at (2, 0) exactly, so (2.25, 0) is exactly 0.25 away
        Case((np.array([[2.25, 0.0], [2.0, 0.3]]), _CENTERS8, 0.25, 1),
             label="a sample exactly `radius` away counts (≤); one 0.3 away does not",
             expected=(1, np.array([1, 0, 0, 0, 0, 0, 0, 0]))),
    ]


def _coverage_random(rng: np.random.Generator) -> Case:
    k = int(rng.integers(4, 9))
    centers = gan.ring_centers(k, 2.0)
    radius = float(rng.uniform(0.2, 0.45))
    min_count = int(rng.integers(1, 4))
    parts = []
    for c in centers:
        # some modes get exactly min_count samples, some fewer, some more
        n_in = int(rng.choice([0, min_count - 1, min_count, min_count + 2]))
        angle = rng.uniform(0, 2 * np.pi, n_in)
        r = radius * rng.uniform(0.0, 0.95, n_in)
        parts.append(c + r[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1))
        # samples between radius and √radius: a squared-distance slip would count them
        n_out = int(rng.integers(0, 3))
        angle = rng.uniform(0, 2 * np.pi, n_out)
        r = rng.uniform(radius * 1.05, np.sqrt(radius) * 0.95, n_out)
        parts.append(c + r[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1))
    parts.append(rng.uniform(-0.5, 0.5, size=(int(rng.integers(1, 4)), 2)))  # near the origin
    samples = np.concatenate(parts)
    return Case((samples[rng.permutation(len(samples))], centers, radius, min_count))


def _coverage_compare(expected: Any, got: Any, case: Case) -> Verdict:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return Verdict(False, "expected a pair (number of covered modes, counts per mode)",
                       "return n_covered, counts")
    n_exp, counts_exp = expected
    n_got, counts_got = got
    counts_got = np.asarray(counts_got)
    verdict = compare_values(counts_exp, counts_got, rtol=0, atol=0, check_dtype=False,
                             where="counts: ")
    if not verdict.passed:
        return verdict
    if isinstance(n_got, np.ndarray) and n_got.size == 1:
        n_got = n_got.item()
    if not isinstance(n_got, (int, float)) or n_got != n_exp:
        return Verdict(False, f"n_covered is {n_got!r}, expected {n_exp} (counts are right)",
                       "a mode is covered when its count is at least min_count (≥, not >).")
    return Verdict(True)


def _coverage_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    samples, centers, radius, _ = case.args
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    counts = np.asarray(got[1])
    if counts.shape != expected[1].shape:
        return "counts has one entry per centre (K of them)."
    if counts.sum() == len(samples):
        return "every sample was counted: count only samples within `radius` of their centre."
    dist = np.linalg.norm(samples[:, None] - centers[None], axis=2)
    if np.array_equal(counts, np.bincount(np.argmin(dist, 1)[dist.min(1) ** 2 <= radius],
                                          minlength=len(centers))):
        return "the distance is compared squared: use ‖x − c‖ ≤ radius (or ‖x − c‖² ≤ radius²)."
    return None


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="14.discriminator_loss",
        title="the discriminator's loss −V(D, G), from logits",
        functions=("discriminator_loss",),
        reference=(gan.discriminator_loss,),
        cases=_d_loss_cases,
        random_case=_d_loss_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_d_loss_diagnose,
        hint="L_D = mean softplus(−l_real) + mean softplus(l_fake), softplus(x) = "
             "np.logaddexp(0, x).",
    ),
    Exercise(
        id="14.generator_loss_saturating",
        title="the saturating generator loss log(1 − D(G(z))), from logits",
        functions=("generator_loss_saturating",),
        reference=(gan.generator_loss_saturating,),
        cases=_g_sat_cases,
        random_case=_g_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_g_sat_diagnose,
        hint="log(1 − σ(l)) = −softplus(l): the loss is −mean softplus(l).",
    ),
    Exercise(
        id="14.generator_loss_nonsaturating",
        title="the non-saturating generator loss −log D(G(z)), from logits",
        functions=("generator_loss_nonsaturating",),
        reference=(gan.generator_loss_nonsaturating,),
        cases=_g_ns_cases,
        random_case=_g_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_g_ns_diagnose,
        hint="−log σ(l) = softplus(−l): the loss is mean softplus(−l).",
    ),
    Exercise(
        id="14.generator_logit_grads",
        title="the two generator losses' derivatives with respect to D's logit",
        functions=("generator_logit_grads",),
        reference=(gan.generator_logit_grads,),
        cases=_grads_cases,
        random_case=_grads_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_grads_diagnose,
        hint="σ'(l) = σ(l)(1 − σ(l)); d/dl log(1 − σ(l)) = −σ(l) and d/dl −log σ(l) = σ(l) − 1.",
    ),
    Exercise(
        id="14.optimal_discriminator",
        title="the optimal discriminator D* = p_data / (p_data + p_g)",
        functions=("optimal_discriminator",),
        reference=(gan.optimal_discriminator,),
        cases=_dstar_cases,
        random_case=_dstar_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_dstar_diagnose,
        hint="maximize p_data·log y + p_g·log(1 − y) over y, point by point: set the "
             "derivative to zero.",
    ),
    Exercise(
        id="14.mode_coverage",
        title="mode coverage: which modes have generated samples near them",
        functions=("mode_coverage",),
        reference=(gan.mode_coverage,),
        cases=_coverage_cases,
        random_case=_coverage_random,
        compare=_coverage_compare,
        diagnose=_coverage_diagnose,
        hint="distances (n, K) by broadcasting; the nearest centre per sample; keep samples "
             "within radius; np.bincount(..., minlength=K).",
    ),
]
