"""Self-check quiz of chapter 08, weight initialization."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Every weight of a hidden layer starts at 0.5. What is true after 10,000 steps of "
        "gradient descent?",
        wrong("the units have drifted apart by rounding errors", ""),
        right("every hidden unit still has the same weights as the others",
              "Equal units compute equal outputs, receive equal gradients and take equal steps, "
              "so they stay equal: the layer acts as one unit (seed 001 §3.8.2). The weights do "
              "change."),
        wrong("the weights are still 0.5", ""),
        wrong("the network cannot learn anything at all", ""),
    ),
    Question(
        "A unit sums n = 400 inputs of variance 1 with independent zero-mean weights of variance "
        "Var(w). Which Var(w) gives its output variance 1?",
        wrong("1/20", ""),
        right("1/400",
              "Var(z) = n·Var(w)·E[x²] = 400·Var(w), so Var(w) = 1/400: w = randn/√400 = "
              "randn/20."),
        wrong("1/√400", ""),
        wrong("0.01²", ""),
    ),
    Question(
        "Why does He initialization use Var(w) = 2/fan_in for ReLU layers instead of 1/fan_in?",
        wrong("ReLU's derivative is 2", ""),
        right("ReLU zeroes the negative half of its inputs, halving the second moment it passes "
              "on",
              "E[relu(z)²] = Var(z)/2 for a symmetric z; doubling Var(w) pays for the lost "
              "half, so the signal keeps its size through many layers."),
        wrong("to make the weights positive", ""),
        wrong("because ReLU layers are usually twice as wide", ""),
    ),
    Question(
        "A Xavier-uniform layer has fan_in = 300 and fan_out = 100. What is the bound b of U(−b, "
        "b)?",
        right("√(6/400) ≈ 0.122",
              "b = √(6/(fan_in + fan_out)): U(−b, b) has variance b²/3 = 2/(fan_in + fan_out), "
              "Glorot and Bengio's compromise between the forward and the backward pass."),
        wrong("√(2/400) ≈ 0.071", ""),
        wrong("√(6/300) ≈ 0.141", ""),
        wrong("1/√300 ≈ 0.058", ""),
    ),
    Question(
        "You initialize a 10-layer tanh net with 0.01·randn (256 units per layer). What does the "
        "spread of the last layer's activations look like?",
        wrong("about the same as the first layer's", ""),
        right("about 10⁻⁸ of the first layer's: vanishing",
              "Each layer multiplies the standard deviation by about 0.01·√256 = 0.16; ten "
              "layers give about 10⁻⁸ (the chapter's plot)."),
        wrong("saturated at ±1", ""),
        wrong("it grows layer after layer", ""),
    ),
]
