"""Plausible mistakes for chapter 14's exercises (GAN losses, optimal D, mode coverage)."""

VARIANTS = {
    "14.discriminator_loss": [
        ("returns V instead of −V",
         "def discriminator_loss(real_logits, fake_logits):\n"
         "    return -(np.mean(np.logaddexp(0, -real_logits)) + np.mean(np.logaddexp(0, fake_logits)))\n"),
        ("real and fake swapped",
         "def discriminator_loss(real_logits, fake_logits):\n"
         "    return float(np.mean(np.logaddexp(0, real_logits)) + np.mean(np.logaddexp(0, -fake_logits)))\n"),
        ("naive: log of the sigmoid (infinite for large logits)",
         "def discriminator_loss(real_logits, fake_logits):\n"
         "    d_real = 1 / (1 + np.exp(-real_logits))\n"
         "    d_fake = 1 / (1 + np.exp(-fake_logits))\n"
         "    return float(-np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake)))\n"),
        ("one mean over both batches together",
         "def discriminator_loss(real_logits, fake_logits):\n"
         "    return float(np.mean(np.logaddexp(0, np.concatenate([-real_logits, fake_logits]))))\n"),
        ("forgets the fake term",
         "def discriminator_loss(real_logits, fake_logits):\n"
         "    return float(np.mean(np.logaddexp(0, -real_logits)))\n"),
        ("softplus written as log1p(exp(x)): inf once e^x overflows (x > 709)",
         "def discriminator_loss(real_logits, fake_logits):\n"
         "    softplus = lambda t: np.log1p(np.exp(t))\n"
         "    return float(np.mean(softplus(-real_logits)) + np.mean(softplus(fake_logits)))\n"),
    ],
    "14.generator_loss_saturating": [
        ("sign flipped",
         "def generator_loss_saturating(fake_logits):\n"
         "    return float(np.mean(np.logaddexp(0, fake_logits)))\n"),
        ("returns the non-saturating loss",
         "def generator_loss_saturating(fake_logits):\n"
         "    return float(np.mean(np.logaddexp(0, -fake_logits)))\n"),
        ("naive log(1 − σ(l)): −inf for large logits",
         "def generator_loss_saturating(fake_logits):\n"
         "    return float(np.mean(np.log(1 - 1 / (1 + np.exp(-fake_logits)))))\n"),
        ("sums instead of averaging",
         "def generator_loss_saturating(fake_logits):\n"
         "    return float(-np.sum(np.logaddexp(0, fake_logits)))\n"),
        ("softplus written as log1p(exp(x)): −inf once e^x overflows (x > 709)",
         "def generator_loss_saturating(fake_logits):\n"
         "    return float(-np.mean(np.log1p(np.exp(fake_logits))))\n"),
    ],
    "14.generator_loss_nonsaturating": [
        ("sign flipped",
         "def generator_loss_nonsaturating(fake_logits):\n"
         "    return float(-np.mean(np.logaddexp(0, -fake_logits)))\n"),
        ("softplus(l): the loss of calling the fake fake",
         "def generator_loss_nonsaturating(fake_logits):\n"
         "    return float(np.mean(np.logaddexp(0, fake_logits)))\n"),
        ("naive −log σ(l): infinite for very negative logits",
         "def generator_loss_nonsaturating(fake_logits):\n"
         "    return float(-np.mean(np.log(1 / (1 + np.exp(-fake_logits)))))\n"),
        ("sums instead of averaging",
         "def generator_loss_nonsaturating(fake_logits):\n"
         "    return float(np.sum(np.logaddexp(0, -fake_logits)))\n"),
    ],
    "14.generator_logit_grads": [
        ("the two swapped",
         "def generator_logit_grads(fake_logits):\n"
         "    s = 1 / (1 + np.exp(-fake_logits))\n"
         "    return s - 1, -s\n"),
        ("positive signs",
         "def generator_logit_grads(fake_logits):\n"
         "    s = 1 / (1 + np.exp(-fake_logits))\n"
         "    return s, 1 - s\n"),
        ("derivatives with respect to D, not its logit",
         "def generator_logit_grads(fake_logits):\n"
         "    s = 1 / (1 + np.exp(-fake_logits))\n"
         "    return -1 / (1 - s), -1 / s\n"),
        ("gradients of the batch mean (divided by n)",
         "def generator_logit_grads(fake_logits):\n"
         "    s = 1 / (1 + np.exp(-fake_logits))\n"
         "    n = fake_logits.size\n"
         "    return -s / n, (s - 1) / n\n"),
        ("forgets the chain rule's σ(1 − σ) on the saturating one",
         "def generator_logit_grads(fake_logits):\n"
         "    s = 1 / (1 + np.exp(-fake_logits))\n"
         "    return -np.ones_like(s), s - 1\n"),
    ],
    "14.optimal_discriminator": [
        ("swapped: the probability of fake",
         "def optimal_discriminator(p_data, p_g):\n    return p_g / (p_data + p_g)\n"),
        ("the density ratio p_data / p_g",
         "def optimal_discriminator(p_data, p_g):\n"
         "    with np.errstate(divide='ignore', invalid='ignore'):\n"
         "        return p_data / p_g\n"),
        ("always one half (the equilibrium, not the optimum)",
         "def optimal_discriminator(p_data, p_g):\n    return np.full_like(p_data, 0.5)\n"),
        ("normalised to sum to one over the points",
         "def optimal_discriminator(p_data, p_g):\n    return p_data / np.sum(p_data + p_g)\n"),
    ],
    "14.mode_coverage": [
        ("no radius: every sample counts for its nearest mode",
         "def mode_coverage(samples, centers, radius, min_count=1):\n"
         "    d = np.linalg.norm(samples[:, None] - centers[None], axis=2)\n"
         "    counts = np.bincount(d.argmin(1), minlength=len(centers))\n"
         "    return int(np.sum(counts >= min_count)), counts\n"),
        ("strictly more than min_count",
         "def mode_coverage(samples, centers, radius, min_count=1):\n"
         "    d = np.linalg.norm(samples[:, None] - centers[None], axis=2)\n"
         "    near = d.min(1) <= radius\n"
         "    counts = np.bincount(d.argmin(1)[near], minlength=len(centers))\n"
         "    return int(np.sum(counts > min_count)), counts\n"),
        ("squared distance compared with the radius",
         "def mode_coverage(samples, centers, radius, min_count=1):\n"
         "    d2 = np.sum((samples[:, None] - centers[None]) ** 2, axis=2)\n"
         "    near = d2.min(1) <= radius\n"
         "    counts = np.bincount(d2.argmin(1)[near], minlength=len(centers))\n"
         "    return int(np.sum(counts >= min_count)), counts\n"),
        ("ignores min_count",
         "def mode_coverage(samples, centers, radius, min_count=1):\n"
         "    d = np.linalg.norm(samples[:, None] - centers[None], axis=2)\n"
         "    near = d.min(1) <= radius\n"
         "    counts = np.bincount(d.argmin(1)[near], minlength=len(centers))\n"
         "    return int(np.sum(counts > 0)), counts\n"),
        ("strictly inside the radius (<): a sample exactly `radius` away is not counted",
         "def mode_coverage(samples, centers, radius, min_count=1):\n"
         "    dist = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)\n"
         "    nearest = np.argmin(dist, axis=1)\n"
         "    close = dist[np.arange(len(samples)), nearest] < radius\n"
         "    counts = np.bincount(nearest[close], minlength=len(centers))\n"
         "    return int(np.sum(counts >= min_count)), counts\n"),
    ],
}
