"""Self-check quiz of chapter 08, weight initialization."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Every weight of a hidden layer starts at 0.5. What is true after 10,000 steps of "
        "gradient descent?",
        wrong("the units have drifted apart through rounding errors",
              "Identical units run the same floating-point operations in the same order and "
              "get bit-identical results; the chapter checks that they stay exactly equal."),
        right("every hidden unit still has the same weights as the others",
              "Equal units compute equal outputs, receive equal gradients and take equal steps, "
              "so they stay equal: the layer acts as one unit (seed 001 §3.8.2). The weights "
              "do change."),
        wrong("the weights are all still 0.5",
              "They do change (the chapter's run moves them to values like 2.1 and −2.7): "
              "every unit gets a gradient. They just all change by the same amount."),
        wrong("the network cannot lower its loss at all",
              "It learns, like a network with a single hidden unit: the chapter's loss falls "
              "from 0.12 to 0.002."),
    ),
    Question(
        "A unit sums n = 400 inputs of variance 1 with independent zero-mean weights of "
        "variance Var(w). Which Var(w) gives its output variance 1?",
        wrong("1",
              "Then the unit sums 400 terms of variance 1: Var(z) = 400, a standard deviation "
              "of 20."),
        right("1/400",
              "Var(z) = n·Var(w)·E[x²] = 400·Var(w), so Var(w) = 1/400: w = randn/√400 = "
              "randn/20."),
        wrong("1/20",
              "1/20 = 1/√400 is the standard deviation of the weights (w = randn/20); the "
              "variance is its square, 1/400."),
        wrong("0.01² = 10⁻⁴",
              "That is the variance of 0.01·randn, the 'small random' scheme: Var(z) = "
              "400·10⁻⁴ = 0.04, so each layer shrinks the standard deviation fivefold."),
    ),
    Question(
        "Why does He initialization use Var(w) = 2/fan_in for ReLU layers instead of 1/fan_in?",
        wrong("because ReLU's derivative is 2",
              "ReLU's derivative is 1 for positive inputs and 0 for negative ones; the 2 "
              "makes up for the half of the inputs that ReLU zeroes."),
        right("ReLU zeroes half its inputs, halving the second moment",
              "E[relu(z)²] = Var(z)/2 for a symmetric z; doubling Var(w) pays for the lost "
              "half, so the signal keeps its size through many layers."),
        wrong("to make the weights positive, as ReLU needs",
              "He weights are zero-mean, half of them negative; only their variance changes."),
        wrong("because ReLU layers are usually twice as wide",
              "fan_in already counts the width; the factor 2 is about the activation and holds "
              "for any width."),
    ),
    Question(
        "A Xavier-uniform layer has fan_in = 300 and fan_out = 100. What is the bound b of "
        "U(−b, b)?",
        right("√(6/400) ≈ 0.122",
              "b = √(6/(fan_in + fan_out)): U(−b, b) has variance b²/3 = 2/(fan_in + fan_out), "
              "Glorot and Bengio's compromise between the forward and the backward pass."),
        wrong("√(2/400) ≈ 0.071",
              "√(2/(fan_in + fan_out)) is the standard deviation of Xavier normal; a uniform "
              "with that variance needs a bound √3 times larger."),
        wrong("√(6/300) ≈ 0.141",
              "This uses fan_in alone (He-style uniform with gain 1); Xavier uses both fans: "
              "6/(300 + 100)."),
        wrong("1/√300 ≈ 0.058",
              "1/√fan_in is the standard deviation of the randn/√n scheme, a normal "
              "distribution; it is neither a uniform bound nor Xavier's."),
    ),
    Question(
        "You initialize a 10-layer tanh net with 0.01·randn (256 units per layer). What does "
        "the spread of the last layer's activations look like?",
        wrong("about the same as the first layer's",
              "That needs a per-layer factor near 1, weights of size 1/√256 = 0.0625; 0.01 is "
              "six times smaller, so every layer shrinks the signal."),
        right("about 10⁻⁸: the signal vanishes",
              "Each layer multiplies the standard deviation by about 0.01·√256 = 0.16, six "
              "times smaller; from 0.16 after layer 1 it falls to about 10⁻⁸ after layer 10 "
              "(the chapter's table)."),
        wrong("saturated at ±1",
              "Saturation comes from weights that are too large (plain randn: each unit sums "
              "256 terms). Tiny weights keep tanh in its linear part, near 0."),
        wrong("it grows layer after layer",
              "Growth needs a per-layer factor above 1; 0.01·√256 = 0.16 is far below."),
    ),
]
