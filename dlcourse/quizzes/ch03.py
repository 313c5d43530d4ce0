"""Self-check quiz of chapter 03, activation functions."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "What is the largest value the sigmoid's derivative σ′(x) = σ(x)(1 − σ(x)) takes?",
        wrong("1, at x = 0",
              "1 is tanh′(0). For the sigmoid the slope at 0 is σ(0)(1 − σ(0)) = 1/2 · 1/2 "
              "= 1/4."),
        wrong("1/2, at x = 0",
              "1/2 is σ(0), the sigmoid's value there, not its slope; the slope is "
              "σ(0)(1 − σ(0)) = 1/4."),
        right("1/4, at x = 0",
              "σ(0) = 1/2, so σ′(0) = 1/2 · 1/2 = 1/4, and u(1 − u) is largest at u = 1/2. So σ′ "
              "contributes a factor of at most 1/4 per sigmoid layer to a back-propagated "
              "gradient. Whether the gradient shrinks also depends on the weights it is "
              "multiplied by: the factor per layer is σ′(z)·w, below 1/4 in size only while "
              "|w| ≤ 1 (seed 000's argument); large weights can make up for σ′."),
        wrong("it grows without bound for large x",
              "σ(x)(1 − σ(x)) is a product of two numbers in (0, 1) that add up to 1, so it "
              "never exceeds 1/4; it falls towards 0 in both tails."),
    ),
    Question(
        "Which range holds tanh′(x) = 1 − tanh²(x)?",
        wrong("(0, 1)",
              "Seed 001 §3.4.11's range: it misses tanh′(0) = 1 − 0² = 1, reached exactly at "
              "x = 0."),
        right("(0, 1]",
              "tanh(0) = 0 gives tanh′(0) = 1 exactly, and tanh² < 1 keeps it positive: (0, 1]. "
              "Seed 001 §3.4.11 writes (0, 1), which misses the value 1 at x = 0."),
        wrong("[0, 1/4]",
              "That is (nearly) the sigmoid's derivative range. tanh is steeper: tanh(x) = "
              "2σ(2x) − 1 gives tanh′(0) = 4σ′(0) = 1. And 0 is only approached, never reached."),
        wrong("(−1, 1)",
              "That is the range of tanh itself. Its derivative 1 − tanh² is never negative, "
              "because tanh² < 1."),
    ),
    Question(
        "A network stacks five dense layers with the identity (linear) activation. What can it "
        "compute?",
        wrong("anything a five-layer MLP with ReLU can",
              "ReLU's kinks let an MLP bend its output; the identity has none, so the stack "
              "collapses to one affine map."),
        right("only affine maps x W + b, like one layer",
              "A composition of affine maps is affine: the product W1 W2 ⋯ W5 is one matrix and "
              "the biases fold into one vector. Depth buys nothing without a non-linearity."),
        wrong("only linear functions through the origin",
              "The biases keep their effect: ((x W1 + b1) W2 + b2) ⋯ folds into x W + b with "
              "b = b1 W2⋯W5 + ⋯ + b5, which need not be 0."),
        wrong("piecewise linear functions with up to five kinks",
              "Kinks come from an activation such as ReLU switching on or off; the identity "
              "never switches, so there are no kinks at all."),
    ),
    Question(
        "Why compute σ(x) as e/(1 + e) with e = exp(x) for x < 0 instead of 1/(1 + exp(−x))?",
        wrong("it is faster: one exp instead of two",
              "Both forms take one exp and one division; the reason is numerical safety, not "
              "speed."),
        right("exp(−x) overflows for x ≪ 0, while exp(x) ≤ 1 there",
              "For x = −1000, exp(1000) is inf in float64. Both forms are the same function; "
              "the stable one only ever takes exp of a non-positive number."),
        wrong("the two formulas give different values for x < 0",
              "Multiply 1/(1 + e^{−x}) by e^{x}/e^{x} and you get e^{x}/(e^{x} + 1): the same "
              "function. Only the overflow differs."),
        wrong("to make σ′ simpler to compute afterwards",
              "σ′ = σ(1 − σ) whichever form computed σ; the choice decides only whether exp "
              "overflows."),
    ),
    Question(
        "In a PReLU, what is ∂f/∂α for an input x < 0?",
        wrong("0",
              "0 is ∂f/∂α for x > 0, where f(x) = x does not involve α. For x < 0, f(x) = α·x "
              "does."),
        wrong("1",
              "1 is ∂f/∂x for x > 0. With respect to α, f(x) = α·x has slope x."),
        wrong("α",
              "α is ∂f/∂x for x < 0, the slope of the negative half. With respect to α the "
              "derivative is the other factor, x."),
        right("x",
              "f(x) = α·x there, so the slope's gradient is x itself (and 0 where x > 0); the "
              "layer sums dout·x over every entry that shares the slope."),
    ),
    Question(
        "Softmax turns logits (3, 1, −3) into probabilities. Adding 100 to every logit ...",
        wrong("makes the first probability larger",
              "Every e^{z_i} is multiplied by the same e^{100}, which cancels in the ratio; no "
              "class gains."),
        right("changes nothing",
              "e^(z+c)/Σe^(z+c) = e^z/Σe^z: a common shift cancels. That is exactly why "
              "subtracting the maximum before exp is allowed, and why it prevents overflow."),
        wrong("overflows in any implementation",
              "Even a naive exp(103) ≈ 5·10⁴⁴ fits in float64 (overflow starts above 709), "
              "and a stable softmax subtracts the maximum first and never overflows."),
        wrong("makes the probabilities more uniform",
              "Uniformity depends on the differences between the logits, which a shift leaves "
              "alone; dividing the logits by a temperature above 1 would flatten them."),
    ),
    Question(
        "For which of these activations is the derivative positive at every x, so that no input "
        "blocks the gradient completely?",
        right("sigmoid", "σ′ = σ(1 − σ) > 0 everywhere, though tiny in the tails."),
        right("tanh", "tanh′ = 1 − tanh² lies in (0, 1]: small for large |x|, never 0."),
        right("leaky ReLU with slope 0.01", "Its slope is 0.01 for x < 0 and 1 for x > 0: "
                                            "never 0, which is why it cannot die."),
        right("softplus", "softplus′(x) = σ(x) > 0 for every x."),
        wrong("ReLU", "ReLU′ = 0 for every x < 0: a unit whose input stays negative passes no "
                      "gradient at all (a dead ReLU)."),
        multi=True,
    ),
    Question(
        "A ReLU unit's pre-activation is ≤ 0 on every training example. What happens to its "
        "incoming weights as training goes on?",
        right("nothing: they receive zero gradient, so the unit stays dead",
              "The output is 0 and so is relu′ on every example, so no gradient reaches the "
              "weights; the chapter's dead units kept their weights bit for bit."),
        wrong("they grow until the unit fires again",
              "Nothing pushes them: the gradient they receive is exactly 0."),
        wrong("they shrink towards zero, as with weight decay",
              "Only a penalty such as weight decay would change them; the loss itself sends "
              "them no gradient."),
        wrong("they move slowly, with slope 0.01",
              "That is the leaky ReLU, whose slope α on the negative side keeps a gradient "
              "flowing; the plain ReLU's slope there is 0."),
    ),
    Question(
        "Which activation for the hidden layers, when you have no reason to pick another "
        "(seed 001 §3.4.5)?",
        right("ReLU",
              "Cheap, and a slope of 1 wherever it is active, so no saturation on that side; "
              "switch to leaky ReLU if many units die."),
        wrong("the sigmoid",
              "It saturates on both sides and its slope is at most 1/4; the seed keeps it for a "
              "two-class output."),
        wrong("softmax",
              "Softmax turns a vector of scores into probabilities at a classifier's output; it "
              "is not an elementwise hidden-layer activation."),
        wrong("the identity (linear)",
              "Without a non-linearity the layers collapse into one affine map (section 1)."),
    ),
    Question(
        "A sigmoid layer receives the digits' raw pixel values (0 to 16) instead of pixels in "
        "[0, 1]. What follows?",
        right("many pre-activations land on the sigmoid's flat tails",
              "The inputs are 16 times larger, so are the pre-activations: the chapter found "
              "about 18 % of them beyond |z| = 6, against none for scaled inputs."),
        right("less gradient passes through the layer",
              "On the tails σ′ is nearly 0: the mean σ′ fell from 0.245 to about 0.08."),
        wrong("the outputs leave the interval (0, 1)",
              "The sigmoid's outputs stay in (0, 1) whatever its input; they just pile up near "
              "0 and 1."),
        wrong("a ReLU layer would saturate in the same way",
              "A ReLU does not flatten for large positive inputs: its slope stays 1 there."),
        multi=True,
    ),
]
