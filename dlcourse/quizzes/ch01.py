"""Self-check quiz of chapter 01, the perceptron."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "A perceptron has w = (−2, −2) and b = 3. What does it output for the input (1, 1)?",
        wrong("1",
              "That needs z > 0, but z = −2·1 − 2·1 + 3 = −1. The output 1 is NAND's answer for "
              "the other three inputs, where at least one input is 0."),
        right("0",
              "z = −2 − 2 + 3 = −1 ≤ 0, so the step function gives 0: the NAND gate's last row."),
        wrong("−1",
              "−1 is what the sign activation gives for z < 0. The NAND gate of the course "
              "uses the step activation, whose outputs are 0 and 1."),
        wrong("it depends on the learning rate",
              "The learning rate matters only while training changes w and b; a forward pass "
              "with fixed w = (−2, −2) and b = 3 has one answer."),
    ),
    Question(
        "What does the bias b do to the decision boundary w·x + b = 0?",
        wrong("it rotates the line about the origin",
              "The line's direction is set by w alone (the line is perpendicular to w), so "
              "changing only b never turns it."),
        right("it shifts the line without turning it",
              "Changing b moves the line parallel to itself; without a bias the line must pass "
              "through the origin."),
        wrong("it only changes which side of the line is class 1",
              "Which side fires is set by the direction of w; swapping the sides takes negating "
              "w and b together. Changing b alone moves the line."),
        wrong("nothing to the line; it only scales z",
              "b is added to z, not multiplied: z = w·x + b. Adding a constant moves the set "
              "where z = 0, which is the boundary itself."),
    ),
    Question(
        "Rosenblatt's rule meets an example with y·(w·x + b) > 0. What happens?",
        wrong("w ← w + η·y·x",
              "That is the update for a misclassified example, y·(w·x + b) ≤ 0. This example "
              "is already on its correct side."),
        wrong("w ← w − η·y·x",
              "This would push w away from the example's correct side; the rule never does "
              "that. Even after a mistake it adds η·y·x."),
        right("nothing changes",
              "The example is already on its correct side, so the rule leaves w and b alone."),
        wrong("only the bias is updated, by η·y",
              "The bias is updated together with w (it is the weight of a constant input 1), "
              "and only after a mistake; here there is none."),
    ),
    Question(
        "Data is separable with margin γ, and every augmented example has length at most R. "
        "Starting from w = 0, how many updates can the perceptron make at most?",
        wrong("R/γ",
              "The proof shows that w·w* grows at least like k·γ while ‖w‖ grows at most like "
              "√k·R; k·γ ≤ √k·R gives k ≤ (R/γ)², the square of this."),
        right("(R/γ)²",
              "Novikoff's theorem: at most (R/γ)² updates, whatever the order of the examples "
              "and the learning rate."),
        wrong("n, the number of examples, one update each",
              "The bound does not depend on the number of examples: one example can cause "
              "several updates, and a huge data set with a wide margin needs few."),
        wrong("there is no bound: it depends on the order of the examples",
              "On separable data there is a bound, and it holds for every order (the "
              "convergence theorem). The rule runs forever only when no separating line "
              "exists, as for XOR."),
    ),
    Question(
        "Why does the perceptron never stop on XOR?",
        wrong("the learning rate is too large, so it overshoots",
              "Starting from w = 0, the learning rate only rescales w and b, which does not "
              "move the line at all; XOR fails at every η."),
        wrong("XOR needs more epochs than the others",
              "More epochs never help: every epoch meets some misclassified point and makes "
              "another update, forever."),
        right("no line puts (0,1) and (1,0) on one side and (0,0) and (1,1) on the other",
              "The four inequalities a separating line would need contradict each other, so "
              "some example is always misclassified and every epoch makes an update (Minsky and "
              "Papert, 1969)."),
        wrong("the step function is not differentiable",
              "The perceptron rule uses no derivative, and it converges on AND, OR and NAND "
              "with the same step function."),
    ),
    Question(
        "Which of these gates can a single perceptron with a step activation compute?",
        right("AND", "w = (1, 1), b = −1.5: only (1, 1) gives z > 0."),
        right("OR", "w = (1, 1), b = −0.5: every input with a 1 in it gives z > 0."),
        right("NAND", "w = (−2, −2), b = 3, the chapter's weights: AND's line with the sides "
                      "swapped."),
        right("NOR", "w = (−1, −1), b = 0.5: only (0, 0) gives z > 0, OR with the sides "
                     "swapped."),
        wrong("XOR", "XOR's two classes sit on the two diagonals of the square, and no single "
                     "line separates them: it takes a hidden layer (chapter 02)."),
        multi=True,
    ),
]
