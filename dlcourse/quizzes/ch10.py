"""Self-check quiz of chapter 10, normalization."""

from dlcourse.quiz import Question

QUESTIONS = [
    Question(
        "Two input features range over [0, 1] and [0, 1000]. What does gradient descent on a "
        "linear model do without feature scaling?",
        ("it converges faster", "it zigzags across a long, narrow valley and needs a tiny "
         "learning rate", "nothing changes", "it cannot reach the minimum at all"),
        1,
        "The loss contours are stretched ellipses: a step size stable for the steep direction "
        "crawls along the flat one. Standardizing makes the contours rounder.",
    ),
    Question(
        "At inference time (model.eval()), what does a batch-norm layer normalize with?",
        ("the statistics of the current batch", "the running mean and running variance "
         "collected during training", "mean 0 and variance 1", "γ and β"),
        1,
        "The running averages, updated with momentum during training, so that one example's "
        "output does not depend on the other examples in its batch.",
    ),
    Question(
        "PyTorch's BatchNorm has momentum = 0.1. What is the running mean after a training "
        "step with batch mean 5, if it was 0?",
        ("4.5", "0.5", "5", "0.1"),
        1,
        "running ← (1 − momentum)·running + momentum·batch = 0.9·0 + 0.1·5 = 0.5.",
    ),
    Question(
        "Which normalization does NOT depend on the batch size at all?",
        ("batch norm", "group norm", "both", "neither"),
        1,
        "Group norm computes its statistics within each example, over groups of channels, so "
        "small batches do not make it noisy.",
    ),
    Question(
        "Weight normalization writes w = g·v/‖v‖. What is the length of w?",
        ("‖v‖", "|g|", "1", "g·‖v‖"),
        1,
        "v/‖v‖ is a unit vector, so g alone sets the length and v only the direction.",
    ),
    Question(
        "torch.nn.LocalResponseNorm(size=5, alpha=1e-4) and a formula that adds α·Σa² with "
        "α = 1e-4 over the same 5 channels: are they the same?",
        ("yes", "no: torch uses α/5 in place of α", "no: torch squares α",
         "no: torch sums over pixels"),
        1,
        "torch divides α by the window size; to reproduce the α·Σa² formula pass alpha = 5·α.",
    ),
]
