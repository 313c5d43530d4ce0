"""Self-check quiz of chapter 10, normalization."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Two input features range over [0, 1] and [0, 1000]. What does gradient descent on a "
        "linear model do without feature scaling?",
        wrong("it converges faster", ""),
        right("it zigzags across a long, narrow valley and needs a tiny learning rate",
              "The loss contours are stretched ellipses: a step size stable for the steep "
              "direction crawls along the flat one. Standardizing makes the contours rounder."),
        wrong("nothing changes", ""),
        wrong("it cannot reach the minimum at all", ""),
    ),
    Question(
        "At inference time (model.eval()), what does a batch-norm layer normalize with?",
        wrong("the statistics of the current batch", ""),
        right("the running mean and running variance collected during training",
              "The running averages, updated with momentum during training, so that one "
              "example's output does not depend on the other examples in its batch."),
        wrong("mean 0 and variance 1", ""),
        wrong("γ and β", ""),
    ),
    Question(
        "PyTorch's BatchNorm has momentum = 0.1. What is the running mean after a training step "
        "with batch mean 5, if it was 0?",
        wrong("4.5", ""),
        right("0.5", "running ← (1 − momentum)·running + momentum·batch = 0.9·0 + 0.1·5 = 0.5."),
        wrong("5", ""),
        wrong("0.1", ""),
    ),
    Question(
        "Which normalization does NOT depend on the batch size at all?",
        wrong("batch norm", ""),
        right("group norm",
              "Group norm computes its statistics within each example, over groups of channels, "
              "so small batches do not make it noisy."),
        wrong("both", ""),
        wrong("neither", ""),
    ),
    Question(
        "Weight normalization writes w = g·v/‖v‖. What is the length of w?",
        wrong("‖v‖", ""),
        right("|g|",
              "v/‖v‖ is a unit vector, so g alone sets the length and v only the direction."),
        wrong("1", ""),
        wrong("g·‖v‖", ""),
    ),
    Question(
        "torch.nn.LocalResponseNorm(size=5, alpha=1e-4) and a formula that adds α·Σa² with α = "
        "1e-4 over the same 5 channels: are they the same?",
        wrong("yes", ""),
        right("no: torch uses α/5 in place of α",
              "torch divides α by the window size; to reproduce the α·Σa² formula pass alpha = "
              "5·α."),
        wrong("no: torch squares α", ""),
        wrong("no: torch sums over pixels", ""),
    ),
]
