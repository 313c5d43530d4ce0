"""Self-check quiz of chapter 14, generative adversarial networks."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "In min_G max_D V(D, G) = E[log D(x)] + E[log(1 − D(G(z)))], what does the "
        "discriminator do?",
        wrong("it minimizes V",
              "The generator minimizes V; the discriminator maximizes it, pushing both "
              "log D(x) and log(1 − D(G(z))) up."),
        right("it maximizes V: D(x) → 1 on real data, D(G(z)) → 0 on fakes",
              "D maximizes V, so its loss is −V: binary cross-entropy with label 1 for real "
              "samples and 0 for generated ones."),
        wrong("it maximizes only the first term, E[log D(x)]",
              "D appears in both terms; it must also call the fakes fake, pushing "
              "D(G(z)) → 0."),
        wrong("it generates samples from noise",
              "That is G's job; D only scores samples as real or generated."),
    ),
    Question(
        "Early in training D rejects every fake: D(G(z)) ≈ 0.001. With D = σ(l), what is the "
        "derivative of log(1 − D(G(z))) with respect to the logit l?",
        wrong("about −0.999",
              "That is the derivative of the non-saturating loss −log D(G(z)) with respect to "
              "l: D − 1 ≈ −0.999."),
        right("about −0.001",
              "d/dl log(1 − σ(l)) = −σ(l) = −D ≈ −0.001: the saturating loss is almost flat "
              "there, while −log D(G(z)) has derivative D − 1 ≈ −0.999."),
        wrong("about −1000",
              "−1000 = −1/D is the derivative of −log D with respect to D itself; for the "
              "logit the chain rule multiplies by σ′ = D(1 − D), and log(1 − D) gives −D."),
        wrong("exactly 0",
              "It is small, −0.001, but not zero; the point is that it is a thousand times "
              "smaller than the non-saturating loss's."),
    ),
    Question(
        "Why does the non-saturating loss −log D(G(z)) not change what G is aiming for?",
        right("both push D(G(z)) up, so they share G's optimum",
              "For a fixed D both are decreasing functions of D(G(z)), with the same minimizer; "
              "only the slope differs, steep where D(G(z)) is small instead of flat."),
        wrong("it is the same function, written differently",
              "−log D and log(1 − D) are different functions of D: at D = 0.5 one is 0.69, the "
              "other −0.69. They only agree on the direction they push D(G(z))."),
        wrong("it changes the discriminator's loss as well",
              "D's loss stays the binary cross-entropy; only G's loss is swapped."),
        wrong("it makes D output 1/2 immediately",
              "No loss makes D jump to 1/2; D* = 1/2 is where training ends up only once "
              "p_g = p_data."),
    ),
    Question(
        "For a fixed generator, at a point x with p_data(x) = 0.3 and p_g(x) = 0.1, what is the "
        "optimal D(x)?",
        wrong("0.25",
              "0.25 = p_g/(p_data + p_g) is the chance that a sample at x is fake; D outputs "
              "the chance that it is real."),
        wrong("0.5",
              "1/2 is D*'s value where p_g = p_data; here real data is three times as dense as "
              "the fakes."),
        right("0.75",
              "D*(x) = p_data / (p_data + p_g) = 0.3 / 0.4 = 0.75. When p_g = p_data "
              "everywhere, D* = 1/2 and V = −log 4."),
        wrong("3",
              "3 = p_data/p_g is the density ratio; D is a probability, "
              "p_data/(p_data + p_g) ∈ [0, 1]."),
    ),
    Question(
        "A GAN trained on 8 Gaussians on a ring generates samples near only 2 of the modes, "
        "however long it trains. What is this called?",
        wrong("overfitting",
              "Overfitting would be G copying training points; here whole modes are missing."),
        wrong("vanishing gradients",
              "Vanishing gradients would stall G altogether; here G learned to fool D, but with "
              "only a few modes."),
        right("mode collapse",
              "Mode collapse: G maps most noise to a few modes that fool D. Counting the modes "
              "with samples near them (mode coverage) measures it."),
        wrong("saturation",
              "Saturation is the flat log(1 − D(G(z))) while D rejects the fakes; mode "
              "collapse is about how varied G's samples are."),
    ),
    Question(
        "True or false (seed 000's quiz): a GAN is a deep model that learns complex "
        "distributions without labels, one of the most promising approaches to unsupervised "
        "learning.",
        right("true",
              "G learns to sample from the data distribution from unlabelled samples alone; "
              "the real/fake labels of D's loss say where a sample came from, and the training "
              "makes them up itself. G and D are both neural networks."),
        wrong("false",
              "No annotation is needed: D's labels are 'from the data' or 'from G', known "
              "by construction, and both players are (deep) neural networks."),
    ),
]
