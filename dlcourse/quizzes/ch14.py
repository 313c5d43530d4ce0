"""Self-check quiz of chapter 14, generative adversarial networks."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "In min_G max_D V(D, G) = E[log D(x)] + E[log(1 − D(G(z)))], what does the discriminator "
        "do?",
        wrong("it minimizes V", ""),
        right("it maximizes V: D(x) → 1 on real data, D(G(z)) → 0 on fakes",
              "D maximizes V, so its loss is −V: binary cross-entropy with label 1 for real "
              "samples and 0 for generated ones."),
        wrong("it maximizes only the first term", ""),
        wrong("it generates samples from noise", ""),
    ),
    Question(
        "Early in training D rejects every fake: D(G(z)) ≈ 0.001. With D = σ(l), what is the "
        "derivative of log(1 − D(G(z))) with respect to the logit l?",
        wrong("about −0.999", ""),
        right("about −0.001",
              "d/dl log(1 − σ(l)) = −σ(l) = −D ≈ −0.001: the saturating loss is almost flat "
              "there, while −log D(G(z)) has derivative D − 1 ≈ −0.999."),
        wrong("about −1000", ""),
        wrong("exactly 0", ""),
    ),
    Question(
        "Why does the non-saturating loss −log D(G(z)) not change what G is aiming for?",
        right("it has the same minimizer as log(1 − D(G(z))) for a fixed D: both push D(G(z)) up",
              "Both are decreasing functions of D(G(z)); only the slope differs, steep where "
              "D(G(z)) is small instead of flat."),
        wrong("it is the same function", ""),
        wrong("it changes the discriminator's loss too", ""),
        wrong("it makes D output 1/2 immediately", ""),
    ),
    Question(
        "For a fixed generator, at a point x with p_data(x) = 0.3 and p_g(x) = 0.1, what is the "
        "optimal D(x)?",
        wrong("0.25", ""),
        wrong("0.5", ""),
        right("0.75",
              "D*(x) = p_data / (p_data + p_g) = 0.3 / 0.4 = 0.75. When p_g = p_data "
              "everywhere, D* = 1/2 and V = −log 4."),
        wrong("3", ""),
    ),
    Question(
        "A GAN trained on 8 Gaussians on a ring generates samples near only 2 of the modes, "
        "however long it trains. What is this called?",
        wrong("overfitting", ""),
        wrong("vanishing gradients", ""),
        right("mode collapse",
              "Mode collapse: G maps most noise to a few modes that fool D. Counting the modes "
              "with samples near them (mode coverage) measures it."),
        wrong("saturation", ""),
    ),
]
