"""Self-check quiz of chapter 04: softmax, one-hot encoding and losses."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "A network outputs logits z for K classes and the true class is y. What is the gradient "
        "of the softmax cross-entropy −log softmax(z)_y with respect to z?",
        right("softmax(z) − one_hot(y)",
              "The softmax Jacobian and the 1/p of the log cancel, leaving prediction minus "
              "target, p − y (divided by N for a batch mean)."),
        wrong("one_hot(y) − softmax(z)", ""),
        wrong("−1/softmax(z)_y", ""),
        wrong("softmax(z)·(1 − softmax(z))", ""),
    ),
    Question(
        "Why compute log-softmax as (z − m) − log Σ exp(z − m), with m = max z?",
        wrong("it is a different, more accurate loss", ""),
        right("exp never sees a positive argument, and no probability that underflowed to 0 is "
              "ever passed to log",
              "Mathematically it is the same number. Numerically, exp(1000) overflows and "
              "log(softmax) gives log(0) = −inf once a probability underflows; this form avoids "
              "both."),
        wrong("it makes the gradient simpler", ""),
        wrong("PyTorch requires it", ""),
    ),
    Question(
        "Why encode the classes 'red', 'green', 'blue' as one-hot rows instead of 0, 1, 2?",
        wrong("it uses less memory", ""),
        right("0, 1, 2 would suggest an order and distances (blue − red = 2) that the categories "
              "do not have",
              "Seed 001 §3.10: categories are unordered; one-hot gives each its own axis, all "
              "at the same distance from each other."),
        wrong("cross-entropy cannot read integers", ""),
        wrong("one-hot rows are always more accurate", ""),
    ),
    Question(
        "A sigmoid neuron is confidently wrong: σ(z) ≈ 0.98 for a target of 0. Which loss makes "
        "it learn fast?",
        wrong("the quadratic cost ½(a − y)², because its gradient is larger", ""),
        right("cross-entropy, because its gradient (a − y)·x has no σ′(z) factor",
              "The quadratic cost's gradient carries σ′(z) ≈ 0.018 here, so learning crawls; "
              "the cross-entropy's gradient is the plain error a − y (seed 001 §3.4.10)."),
        wrong("both learn equally fast", ""),
        wrong("neither; the learning rate decides", ""),
    ),
    Question(
        "For pred and target of shape (M, K), torch.nn.functional.mse_loss returns ...",
        wrong("Σ over all entries of (pred − target)²", ""),
        right("the mean over all M·K entries of (pred − target)²",
              "The default reduction='mean' averages over every entry. Seed 002's MSE averages "
              "‖y − a‖² over the M samples only, which is K times larger."),
        wrong("the mean over the M samples of ‖pred − target‖²", ""),
        wrong("½ Σ (pred − target)²", ""),
    ),
    Question(
        "What is the L1 distance between (3, 4) and (0, 0), and the L2 distance?",
        right("7 and 5", "‖(3, 4)‖₁ = 3 + 4 = 7 and ‖(3, 4)‖₂ = √(9 + 16) = 5."),
        wrong("5 and 7", ""),
        wrong("7 and 25", ""),
        wrong("12 and 5", ""),
    ),
]
