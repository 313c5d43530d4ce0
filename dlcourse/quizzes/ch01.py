"""Self-check quiz of chapter 01, the perceptron."""

from dlcourse.quiz import Question

QUESTIONS = [
    Question(
        "A perceptron has w = (−2, −2) and b = 3. What does it output for the input (1, 1)?",
        ("1", "0", "−1", "it depends on the learning rate"),
        1,
        "z = −2 − 2 + 3 = −1 ≤ 0, so the step function gives 0: the NAND gate's last row.",
    ),
    Question(
        "What does the bias b do to the decision boundary w·x + b = 0?",
        ("it rotates the line", "it shifts the line without turning it",
         "it changes which side is class 1 only", "nothing; it only scales z"),
        1,
        "Changing b moves the line parallel to itself; without a bias the line must pass "
        "through the origin.",
    ),
    Question(
        "Rosenblatt's rule meets an example with y·(w·x + b) > 0. What happens?",
        ("w ← w + η·y·x", "w ← w − η·y·x", "nothing changes", "the bias alone is updated"),
        2,
        "The example is already on its correct side, so the rule leaves w and b alone.",
    ),
    Question(
        "Data is separable with margin γ, and every augmented example has length at most R. "
        "Starting from w = 0, how many updates can the perceptron make at most?",
        ("R/γ", "(R/γ)²", "n, the number of examples", "there is no bound"),
        1,
        "Novikoff's theorem: at most (R/γ)² updates, whatever the order of the examples and "
        "the learning rate.",
    ),
    Question(
        "Why does the perceptron never stop on XOR?",
        ("the learning rate is too large", "XOR needs more epochs",
         "no line puts (0,1) and (1,0) on one side and (0,0) and (1,1) on the other",
         "the step function is not differentiable"),
        2,
        "The four inequalities a separating line would need contradict each other, so some "
        "example is always misclassified and every epoch makes an update (Minsky and Papert, "
        "1969).",
    ),
]
