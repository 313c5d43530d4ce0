"""Self-check quiz of chapter 15, autoencoders and representations."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "PCA's components are computed from X − μ = U S Vᵀ. Which are they?",
        wrong("the columns of U", ""),
        right("the first k rows of Vᵀ",
              "The right-singular vectors (rows of Vᵀ) are the directions in pixel space; the "
              "variance along component j is S_j² / (n − 1)."),
        wrong("the singular values S", ""),
        wrong("the first k columns of X", ""),
    ),
    Question(
        "Among all encoders and decoders that are linear maps to k numbers, which has the "
        "smallest mean squared reconstruction error?",
        wrong("a random projection", ""),
        right("PCA with k components",
              "The Eckart–Young theorem: the best rank-k approximation keeps the top k singular "
              "directions. A linear autoencoder can at best match PCA; beating it takes "
              "nonlinear layers."),
        wrong("any linear autoencoder, all are equal", ""),
        wrong("none: a linear map cannot reconstruct", ""),
    ),
    Question(
        "Why does the autoencoder's decoder end with a sigmoid here?",
        wrong("to make training faster", ""),
        right("the digits' pixels lie in [0, 1]",
              "The outputs are pixel intensities between 0 and 1; the sigmoid keeps the "
              "reconstruction in that range."),
        wrong("a sigmoid is required for backpropagation", ""),
        wrong("to make the code 2-D", ""),
    ),
    Question(
        "A denoising autoencoder is trained on pairs (input, target). Which pair?",
        wrong("(clean image, noisy image)", ""),
        right("(noisy image, clean image)",
              "The network sees a corrupted image and must rebuild the clean one, so it cannot "
              "just copy its input: it has to learn what digits look like."),
        wrong("(noisy image, noisy image)", ""),
        wrong("(clean image, its label)", ""),
    ),
    Question(
        "The GaussianNoise layer is switched to model.eval(). What does it do?",
        wrong("adds noise with half the standard deviation", ""),
        right("returns its input unchanged",
              "Like dropout, it only acts in training mode; when the model is used, inputs pass "
              "through untouched."),
        wrong("adds the same noise as in the last training call", ""),
        wrong("raises an error", ""),
    ),
]
