"""Self-check quiz of chapter 12, a CNN for digit recognition."""

from dlcourse.quiz import Question

QUESTIONS = [
    Question(
        "An 8×8 image goes through a 3×3 convolution with padding 1 and stride 1, then a 2×2 "
        "max-pool with stride 2. What is the output's height and width?",
        ("8×8", "6×6", "4×4", "3×3"),
        2,
        "Convolution: (8 − 3 + 2·1)/1 + 1 = 8; pooling: (8 − 2)/2 + 1 = 4.",
    ),
    Question(
        "Why does an MLP lose much of its accuracy when a digit moves one pixel to the right?",
        ("the MLP has too few parameters",
         "each input unit is tied to one pixel position, so the flattened vector changes "
         "completely", "ReLU is not shift invariant", "the digit becomes a different class"),
        1,
        "Flattening ties every weight to a position; a shifted digit lights up different inputs. "
        "A convolution uses the same filter at every position (seed 003, 'why CNN').",
    ),
    Question(
        "What does shifting the input do to a convolution layer's feature maps (away from the "
        "border)?",
        ("nothing: convolution is shift invariant", "the maps shift by the same amount",
         "the maps are rotated", "the maps are rescaled"),
        1,
        "Convolution is shift *equivariant*: shifted input, shifted maps. Pooling then makes the "
        "result partly invariant to small shifts.",
    ),
    Question(
        "Which call belongs before measuring validation accuracy?",
        ("model.train()", "optimizer.zero_grad()", "model.eval(), inside torch.no_grad()",
         "loss.backward()"),
        2,
        "model.eval() switches dropout off and makes batch norm use its running statistics; "
        "no_grad skips building the graph (seed 002, switching train/test modes).",
    ),
    Question(
        "You pick the number of epochs by looking at accuracy. Which set do you look at?",
        ("the test set", "the validation set", "the training set", "any of them"),
        1,
        "Choices are made on the validation set; the test set is used once, at the end, so its "
        "accuracy stays an honest estimate.",
    ),
]
