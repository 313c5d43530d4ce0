"""Self-check quiz of chapter 04: softmax, one-hot encoding and losses."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "A network outputs logits z for K classes and the true class is y. What is the "
        "gradient of the softmax cross-entropy −log softmax(z)_y with respect to z?",
        right("softmax(z) − one_hot(y)",
              "The softmax Jacobian and the 1/p of the log cancel, leaving prediction minus "
              "target, p − y (divided by N for a batch mean)."),
        wrong("one_hot(y) − softmax(z)",
              "The sign is flipped: this is −∂L/∂z, the direction that lowers the loss. The "
              "gradient itself is p − y."),
        wrong("−1/softmax(z)_y",
              "That is ∂L/∂p_y, the derivative with respect to the probability, before the "
              "chain rule through the softmax; with respect to the logits the 1/p cancels."),
        wrong("softmax(z)·(1 − softmax(z))",
              "That is the diagonal of the softmax Jacobian (like σ′ for the sigmoid); combined "
              "with the loss's −1/p_y over all entries it simplifies to p − y."),
    ),
    Question(
        "Why compute log-softmax as (z − m) − log Σ exp(z − m), with m = max z?",
        wrong("it is a different loss that is more accurate",
              "It is the same number, −log softmax(z)_y rearranged; only its floating-point "
              "behaviour changes."),
        right("exp never overflows, and log never sees an underflowed 0",
              "Mathematically it is the same number. Numerically, exp(1000) overflows and "
              "log(softmax) gives log(0) = −inf once a probability underflows; this form avoids "
              "both."),
        wrong("it makes the gradient simpler than p − y",
              "The gradient is p − y for either form; the rearrangement is about overflow and "
              "log(0)."),
        wrong("PyTorch refuses logits that were not shifted by their maximum",
              "PyTorch takes any logits and does this shift inside F.cross_entropy; a naive "
              "version of your own runs too, and returns inf or nan for large logits."),
    ),
    Question(
        "Why encode the classes 'red', 'green', 'blue' as one-hot rows instead of 0, 1, 2?",
        wrong("it uses less memory than one integer per label",
              "It uses more: K numbers per label instead of one. The reason is what the "
              "numbers mean, not their size."),
        right("0, 1, 2 would invent an order and distances between the colours",
              "Seed 001 §3.10: categories are unordered, yet 0, 1, 2 says blue − red = 2; "
              "one-hot gives each category its own axis, all at the same distance from each "
              "other."),
        wrong("cross-entropy cannot read integer labels",
              "F.cross_entropy does take integer class indices, only to pick a probability, "
              "never as a magnitude; the trouble is feeding 0, 1, 2 to a model as numbers, as "
              "an input feature or a regression target."),
        wrong("one-hot rows always make a model more accurate",
              "No encoding makes a model accurate by itself; one-hot removes an order and "
              "distances that do not exist."),
    ),
    Question(
        "A sigmoid neuron is confidently wrong: σ(z) ≈ 0.98 for a target of 0. Which loss makes "
        "it learn fast?",
        wrong("the quadratic cost ½(a − y)², because its gradient is larger",
              "Its gradient is (a − y)·σ′(z)·x, and σ′(z) = 0.98·0.02 ≈ 0.02 here: about 50 "
              "times smaller than the cross-entropy's."),
        right("cross-entropy, because its gradient (a − y)·x has no σ′(z) factor",
              "The quadratic cost's gradient carries σ′(z) = 0.98·0.02 ≈ 0.02 here, so learning "
              "crawls; the cross-entropy's gradient is the plain error a − y (seed 001 "
              "§3.4.10)."),
        wrong("both learn equally fast, since both are minimized at a = y",
              "Same minimum, different slopes: their gradients differ by the factor "
              "σ′(z) ≈ 0.02, so the quadratic cost learns about 50 times more slowly here."),
        wrong("neither; only the learning rate decides the speed",
              "A learning rate scales both gradients alike; it cannot remove the factor "
              "σ′(z) ≈ 0.02 that slows the quadratic cost only where the neuron saturates."),
    ),
    Question(
        "For pred and target of shape (M, K), torch.nn.functional.mse_loss returns ...",
        wrong("Σ over all entries of (pred − target)²",
              "That is reduction='sum'. The default, 'mean', divides this sum by M·K."),
        right("the mean over all M·K entries of (pred − target)²",
              "The default reduction='mean' averages over every entry. Seed 002's MSE averages "
              "‖y − a‖² over the M samples only, which is K times larger."),
        wrong("the mean over the M samples of ‖pred − target‖²",
              "That is seed 002's MSE: it divides by M only, so it is K times torch's, which "
              "divides by all M·K entries."),
        wrong("½ Σ (pred − target)²",
              "The ½ is a textbook convenience that cancels the 2 of the derivative; torch "
              "uses neither the ½ nor a plain sum."),
    ),
    Question(
        "What is the L1 distance between (3, 4) and (0, 0), and the L2 distance?",
        right("7 and 5",
              "‖(3, 4)‖₁ = 3 + 4 = 7 and ‖(3, 4)‖₂ = √(9 + 16) = 5."),
        wrong("5 and 7",
              "Swapped: L1 adds the absolute values (3 + 4 = 7), L2 is the Euclidean length "
              "√(3² + 4²) = 5."),
        wrong("7 and 25",
              "25 = 3² + 4² is the squared L2 distance; the L2 distance is its root, 5."),
        wrong("12 and 5",
              "12 = 3·4 is a product; the L1 distance sums the absolute differences, 3 + 4 = 7."),
    ),
    Question(
        "Which of these could a softmax over three logits output?",
        right("(0.7, 0.2, 0.1)",
              "Positive entries that sum to 1: the logits (log 0.7, log 0.2, log 0.1), or those "
              "plus any common constant, give exactly this."),
        right("(1/3, 1/3, 1/3)", "Three equal logits, whatever their value, give the uniform "
                                 "distribution."),
        wrong("(0.5, 0.5, 0)",
              "e^z > 0 for every finite logit, so no entry is exactly 0 (in float64 it can "
              "round to 0 only for a gap of about 745 between logits)."),
        wrong("(0.6, 0.6, −0.2)",
              "It sums to 1, but each entry is e^{z_i}/Σe^{z_j}, a ratio of positive numbers: "
              "a negative probability is impossible."),
        wrong("(0.5, 0.3, 0.1)",
              "All positive, but they sum to 0.9; dividing by Σe^{z_j} makes the entries sum "
              "to exactly 1."),
        multi=True,
    ),
]
