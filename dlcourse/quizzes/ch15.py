"""Self-check quiz of chapter 15, autoencoders and representations."""

from dlcourse.quiz import Question

QUESTIONS = [
    Question(
        "PCA's components are computed from X − μ = U S Vᵀ. Which are they?",
        ("the columns of U", "the first k rows of Vᵀ", "the singular values S",
         "the first k columns of X"),
        1,
        "The right-singular vectors (rows of Vᵀ) are the directions in pixel space; the "
        "variance along component j is S_j² / (n − 1).",
    ),
    Question(
        "Among all encoders and decoders that are linear maps to k numbers, which has the "
        "smallest mean squared reconstruction error?",
        ("a random projection", "PCA with k components",
         "any linear autoencoder, all are equal", "none: a linear map cannot reconstruct"),
        1,
        "The Eckart–Young theorem: the best rank-k approximation keeps the top k singular "
        "directions. A linear autoencoder can at best match PCA; beating it takes "
        "nonlinear layers.",
    ),
    Question(
        "Why does the autoencoder's decoder end with a sigmoid here?",
        ("to make training faster", "the digits' pixels lie in [0, 1]",
         "a sigmoid is required for backpropagation", "to make the code 2-D"),
        1,
        "The outputs are pixel intensities between 0 and 1; the sigmoid keeps the "
        "reconstruction in that range.",
    ),
    Question(
        "A denoising autoencoder is trained on pairs (input, target). Which pair?",
        ("(clean image, noisy image)", "(noisy image, clean image)",
         "(noisy image, noisy image)", "(clean image, its label)"),
        1,
        "The network sees a corrupted image and must rebuild the clean one, so it cannot "
        "just copy its input: it has to learn what digits look like.",
    ),
    Question(
        "The GaussianNoise layer is switched to model.eval(). What does it do?",
        ("adds noise with half the standard deviation", "returns its input unchanged",
         "adds the same noise as in the last training call", "raises an error"),
        1,
        "Like dropout, it only acts in training mode; when the model is used, inputs pass "
        "through untouched.",
    ),
]
