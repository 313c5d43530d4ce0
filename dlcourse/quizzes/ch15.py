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
    Question(
        "Fine-tuning by the 'last layer' way: which parameters train?",
        right("only the new output layer's weights and bias",
              "Every pre-trained layer is frozen (requires_grad = False) and only predicts; "
              "the fresh output layer learns the new classes on top of its features."),
        wrong("every parameter, starting from the pre-trained values",
              "That is the 'everything' way: the seed's third state, the whole network "
              "continues training from its pre-trained weights."),
        wrong("the output layer and the layer below it",
              "That is the 'new head' way: two fresh layers train, the rest stays frozen."),
        wrong("none: the pre-trained network is used as it is",
              "The new task has new classes; an output layer that was never trained on them "
              "would only guess, so at least that layer must learn."),
    ),
    Question(
        "A student sets requires_grad = False on every parameter of a pre-trained network and "
        "then replaces its output layer by a new nn.Linear. Which parameters train?",
        right("only the new output layer's",
              "A freshly built nn.Linear has requires_grad True; freezing changed the "
              "parameters that existed at the time, not the ones created later."),
        wrong("none: the network was frozen",
              "Freezing is a flag on each parameter, not on the network; the new layer's "
              "parameters did not exist when the flags were set."),
        wrong("all of them: replacing a layer unfreezes the network",
              "Nothing sets the old parameters' flags back to True; they stay frozen."),
        wrong("the new layer and the layer just below it",
              "Only parameters whose requires_grad is True train; the layer below was frozen "
              "with all the others."),
    ),
    Question(
        "From digits 0–4 to digits 5–9 with 1 to 30 labels per class, which statements match "
        "the chapter's experiment?",
        right("training from scratch did best on average",
              "These small digits are easy enough to learn from a few labels, and what the "
              "old task taught does not fit the new one well."),
        right("frozen autoencoder features beat frozen supervised features under a new last "
              "layer",
              "The supervised features were shaped to tell 0–4 apart; an autoencoder must keep "
              "whatever distinguishes one image from another, so its features are more "
              "general."),
        wrong("pre-training made every way of fine-tuning beat training from scratch",
              "The 'last layer' way was far worse than training from scratch at every number "
              "of labels; always measure against that baseline."),
        wrong("the more labels, the larger the advantage of fine-tuning everything over "
              "training from scratch",
              "The gap shrinks as labels grow: with 30 labels per class the two end up within "
              "a point or so of each other."),
        multi=True,
    ),
    Question(
        "Why does a VAE write its code as z = μ + σ·ε with ε ~ N(0, I), instead of sampling z "
        "from N(μ, σ²) directly?",
        right("so that z is a differentiable function of μ and σ and the gradient reaches the "
              "encoder",
              "The randomness moves into ε, which does not depend on the weights; "
              "∂z/∂μ = 1 and ∂z/∂σ = ε, and backpropagation goes through."),
        wrong("because torch cannot sample from N(μ, σ²)",
              "It can (torch.normal, torch.distributions); the problem is that a sample drawn "
              "that way carries no gradient back to μ and σ."),
        wrong("to make z deterministic",
              "z is as random as before, through ε; only the place of the randomness changed."),
        wrong("to make the KL term zero",
              "The KL term depends on μ and σ only, not on how z is drawn; it is zero only "
              "when q(z | x) equals the prior."),
    ),
    Question(
        "For one digit, the VAE's encoder outputs μ = 0 and log σ² = 0 in every latent "
        "dimension. What is the KL term, and what does it say?",
        right("0: the posterior equals the prior, so the code carries nothing about this digit",
              "½(μ² + σ² − log σ² − 1) = ½(0 + 1 − 0 − 1) = 0; the decoder would see the same "
              "random codes for this digit as for any other."),
        wrong("½ per dimension",
              "½ is the KL of a posterior whose mean moved to 1 with σ = 1; here μ = 0."),
        wrong("−1 per dimension",
              "−1 is one of the four terms; the KL divergence is never negative."),
        wrong("infinite, since log σ² = 0 means σ = 0",
              "log σ² = 0 means σ² = 1, the prior's variance; σ = 0 would need log σ² → −∞."),
    ),
]
