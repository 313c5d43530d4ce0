"""Self-check quiz of chapter 02, XOR and the multilayer perceptron."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Why can no single perceptron compute XOR?",
        wrong("its learning rate is too small", ""),
        wrong("XOR needs a sigmoid instead of a step", ""),
        right("the points with output 1 and those with output 0 cannot be split by one straight "
              "line",
              "A perceptron's decision boundary is a line; (0,1) and (1,0) on one side with "
              "(0,0) and (1,1) on the other is impossible (Minsky and Papert, 1969)."),
        wrong("XOR has more than two inputs", ""),
    ),
    Question(
        "In the hand-made 2-2-1 network, the hidden units compute OR and NAND. What must the "
        "output unit compute?",
        wrong("OR", ""),
        right("AND",
              "XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2)): true when at least one input is 1 "
              "but not both."),
        wrong("NOR", ""),
        wrong("XOR", ""),
    ),
    Question(
        "An MLP has layer sizes [2, 16, 16, 2]. How many parameters (weights and biases) does it "
        "have?",
        wrong("36", ""),
        wrong("320", ""),
        right("354", "(2·16 + 16) + (16·16 + 16) + (16·2 + 2) = 48 + 272 + 34 = 354."),
        wrong("560", ""),
    ),
    Question(
        "What happens if you stack several layers without any activation function between them?",
        wrong("the network becomes a better nonlinear classifier", ""),
        right("the whole network is still one linear (affine) map, so it cannot solve XOR",
              "x W1 W2 + (b1 W2 + b2) is again of the form x W + b: depth without nonlinearity "
              "adds no power."),
        wrong("training becomes impossible because the gradients are zero", ""),
        wrong("the outputs turn into probabilities", ""),
    ),
    Question(
        "A torch nn.Linear(3, 4) stores its weight with shape (4, 3). The course's NumPy code "
        "uses row format, z = x W + b. Which W gives the same outputs?",
        wrong("linear.weight", ""),
        right("linear.weight.T",
              "nn.Linear computes x·weightᵀ + bias, so the row-format W of shape (inputs, "
              "outputs) is weight.T (a reshape would scramble the entries)."),
        wrong("linear.weight.reshape(3, 4)", ""),
        wrong("linear.weight.flip(0)", ""),
    ),
    Question(
        "Why do we measure a trained classifier's accuracy on held-out points?",
        wrong("because the training points are too few to count", ""),
        right("because a network can memorise its training points; only new points show whether "
              "it learned the pattern",
              "Accuracy on the training points can be perfect while the boundary between them "
              "is nonsense; fresh points from the same distribution test generalisation."),
        wrong("because held-out points are easier", ""),
        wrong("because torch cannot evaluate the training set", ""),
    ),
]
