"""Plausible mistakes for chapter 08's exercises."""

from __future__ import annotations

VARIANTS = {
    "08.zeros_and_constant": [
        ("ones for zeros",
         "def zeros(shape):\n    return np.ones(shape)\n"
         "def constant(shape, value):\n    return np.full(shape, value)\n"),
        ("constant ignores its value",
         "def zeros(shape):\n    return np.zeros(shape)\n"
         "def constant(shape, value):\n    return np.zeros(shape)\n"),
        ("constant makes a 1-D array of the first dimension",
         "def zeros(shape):\n    return np.zeros(shape)\n"
         "def constant(shape, value):\n    return np.full(shape[0], value)\n"),
        ("constant adds the value to random numbers",
         "def zeros(shape):\n    return np.zeros(shape)\n"
         "def constant(shape, value):\n"
         "    return value + 0.01 * np.random.default_rng(0).standard_normal(shape)\n"),
        ("np.full(shape, value) keeps an integer value's dtype: an integer array",
         "def zeros(shape):\n"
         "    return np.zeros(shape)\n"
         "def constant(shape, value):\n"
         "    return np.full(shape, value)\n"),
    ],
    "08.small_random": [
        ("ignores the scale argument",
         "def small_random(shape, scale=0.01, *, rng):\n"
         "    return 0.01 * rng.standard_normal(shape)\n"),
        ("uniform in [0, scale): not centred",
         "def small_random(shape, scale=0.01, *, rng):\n    return scale * rng.random(shape)\n"),
        ("draws from np.random instead of rng",
         "def small_random(shape, scale=0.01, *, rng):\n"
         "    return scale * np.random.standard_normal(shape)\n"),
        ("scale squared",
         "def small_random(shape, scale=0.01, *, rng):\n"
         "    return scale**2 * rng.standard_normal(shape)\n"),
        ("uniform in (−scale, scale)",
         "def small_random(shape, scale=0.01, *, rng):\n"
         "    return rng.uniform(-scale, scale, size=shape)\n"),
    ],
    "08.randn_sqrt_n": [
        ("fan_in read from shape[1] (torch's layout)",
         "def randn_sqrt_n(shape, *, rng):\n"
         "    return rng.standard_normal(shape) / np.sqrt(shape[1])\n"),
        ("divides by n, not √n",
         "def randn_sqrt_n(shape, *, rng):\n    return rng.standard_normal(shape) / shape[0]\n"),
        ("divides by √(fan_in + fan_out)",
         "def randn_sqrt_n(shape, *, rng):\n"
         "    return rng.standard_normal(shape) / np.sqrt(shape[0] + shape[1])\n"),
        ("a fresh generator instead of the given one",
         "def randn_sqrt_n(shape, *, rng):\n"
         "    return np.random.default_rng().standard_normal(shape) / np.sqrt(shape[0])\n"),
    ],
    "08.xavier_uniform": [
        ("√(3/(fan_in + fan_out)): the bound of a unit-variance uniform",
         "def xavier_uniform(shape, gain=1.0, *, rng):\n"
         "    b = gain * np.sqrt(3.0 / (shape[0] + shape[1]))\n"
         "    return rng.uniform(-b, b, size=shape)\n"),
        ("normal instead of uniform, same variance",
         "def xavier_uniform(shape, gain=1.0, *, rng):\n"
         "    return gain * np.sqrt(2.0 / (shape[0] + shape[1])) * rng.standard_normal(shape)\n"),
        ("ignores the gain",
         "def xavier_uniform(shape, gain=1.0, *, rng):\n"
         "    b = np.sqrt(6.0 / (shape[0] + shape[1]))\n"
         "    return rng.uniform(-b, b, size=shape)\n"),
        ("uses fan_in alone",
         "def xavier_uniform(shape, gain=1.0, *, rng):\n"
         "    b = gain * np.sqrt(6.0 / shape[0])\n"
         "    return rng.uniform(-b, b, size=shape)\n"),
        ("uniform on (0, b): not centred",
         "def xavier_uniform(shape, gain=1.0, *, rng):\n"
         "    b = gain * np.sqrt(6.0 / (shape[0] + shape[1]))\n"
         "    return rng.uniform(0, b, size=shape)\n"),
    ],
    "08.xavier_normal": [
        ("variance 1/(fan_in + fan_out)",
         "def xavier_normal(shape, gain=1.0, *, rng):\n"
         "    return gain * np.sqrt(1.0 / (shape[0] + shape[1])) * rng.standard_normal(shape)\n"),
        ("ignores the gain",
         "def xavier_normal(shape, gain=1.0, *, rng):\n"
         "    return np.sqrt(2.0 / (shape[0] + shape[1])) * rng.standard_normal(shape)\n"),
        ("He's σ = √(2/fan_in)",
         "def xavier_normal(shape, gain=1.0, *, rng):\n"
         "    return gain * np.sqrt(2.0 / shape[0]) * rng.standard_normal(shape)\n"),
        ("uniform with the right variance",
         "def xavier_normal(shape, gain=1.0, *, rng):\n"
         "    b = gain * np.sqrt(6.0 / (shape[0] + shape[1]))\n"
         "    return rng.uniform(-b, b, size=shape)\n"),
        ("the gain applied to the variance, not the standard deviation",
         "def xavier_normal(shape, gain=1.0, *, rng):\n"
         "    return np.sqrt(gain * 2.0 / (shape[0] + shape[1])) * rng.standard_normal(shape)\n"),
    ],
    "08.he_normal": [
        ("LeCun's σ = 1/√fan_in (no gain √2)",
         "def he_normal(shape, *, rng):\n"
         "    return rng.standard_normal(shape) / np.sqrt(shape[0])\n"),
        ("fan_out instead of fan_in",
         "def he_normal(shape, *, rng):\n"
         "    return np.sqrt(2.0 / shape[1]) * rng.standard_normal(shape)\n"),
        ("Xavier's σ = √(2/(fan_in + fan_out))",
         "def he_normal(shape, *, rng):\n"
         "    return np.sqrt(2.0 / (shape[0] + shape[1])) * rng.standard_normal(shape)\n"),
        ("variance 2/fan_in used as the standard deviation",
         "def he_normal(shape, *, rng):\n"
         "    return (2.0 / shape[0]) * rng.standard_normal(shape)\n"),
        ("He uniform instead of He normal",
         "def he_normal(shape, *, rng):\n"
         "    b = np.sqrt(6.0 / shape[0])\n"
         "    return rng.uniform(-b, b, size=shape)\n"),
    ],
}
