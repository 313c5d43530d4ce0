"""Self-check quiz of chapter 10, normalization."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Two input features range over [0, 1] and [0, 1000]. What does gradient descent on a "
        "linear model do without feature scaling?",
        wrong("it converges faster, because larger inputs give larger gradients",
              "Larger gradients along one weight force a step size small enough for that "
              "steep direction, and then the other direction crawls."),
        right("it zigzags across a long, narrow valley and needs a tiny learning rate",
              "The loss contours are stretched ellipses: a step size stable for the steep "
              "direction crawls along the flat one. Standardizing makes the contours rounder."),
        wrong("nothing changes: gradient descent does not care about scales",
              "The loss surface's shape depends on the scales: a factor of 1000 in a feature is "
              "a factor of 10⁶ in curvature along its weight."),
        wrong("it cannot reach the minimum at all",
              "With a small enough learning rate it gets there in the end; it just needs many "
              "more steps."),
    ),
    Question(
        "At inference time (model.eval()), what does a batch-norm layer normalize with?",
        wrong("the mean and variance of the current batch",
              "That is training mode. In eval mode one example's output must not depend on "
              "which other examples share its batch."),
        right("the running mean and variance from training",
              "The running averages, updated with momentum during training, so that one "
              "example's output does not depend on the other examples in its batch."),
        wrong("mean 0 and variance 1",
              "Those describe the normalized output, not the statistics the input is divided "
              "by; the layer uses the mean and variance it estimated in training."),
        wrong("γ and β",
              "γ and β scale and shift after normalizing, in both modes; the normalization "
              "itself needs a mean and a variance."),
    ),
    Question(
        "PyTorch's BatchNorm has momentum = 0.1. What is the running mean after a training "
        "step with batch mean 5, if it was 0?",
        wrong("4.5",
              "4.5 = 0.9·5 swaps the weights: the old value keeps 1 − momentum = 0.9, the new "
              "batch mean gets momentum = 0.1."),
        right("0.5",
              "running ← (1 − momentum)·running + momentum·batch = 0.9·0 + 0.1·5 = 0.5."),
        wrong("5",
              "Only momentum = 1 would replace the running mean by the batch mean."),
        wrong("0.1",
              "0.1 is the momentum itself, which multiplies the batch mean 5."),
    ),
    Question(
        "Which normalization does NOT depend on the batch size at all?",
        wrong("batch norm",
              "Batch norm's mean and variance are taken over the batch, so they get noisier "
              "as the batch shrinks (the chapter's plot)."),
        right("group norm",
              "Group norm computes its statistics within each example, over groups of "
              "channels, so small batches do not make it noisy."),
        wrong("both",
              "Batch norm averages over the batch; only group norm works within one example."),
        wrong("neither",
              "Group norm's statistics come from one example at a time, so the batch size "
              "cannot change them."),
    ),
    Question(
        "Weight normalization writes w = g·v/‖v‖. What is the length of w?",
        wrong("‖v‖",
              "Dividing by ‖v‖ removes v's length; only its direction is left."),
        right("|g|",
              "v/‖v‖ is a unit vector, so g alone sets the length and v only the direction."),
        wrong("1",
              "v/‖v‖ has length 1, but it is multiplied by g."),
        wrong("g·‖v‖",
              "‖v‖ cancels in v/‖v‖, so it does not appear in the length at all."),
    ),
    Question(
        "torch.nn.LocalResponseNorm(size=5, alpha=1e-4) and a formula that adds α·Σa² with "
        "α = 1e-4 over the same 5 channels: are they the same?",
        wrong("yes",
              "torch divides alpha by size: alpha = 1e-4 acts as α = 2e-5 in the α·Σa² "
              "formula."),
        right("no: torch uses α/5 in place of α",
              "torch divides α by the window size; to reproduce the α·Σa² formula pass "
              "alpha = 5·α."),
        wrong("no: torch squares α",
              "α enters both linearly; the difference is the division by the window size."),
        wrong("no: torch sums over pixels",
              "Both sum over neighbouring channels at the same pixel; only the scaling of α "
              "differs."),
    ),
    Question(
        "A batch-norm layer is switched from model.train() to model.eval(). What changes?",
        right("the statistics it normalizes with: the batch's in training, the running ones in "
              "eval",
              "Training uses the current batch's mean and variance; evaluation uses the running "
              "averages (seed 002's slide has this backwards, see the errata)."),
        right("whether the running mean and variance are updated",
              "Each training-mode forward pass updates them with momentum; in eval mode they "
              "stay fixed."),
        right("whether one example's output depends on the other examples in the batch",
              "In training the batch statistics tie the examples together; in eval each "
              "example is normalized with fixed numbers, alone."),
        wrong("the values of γ and β",
              "γ and β are learned parameters, the same in both modes; only an optimizer step "
              "changes them."),
        wrong("the shape of the output",
              "Batch norm keeps the shape of its input in both modes."),
        multi=True,
    ),
    Question(
        "What is internal covariate shift (seed 001 §3.14)?",
        right("the change, during training, of the distribution of a layer's inputs, because "
              "the layers below keep changing",
              "Every update of the lower layers changes what the upper layers receive; "
              "'internal' because it happens between layers, not between data sets."),
        wrong("the difference between the distributions of the training and the test data",
              "That is covariate shift between data sets (a question for transfer learning); "
              "the internal kind happens inside one network during training."),
        wrong("the slow growth of the weights during training",
              "Weights may grow, but the term is about the distribution of the inputs a layer "
              "receives, which the weights below change."),
        wrong("the gap between batch statistics and batch norm's running averages",
              "That gap is why inference uses the running averages; it is not what the term "
              "names."),
    ),
    Question(
        "Santurkar et al. (2018) inject a random shift and scale after every batch-norm layer, "
        "new at every step. Compared with plain batch norm and with no normalization, such a "
        "network trains...",
        right("about as fast as batch norm, much faster than without normalization",
              "The chapter measured the same: a shift many times larger than the plain "
              "network's, and a loss that falls like batch norm's. Removing the shift is not "
              "what makes batch norm work."),
        wrong("as slowly as without normalization, since the shift is back",
              "That is what the covariate-shift explanation predicts, and what the experiment "
              "refutes."),
        wrong("not at all: the noise destroys the signal",
              "The noise shifts and scales each unit by a bounded amount; the next layers "
              "adapt, and the loss falls."),
        wrong("much faster than batch norm, because the noise regularizes",
              "It trains about as fast, not faster; regularization would show on the "
              "validation loss, not as faster training."),
    ),
    Question(
        "a = (0, 1, 2) and b = (2, 0, 1): the same values in another order. What is the 1-D "
        "Wasserstein distance W₁(a, b)?",
        right("0",
              "W₁ compares the sorted samples, (0, 1, 2) against (0, 1, 2): the two "
              "distributions are identical, whatever the order of the examples."),
        wrong("4/3",
              "That is the mean |a_i − b_i| in the given order, (2 + 1 + 1)/3; W₁ sorts both "
              "samples first."),
        wrong("1",
              "No pairing of the sorted values is 1 apart on average: sorted, the samples are "
              "equal."),
        wrong("it depends on how the examples are paired",
              "W₁ fixes the pairing: the i-th smallest with the i-th smallest. That makes it a "
              "property of the two distributions, not of the order."),
    ),
]
