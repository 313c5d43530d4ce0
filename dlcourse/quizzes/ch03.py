"""Self-check quiz of chapter 03, activation functions."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "What is the largest value the sigmoid's derivative σ′(x) = σ(x)(1 − σ(x)) takes?",
        wrong("1, at x = 0", ""),
        wrong("1/2, at x = 0", ""),
        right("1/4, at x = 0",
              "σ(0) = 1/2, so σ′(0) = 1/2 · 1/2 = 1/4, and u(1 − u) is largest at u = 1/2. "
              "Every sigmoid layer shrinks a back-propagated gradient by at least a factor of 4."),
        wrong("it grows without bound", ""),
    ),
    Question(
        "Which range holds tanh′(x) = 1 − tanh²(x)?",
        wrong("(0, 1)", ""),
        right("(0, 1]",
              "tanh(0) = 0 gives tanh′(0) = 1 exactly, and tanh² < 1 keeps it positive: (0, 1]. "
              "Seed 001 §3.4.11 writes (0, 1), which misses the value 1 at x = 0."),
        wrong("[0, 1/4]", ""),
        wrong("(−1, 1)", ""),
    ),
    Question(
        "A network stacks five dense layers with the identity (linear) activation. What can it "
        "compute?",
        wrong("anything a five-layer MLP with ReLU can", ""),
        right("only affine maps x W + b, like one layer",
              "A composition of affine maps is affine: the product W1 W2 ⋯ W5 is one matrix and "
              "the biases fold into one vector. Depth buys nothing without a non-linearity."),
        wrong("only functions through the origin", ""),
        wrong("piecewise linear functions with five kinks", ""),
    ),
    Question(
        "Why compute σ(x) as e/(1 + e) with e = exp(x) for x < 0 instead of 1/(1 + exp(−x))?",
        wrong("it is faster", ""),
        right("exp(−x) overflows for x ≪ 0, while exp(x) ≤ 1 there",
              "For x = −1000, exp(1000) is inf in float64. Both forms are the same function; "
              "the stable one only ever takes exp of a non-positive number."),
        wrong("the results differ mathematically", ""),
        wrong("to make σ′ simpler", ""),
    ),
    Question(
        "In a PReLU, what is ∂f/∂α for an input x < 0?",
        wrong("0", ""),
        wrong("1", ""),
        wrong("α", ""),
        right("x",
              "f(x) = α·x there, so the slope's gradient is x itself (and 0 where x > 0); the "
              "layer sums dout·x over every entry that shares the slope."),
    ),
    Question(
        "Softmax turns logits (3, 1, −3) into probabilities. Adding 100 to every logit ...",
        wrong("makes the first probability larger", ""),
        right("changes nothing",
              "e^(z+c)/Σe^(z+c) = e^z/Σe^z: a common shift cancels. That is exactly why "
              "subtracting the maximum before exp is allowed, and why it prevents overflow."),
        wrong("overflows in any implementation", ""),
        wrong("makes the probabilities more uniform", ""),
    ),
]
