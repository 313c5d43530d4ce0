"""Self-check quiz of chapter 01, the perceptron."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "A perceptron has w = (−2, −2) and b = 3. What does it output for the input (1, 1)?",
        wrong("1", ""),
        right("0",
              "z = −2 − 2 + 3 = −1 ≤ 0, so the step function gives 0: the NAND gate's last row."),
        wrong("−1", ""),
        wrong("it depends on the learning rate", ""),
    ),
    Question(
        "What does the bias b do to the decision boundary w·x + b = 0?",
        wrong("it rotates the line", ""),
        right("it shifts the line without turning it",
              "Changing b moves the line parallel to itself; without a bias the line must pass "
              "through the origin."),
        wrong("it changes which side is class 1 only", ""),
        wrong("nothing; it only scales z", ""),
    ),
    Question(
        "Rosenblatt's rule meets an example with y·(w·x + b) > 0. What happens?",
        wrong("w ← w + η·y·x", ""),
        wrong("w ← w − η·y·x", ""),
        right("nothing changes",
              "The example is already on its correct side, so the rule leaves w and b alone."),
        wrong("the bias alone is updated", ""),
    ),
    Question(
        "Data is separable with margin γ, and every augmented example has length at most R. "
        "Starting from w = 0, how many updates can the perceptron make at most?",
        wrong("R/γ", ""),
        right("(R/γ)²",
              "Novikoff's theorem: at most (R/γ)² updates, whatever the order of the examples "
              "and the learning rate."),
        wrong("n, the number of examples", ""),
        wrong("there is no bound", ""),
    ),
    Question(
        "Why does the perceptron never stop on XOR?",
        wrong("the learning rate is too large", ""),
        wrong("XOR needs more epochs", ""),
        right("no line puts (0,1) and (1,0) on one side and (0,0) and (1,1) on the other",
              "The four inequalities a separating line would need contradict each other, so "
              "some example is always misclassified and every epoch makes an update (Minsky and "
              "Papert, 1969)."),
        wrong("the step function is not differentiable", ""),
    ),
]
