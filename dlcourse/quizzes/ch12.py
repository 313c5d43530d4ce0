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
    Question(
        "Data augmentation draws a fresh random shift and rotation for every training image in "
        "every epoch. What does training then minimise?",
        right("the loss averaged over the random transformations of each training image",
              "E_T L(f(T(x)), y), estimated with one fresh T per image and epoch: the network "
              "never sees the same picture twice and must become tolerant to the moves it is "
              "shown."),
        wrong("the loss on the original images, with the copies as a separate penalty",
              "No penalty term is added: every step sees transformed images in place of the "
              "originals, so the objective itself becomes the average over transformations."),
        wrong("the loss on one fixed, enlarged data set of nine shifted copies of each image",
              "Nine shifted copies would approximate it, but the rotations are continuous and "
              "drawn anew every epoch: no fixed set of copies is stored."),
        wrong("the loss on test digits moved the same way",
              "The test set is never trained on; augmentation changes only the training "
              "inputs, and the test digits stay for an honest measurement."),
    ),
    Question(
        "Shifts of at most one pixel and rotations of at most 10° in training: which statements "
        "match the chapter's table of shifted-digit accuracies?",
        right("the MLP gains more than the CNN on digits moved by one pixel",
              "The MLP has no built-in tolerance at all, so it has the most to learn from the "
              "moved copies: over 40 points, against over 20 for the CNN."),
        right("the augmented MLP is less accurate on centred digits than the plain MLP",
              "Its 183 hidden units must now recognise every digit at nine positions; the "
              "chapter asserts the drop."),
        wrong("two-pixel shifts are handled as well as one-pixel shifts",
              "No training image moved by two pixels; there the augmented networks lose much "
              "of their accuracy again. Augmentation teaches the moves it samples."),
        wrong("with augmentation the MLP matches the CNN at every shift",
              "The augmented CNN stays ahead at every shift: its structure and the data both "
              "help it."),
        multi=True,
    ),
    Question(
        "What does global average pooling hand to the GAP network's classifier?",
        right("the mean of each of conv2's 64 feature maps: 64 numbers, whatever the image size",
              "Each map becomes one number, so the classifier sees which features were found, "
              "not where, and it needs (64 + 1) · 10 = 650 parameters."),
        wrong("the 64 maps of 4 × 4 flattened into 1,024 numbers",
              "That is flattening: it ties every weight to a position and fixes the image "
              "size, which is what GAP replaces."),
        wrong("the largest value of each feature map",
              "That is global max pooling, another position-free choice; GAP averages over "
              "all positions instead of keeping the strongest one."),
        wrong("the mean over the 64 channels at every position: one 4 × 4 map",
              "Averaging over channels keeps the positions and throws away which feature "
              "fired; GAP averages over positions, one number per channel."),
    ),
    Question(
        "The GAP network has a head of 650 parameters against LeNet's 8,906. What did it give up "
        "on the chapter's test digits?",
        right("a few points of accuracy on centred digits",
              "Without positions the classifier cannot use where a stroke sits (a 6 and a 9 "
              "differ mostly in where their loop is); in exchange it held up better two "
              "pixels off centre."),
        wrong("its tolerance to large shifts: it fell below LeNet two pixels off",
              "The opposite: two pixels off, the GAP network beat LeNet (the chapter asserts "
              "it), since its classifier never learned positions."),
        wrong("nothing: it was more accurate than LeNet at every shift",
              "On centred digits LeNet was clearly better; the table shows a trade, not a "
              "free gain."),
        wrong("the ability to read 16 × 16 images",
              "It gained that ability: global average pooling works for any image size, "
              "while LeNet's fc1 expects exactly 32 · 2 · 2 inputs."),
    ),
]
