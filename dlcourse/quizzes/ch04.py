"""Self-check quiz of chapter 04: softmax, one-hot encoding and losses."""

from dlcourse.quiz import Question

QUESTIONS = [
    Question(
        "A network outputs logits z for K classes and the true class is y. What is the "
        "gradient of the softmax cross-entropy −log softmax(z)_y with respect to z?",
        ("softmax(z) − one_hot(y)", "one_hot(y) − softmax(z)", "−1/softmax(z)_y",
         "softmax(z)·(1 − softmax(z))"),
        0,
        "The softmax Jacobian and the 1/p of the log cancel, leaving prediction minus target, "
        "p − y (divided by N for a batch mean).",
    ),
    Question(
        "Why compute log-softmax as (z − m) − log Σ exp(z − m), with m = max z?",
        ("it is a different, more accurate loss", "exp never sees a positive argument, and no "
         "probability that underflowed to 0 is ever passed to log",
         "it makes the gradient simpler", "PyTorch requires it"),
        1,
        "Mathematically it is the same number. Numerically, exp(1000) overflows and "
        "log(softmax) gives log(0) = −inf once a probability underflows; this form avoids both.",
    ),
    Question(
        "Why encode the classes 'red', 'green', 'blue' as one-hot rows instead of 0, 1, 2?",
        ("it uses less memory", "0, 1, 2 would suggest an order and distances (blue − red = 2) "
         "that the categories do not have", "cross-entropy cannot read integers",
         "one-hot rows are always more accurate"),
        1,
        "Seed 001 §3.10: categories are unordered; one-hot gives each its own axis, all at the "
        "same distance from each other.",
    ),
    Question(
        "A sigmoid neuron is confidently wrong: σ(z) ≈ 0.98 for a target of 0. Which loss makes "
        "it learn fast?",
        ("the quadratic cost ½(a − y)², because its gradient is larger",
         "cross-entropy, because its gradient (a − y)·x has no σ′(z) factor",
         "both learn equally fast", "neither; the learning rate decides"),
        1,
        "The quadratic cost's gradient carries σ′(z) ≈ 0.018 here, so learning crawls; the "
        "cross-entropy's gradient is the plain error a − y (seed 001 §3.4.10).",
    ),
    Question(
        "For pred and target of shape (M, K), torch.nn.functional.mse_loss returns ...",
        ("Σ over all entries of (pred − target)²",
         "the mean over all M·K entries of (pred − target)²",
         "the mean over the M samples of ‖pred − target‖²",
         "½ Σ (pred − target)²"),
        1,
        "The default reduction='mean' averages over every entry. Seed 002's MSE averages "
        "‖y − a‖² over the M samples only, which is K times larger.",
    ),
    Question(
        "What is the L1 distance between (3, 4) and (0, 0), and the L2 distance?",
        ("7 and 5", "5 and 7", "7 and 25", "12 and 5"),
        0,
        "‖(3, 4)‖₁ = 3 + 4 = 7 and ‖(3, 4)‖₂ = √(9 + 16) = 5.",
    ),
]
