"""Self-check quiz of chapter 12, a CNN for digit recognition."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "An 8×8 image goes through a 3×3 convolution with padding 1 and stride 1, then a 2×2 "
        "max-pool with stride 2. What is the output's height and width?",
        wrong("8×8",
              "That is the size after the padded convolution; the 2×2 pooling with stride 2 "
              "then halves it."),
        wrong("6×6",
              "6 = 8 − 3 + 1 forgets the padding (and the pooling): with P = 1 the convolution "
              "keeps 8."),
        right("4×4",
              "Convolution: (8 − 3 + 2·1)/1 + 1 = 8; pooling: (8 − 2)/2 + 1 = 4."),
        wrong("3×3",
              "(6 − 2)/2 + 1 = 3 pools an unpadded 6×6 map; with padding 1 the pooling gets "
              "8×8."),
    ),
    Question(
        "Why does an MLP lose much of its accuracy when a digit moves one pixel to the right?",
        wrong("the MLP has too few parameters to learn every position",
              "The chapter compares networks of similar size, and a bigger MLP still ties each "
              "weight to one position; the fix is sharing weights across positions."),
        right("its weights are tied to pixel positions, which the shift changes",
              "Flattening ties every weight to a position; a shifted digit lights up different "
              "inputs. A convolution uses the same filter at every position (seed 003, 'why "
              "CNN')."),
        wrong("ReLU is not shift invariant",
              "ReLU acts on each number on its own, so it commutes with shifting; the "
              "position-bound weights of the first dense layer are the problem."),
        wrong("the digit becomes a different class",
              "A 3 moved by one pixel is still a 3, which is why the lost accuracy is a "
              "weakness of the model."),
    ),
    Question(
        "What does shifting the input do to a convolution layer's feature maps (away from the "
        "border)?",
        wrong("nothing: convolution is shift invariant",
              "Invariance would mean unchanged maps; they move with the input (equivariance). "
              "Pooling and the final layers add some invariance."),
        right("the maps shift by the same amount",
              "Convolution is shift *equivariant*: shifted input, shifted maps. Pooling then "
              "makes the result partly invariant to small shifts."),
        wrong("the maps are rotated",
              "A shift is a translation; a conv layer is not even equivariant to rotations."),
        wrong("the maps are rescaled",
              "Shifting moves pixels without changing their values, so the same filter sees "
              "the same patches: the same values, moved."),
    ),
    Question(
        "Which call belongs before measuring validation accuracy?",
        wrong("model.train()",
              "That switches dropout on and makes batch norm use (and update) batch "
              "statistics: the wrong mode for measuring."),
        wrong("optimizer.zero_grad()",
              "That clears gradients before a training step; measuring computes no gradients "
              "at all."),
        right("model.eval(), inside torch.no_grad()",
              "model.eval() switches dropout off and makes batch norm use its running "
              "statistics; no_grad skips building the graph (seed 002, switching train/test "
              "modes)."),
        wrong("loss.backward()",
              "backward computes gradients for a training step; validation trains nothing."),
    ),
    Question(
        "You pick the number of epochs by looking at accuracy. Which set do you look at?",
        wrong("the test set",
              "Once choices are made on it, the test score is no longer an honest estimate of "
              "how the model does on new data."),
        right("the validation set",
              "Choices are made on the validation set; the test set is used once, at the end, "
              "so its accuracy stays an honest estimate."),
        wrong("the training set",
              "Training accuracy keeps rising after overfitting sets in, so it would pick too "
              "many epochs."),
        wrong("any of them",
              "Each has its role: training data to fit, validation data to choose, test data "
              "to report once."),
    ),
    Question(
        "True or false (seed 000's quiz): for recognizing images, a convolutional network is a "
        "better fit than a recurrent network.",
        right("true",
              "A CNN's shared filters look at 2-D neighbourhoods and find a pattern wherever it "
              "sits, which the chapter's shifted digits reward; an RNN reads its input as a "
              "sequence and has no built-in notion of 2-D locality."),
        wrong("false",
              "An RNN can read an image row by row, but it has no idea that pixels above and "
              "below are neighbours, nor that a pattern elsewhere is the same pattern; for "
              "images the CNN is the standard choice."),
    ),
    Question(
        "Seed 000's quiz asks for the building blocks of a convolutional network. Which of these "
        "does the chapter's LeNet use?",
        right("convolution kernels", "The learned filters that slide over the image, shared "
                                     "by every position."),
        right("pooling", "Max pooling halves each map's size and adds some tolerance to small "
                         "shifts."),
        right("activation functions", "A ReLU after each convolution; without it the stack "
                                      "would be one linear map."),
        right("fully connected layers", "The last layers map the flattened feature maps to "
                                        "the ten class scores."),
        wrong("a hidden state carried from one image to the next",
              "That is a recurrent network's ingredient (chapter 13); a CNN treats every image "
              "on its own."),
        multi=True,
    ),
]
