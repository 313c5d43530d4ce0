"""Self-check quiz of chapter 12, a CNN for digit recognition."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "An 8×8 image goes through a 3×3 convolution with padding 1 and stride 1, then a 2×2 "
        "max-pool with stride 2. What is the output's height and width?",
        wrong("8×8", ""),
        wrong("6×6", ""),
        right("4×4", "Convolution: (8 − 3 + 2·1)/1 + 1 = 8; pooling: (8 − 2)/2 + 1 = 4."),
        wrong("3×3", ""),
    ),
    Question(
        "Why does an MLP lose much of its accuracy when a digit moves one pixel to the right?",
        wrong("the MLP has too few parameters", ""),
        right("each input unit is tied to one pixel position, so the flattened vector changes "
              "completely",
              "Flattening ties every weight to a position; a shifted digit lights up different "
              "inputs. A convolution uses the same filter at every position (seed 003, 'why "
              "CNN')."),
        wrong("ReLU is not shift invariant", ""),
        wrong("the digit becomes a different class", ""),
    ),
    Question(
        "What does shifting the input do to a convolution layer's feature maps (away from the "
        "border)?",
        wrong("nothing: convolution is shift invariant", ""),
        right("the maps shift by the same amount",
              "Convolution is shift *equivariant*: shifted input, shifted maps. Pooling then "
              "makes the result partly invariant to small shifts."),
        wrong("the maps are rotated", ""),
        wrong("the maps are rescaled", ""),
    ),
    Question(
        "Which call belongs before measuring validation accuracy?",
        wrong("model.train()", ""),
        wrong("optimizer.zero_grad()", ""),
        right("model.eval(), inside torch.no_grad()",
              "model.eval() switches dropout off and makes batch norm use its running "
              "statistics; no_grad skips building the graph (seed 002, switching train/test "
              "modes)."),
        wrong("loss.backward()", ""),
    ),
    Question(
        "You pick the number of epochs by looking at accuracy. Which set do you look at?",
        wrong("the test set", ""),
        right("the validation set",
              "Choices are made on the validation set; the test set is used once, at the end, "
              "so its accuracy stays an honest estimate."),
        wrong("the training set", ""),
        wrong("any of them", ""),
    ),
]
