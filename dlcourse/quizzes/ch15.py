"""Self-check quiz of chapter 15, autoencoders and representations."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "PCA's components are computed from X − μ = U S Vᵀ. Which are they?",
        wrong("the columns of U",
              "U's columns live in sample space, one number per image; U S holds the scores, "
              "each image's coordinates along the components."),
        right("the first k rows of Vᵀ",
              "The right-singular vectors (rows of Vᵀ) are the directions in pixel space; the "
              "variance along component j is S_j² / (n − 1)."),
        wrong("the singular values S",
              "S says how much variance each component carries (S_j²/(n − 1)); the directions "
              "themselves are in Vᵀ."),
        wrong("the first k columns of X",
              "Those are k of the raw pixels; components are directions that mix all pixels, "
              "found by the SVD."),
    ),
    Question(
        "Among all encoders and decoders that are linear maps to k numbers, which has the "
        "smallest mean squared reconstruction error?",
        wrong("a random projection to k numbers",
              "A random projection keeps distances roughly, but it discards more variance than "
              "PCA's top k directions, so it reconstructs worse."),
        right("PCA with k components",
              "The Eckart–Young theorem: the best rank-k approximation keeps the top k singular "
              "directions. A linear autoencoder can at best match PCA; beating it takes "
              "nonlinear layers."),
        wrong("any linear autoencoder: all are equal",
              "A well-trained linear autoencoder reaches PCA's error (it spans the same "
              "subspace), but a poorly trained one does worse; they are not all equal."),
        wrong("none: a linear map cannot reconstruct anything",
              "It can, approximately: PCA's reconstruction error is the variance left in the "
              "discarded directions, small once k is a few dozen."),
    ),
    Question(
        "Why does the autoencoder's decoder end with a sigmoid here?",
        wrong("to make training faster",
              "A sigmoid can even slow training where it saturates; it is there to keep the "
              "outputs in [0, 1]."),
        right("the digits' pixels lie in [0, 1]",
              "The outputs are pixel intensities between 0 and 1; the sigmoid keeps the "
              "reconstruction in that range."),
        wrong("a sigmoid is required for backpropagation",
              "Backpropagation needs differentiable layers, not a sigmoid: linear or ReLU "
              "outputs backpropagate just as well."),
        wrong("to make the code 2-D",
              "The code's size is the width of the bottleneck in the middle of the network; the "
              "sigmoid sits at the decoder's end."),
    ),
    Question(
        "A denoising autoencoder is trained on pairs (input, target). Which pair?",
        wrong("(clean image, noisy image)",
              "That would train the network to add noise; denoising maps the noisy input to the "
              "clean target."),
        right("(noisy image, clean image)",
              "The network sees a corrupted image and must rebuild the clean one, so it cannot "
              "just copy its input: it has to learn what digits look like."),
        wrong("(noisy image, noisy image)",
              "Reproducing its own noisy input lets the network copy, noise and all; the target "
              "must be the clean image."),
        wrong("(clean image, its label)",
              "That is classification; an autoencoder's target is an image."),
    ),
    Question(
        "The GaussianNoise layer is switched to model.eval(). What does it do?",
        wrong("adds noise with half the standard deviation",
              "No scaling is needed: the noise has mean 0, so the expected output is already x; "
              "in eval mode the layer just passes x on."),
        right("returns its input unchanged",
              "Like dropout, it only acts in training mode; when the model is used, inputs pass "
              "through untouched."),
        wrong("adds the same noise as in the last training call",
              "Noise is drawn afresh at every training call and never stored; in eval mode "
              "none is added."),
        wrong("raises an error",
              "eval() is the normal mode for using a model; the noise layer simply becomes the "
              "identity."),
    ),
]
