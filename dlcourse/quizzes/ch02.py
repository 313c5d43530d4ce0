"""Self-check quiz of chapter 02, XOR and the multilayer perceptron."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Why can no single perceptron compute XOR?",
        wrong("its learning rate is too small to reach the right weights",
              "The learning rate changes how the line moves during training, not what one line "
              "can separate; no setting of w and b works for XOR."),
        wrong("XOR needs a sigmoid instead of a step",
              "A sigmoid neuron's boundary σ(w·x + b) = 1/2 is still the line w·x + b = 0: "
              "another activation does not bend the boundary of one neuron."),
        right("its two classes are not linearly separable",
              "A perceptron's decision boundary is a line; (0,1) and (1,0) on one side with "
              "(0,0) and (1,1) on the other is impossible (Minsky and Papert, 1969)."),
        wrong("XOR has more than two inputs",
              "XOR here has exactly two inputs, x1 and x2; the trouble is where its classes "
              "lie, not how many inputs there are."),
    ),
    Question(
        "In the hand-made 2-2-1 network, the hidden units compute OR and NAND. What must the "
        "output unit compute?",
        wrong("OR",
              "OR(OR, NAND) is 1 for every input: OR and NAND are never 0 together (OR is 0 "
              "only at (0,0), where NAND is 1)."),
        right("AND",
              "XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2)): true when at least one input is 1 "
              "but not both."),
        wrong("NOR",
              "NOR(OR, NAND) is 0 everywhere, because at least one of OR and NAND is always 1."),
        wrong("XOR",
              "Building XOR from XOR is circular, and wrong anyway: XOR(OR, NAND) is 1 at (0,0) "
              "and (1,1), where exactly one of them is 1; that is XNOR."),
    ),
    Question(
        "An MLP has layer sizes [2, 16, 16, 2]. How many parameters (weights and biases) does "
        "it have?",
        wrong("36",
              "36 = 2 + 16 + 16 + 2 counts the units. Each layer has inputs × outputs weights "
              "plus one bias per output."),
        wrong("320",
              "320 = 2·16 + 16·16 + 16·2 counts the weights but forgets the 16 + 16 + 2 = 34 "
              "biases."),
        right("354",
              "(2·16 + 16) + (16·16 + 16) + (16·2 + 2) = 48 + 272 + 34 = 354."),
        wrong("356",
              "320 weights plus a bias for all 36 units; but the 2 input units only hold x and "
              "have no bias: 320 + 34 = 354."),
    ),
    Question(
        "What happens if you stack several layers without any activation function between them?",
        wrong("the network becomes a better nonlinear classifier",
              "Nothing in it is nonlinear: each layer is affine, and so is their composition; "
              "its decision boundary is still one straight line."),
        right("it is still a single affine map x W + b",
              "x W1 W2 + (b1 W2 + b2) is again of the form x W + b: depth without "
              "nonlinearity adds no power, and the network cannot solve XOR."),
        wrong("training becomes impossible because the gradients are zero",
              "The gradients are fine, and a deep linear network trains; it is the family of "
              "functions that stays linear, so no training can make it fit XOR."),
        wrong("the outputs turn into probabilities that sum to one",
              "That takes a softmax (or a sigmoid) at the end; stacked linear layers give "
              "unbounded real numbers."),
    ),
    Question(
        "A torch nn.Linear(3, 4) stores its weight with shape (4, 3). The course's NumPy code uses "
        "row format, z = x W + b. Which W gives the same outputs?",
        wrong("linear.weight",
              "It has shape (4, 3), so x of shape (N, 3) times it does not even multiply: "
              "nn.Linear computes x·weightᵀ + bias."),
        right("linear.weight.T",
              "nn.Linear computes x·weightᵀ + bias, so the row-format W of shape (inputs, "
              "outputs) is weight.T."),
        wrong("linear.weight.reshape(3, 4)",
              "The shape fits, but a reshape reads the 12 numbers in memory order and puts them "
              "in the wrong places; only a transpose moves entry (i, j) to (j, i)."),
        wrong("linear.weight.flip(0)",
              "flip(0) reverses the order of the 4 rows and keeps the shape (4, 3): it neither "
              "transposes nor keeps the outputs in their places."),
    ),
    Question(
        "Why do we measure a trained classifier's accuracy on held-out points?",
        wrong("because the training points are too few to give a reliable count",
              "The trouble is not their number but that the network has seen them: a large "
              "network can reach 100 % on a training set even with random labels."),
        right("because a network can memorise the points it was trained on",
              "Accuracy on the training points can be perfect while the boundary between them "
              "is nonsense; only fresh points from the same distribution show whether it "
              "learned the pattern."),
        wrong("because held-out points are easier to classify",
              "They come from the same distribution, so they are no easier; accuracy on them is "
              "usually lower, and that gap is what we want to see."),
        wrong("because torch cannot evaluate a model on its own training set",
              "It can, and the chapter reports training accuracy too; it just does not measure "
              "how the model does on points it has not seen."),
    ),
]
