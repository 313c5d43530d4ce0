"""Self-check quiz of chapter 03, activation functions."""

from dlcourse.quiz import Question

QUESTIONS = [
    Question(
        "What is the largest value the sigmoid's derivative σ′(x) = σ(x)(1 − σ(x)) takes?",
        ("1, at x = 0", "1/2, at x = 0", "1/4, at x = 0", "it grows without bound"),
        2,
        "σ(0) = 1/2, so σ′(0) = 1/2 · 1/2 = 1/4, and u(1 − u) is largest at u = 1/2. Every "
        "sigmoid layer shrinks a back-propagated gradient by at least a factor of 4.",
    ),
    Question(
        "Which range holds tanh′(x) = 1 − tanh²(x)?",
        ("(0, 1)", "(0, 1]", "[0, 1/4]", "(−1, 1)"),
        1,
        "tanh(0) = 0 gives tanh′(0) = 1 exactly, and tanh² < 1 keeps it positive: (0, 1]. "
        "Seed 001 §3.4.11 writes (0, 1), which misses the value 1 at x = 0.",
    ),
    Question(
        "A network stacks five dense layers with the identity (linear) activation. What can it "
        "compute?",
        ("anything a five-layer MLP with ReLU can", "only affine maps x W + b, like one layer",
         "only functions through the origin", "piecewise linear functions with five kinks"),
        1,
        "A composition of affine maps is affine: the product W1 W2 ⋯ W5 is one matrix and the "
        "biases fold into one vector. Depth buys nothing without a non-linearity.",
    ),
    Question(
        "Why compute σ(x) as e/(1 + e) with e = exp(x) for x < 0 instead of 1/(1 + exp(−x))?",
        ("it is faster", "exp(−x) overflows for x ≪ 0, while exp(x) ≤ 1 there",
         "the results differ mathematically", "to make σ′ simpler"),
        1,
        "For x = −1000, exp(1000) is inf in float64. Both forms are the same function; the "
        "stable one only ever takes exp of a non-positive number.",
    ),
    Question(
        "In a PReLU, what is ∂f/∂α for an input x < 0?",
        ("0", "1", "α", "x"),
        3,
        "f(x) = α·x there, so the slope's gradient is x itself (and 0 where x > 0); the layer "
        "sums dout·x over every entry that shares the slope.",
    ),
    Question(
        "Softmax turns logits (3, 1, −3) into probabilities. Adding 100 to every logit ...",
        ("makes the first probability larger", "changes nothing",
         "overflows in any implementation", "makes the probabilities more uniform"),
        1,
        "e^(z+c)/Σe^(z+c) = e^z/Σe^z: a common shift cancels. That is exactly why subtracting "
        "the maximum before exp is allowed, and why it prevents overflow.",
    ),
]
