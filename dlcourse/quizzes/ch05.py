"""Self-check quiz of chapter 05, back-propagation on the worked example."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "In the worked example, ∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5. What is the "
        "last factor?",
        wrong("w5",
              "w5 is the coefficient, not the variable: d(w5·out_h1)/dw5 = out_h1. w5 would be "
              "the derivative with respect to out_h1."),
        wrong("out_o1",
              "out_o1 belongs to the middle factor, ∂out_o1/∂net_o1 = out_o1(1 − out_o1); "
              "net_o1 itself is linear in w5."),
        right("out_h1",
              "net_o1 = w5·out_h1 + w6·out_h2 + b2, so its derivative with respect to w5 is the "
              "input w5 multiplies: out_h1 = 0.593269992."),
        wrong("i1",
              "i1 feeds the hidden layer; w5 joins h1 to o1, so the input it multiplies is "
              "h1's output, out_h1."),
    ),
    Question(
        "For a sigmoid unit with output out = σ(net), what is ∂out/∂net?",
        right("out·(1 − out)",
              "σ'(z) = σ(z)(1 − σ(z)); for o1 that is 0.75136507·(1 − 0.75136507) = "
              "0.186815602."),
        wrong("net·(1 − net)",
              "The formula is in terms of the output σ(net), not the input: with net_o1 = "
              "1.105905967, net·(1 − net) would even be negative."),
        wrong("1 − out²",
              "That is tanh's derivative written with its output; the sigmoid's is "
              "out·(1 − out)."),
        wrong("σ(−net)/net",
              "σ(−net) = 1 − σ(net) is one of the two factors, but σ′ = σ(net)·σ(−net); "
              "nothing is divided by net."),
    ),
    Question(
        "Why does the gradient of a hidden-layer weight such as w1 involve both output errors?",
        wrong("because w1 is shared by both output units",
              "w1 joins i1 to h1 only, and no weight is shared; what both outputs share is "
              "h1's output, read by o1 through w5 and by o2 through w7."),
        right("because h1 feeds both o1 and o2",
              "A change in out_h1 changes E through both outputs: ∂E/∂out_h1 = δ_o1·w5 + "
              "δ_o2·w7 sums over every path from h1 to the error."),
        wrong("because the two output units share one bias",
              "They do share b2 = 0.60 in this example, but the biases are held fixed and play "
              "no part in ∂E/∂w1; the two errors arrive through w5 and w7."),
        wrong("it does not: only o1 matters for w1",
              "Changing w1 changes out_h1, which reaches o2 through w7 as well; dropping that "
              "path gives a wrong gradient, and the autograd check catches it."),
    ),
    Question(
        "When you update all eight weights in one step, which w5..w8 do the hidden-layer "
        "gradients use?",
        wrong("the updated ones, since they are more accurate",
              "They would give the gradient at a point that is neither the old nor the new "
              "one: w1 would come out 0.149812002 instead of the text's 0.149780716."),
        right("the old ones: all gradients at the current point",
              "Gradient descent moves from the current point along −∇E evaluated there; mixing "
              "in updated weights computes a different (sequential) update."),
        wrong("the average of the old and the new ones",
              "No rule of gradient descent averages them: the gradient is taken at one point, "
              "the current one."),
        wrong("it makes no difference, the results agree to nine digits",
              "It does make a difference: with the updated w5..w8, w1 comes out 0.149812002, "
              "not the 0.149780716 that the text and autograd give."),
    ),
    Question(
        "Seed 001 prints out_o1 = 1/(1 + e^{1.105905967}) = 0.75136079. What is right?",
        wrong("both the formula and the number are right",
              "They do not even agree with each other: 1/(1 + e^{1.105905967}) is 0.24863493, "
              "and 0.75136079 matches neither form."),
        right("the exponent needs a minus sign: 1/(1 + e^{−1.105905967}) = 0.75136507",
              "1/(1 + e^{+1.105905967}) is 0.24863493 = 1 − σ(1.105905967); σ(1.105905967) = "
              "0.75136507, the value the text itself uses for E_o1 = 0.274811083."),
        wrong("the number is right, only the formula is wrong",
              "0.75136079 is off in the sixth digit: σ(1.105905967) = 0.75136507, and "
              "E = 0.298371109 needs 0.75136507."),
        wrong("out_o1 should be 0.24863493",
              "That is what the misprinted formula gives, σ(−1.105905967); the net input is "
              "+1.105905967, so out_o1 = σ(1.105905967) = 0.75136507."),
    ),
    Question(
        "After 10,000 steps with η = 0.5, the total error is about 3.51·10⁻⁵. What happens if "
        "you run the same 10,000 steps with η = 0.1?",
        wrong("the error ends lower, because small steps are more precise",
              "Smaller steps cover less ground in the same 10,000 steps down the same slope, "
              "so the error is still higher."),
        right("the error ends higher: each step is smaller",
              "On this smooth problem a smaller learning rate just moves more slowly down the "
              "same slope: E ends near 4.5·10⁻⁴, about 13 times higher. Try it with the "
              "widget's η slider."),
        wrong("the error is the same, because both runs reach the minimum",
              "Neither run reaches the minimum (E is still falling after 10,000 steps), so the "
              "distance covered, set by η, shows in the result."),
        wrong("the training diverges",
              "Divergence comes from steps too large for the curvature; a smaller η makes the "
              "steps safer, not riskier."),
    ),
]
