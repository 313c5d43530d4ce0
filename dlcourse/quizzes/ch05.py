"""Self-check quiz of chapter 05, back-propagation on the worked example."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "In the worked example, ∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5. What is the "
        "last factor?",
        wrong("w5", ""),
        wrong("out_o1", ""),
        right("out_h1",
              "net_o1 = w5·out_h1 + w6·out_h2 + b2, so its derivative with respect to w5 is the "
              "input w5 multiplies: out_h1 = 0.593269992."),
        wrong("i1", ""),
    ),
    Question(
        "For a sigmoid unit with output out = σ(net), what is ∂out/∂net?",
        right("out·(1 − out)",
              "σ'(z) = σ(z)(1 − σ(z)); for o1 that is 0.75136507·(1 − 0.75136507) = 0.186815602."),
        wrong("net·(1 − net)", ""),
        wrong("1 − out²", ""),
        wrong("σ(−net)/net", ""),
    ),
    Question(
        "Why does the gradient of a hidden-layer weight such as w1 involve both output errors?",
        wrong("because w1 is shared by both outputs", ""),
        right("because h1 feeds both o1 and o2, so a change in out_h1 changes E through both",
              "∂E/∂out_h1 = δ_o1·w5 + δ_o2·w7 sums over every path from h1 to the error."),
        wrong("because the biases are shared", ""),
        wrong("it does not: only o1 matters for w1", ""),
    ),
    Question(
        "When you update all eight weights in one step, which w5..w8 do the hidden-layer "
        "gradients use?",
        wrong("the updated ones, since they are more accurate", ""),
        right("the old ones: every gradient is taken at the current point, then all weights move",
              "Gradient descent moves from the current point along −∇E evaluated there; mixing "
              "in updated weights computes a different (sequential) update."),
        wrong("the average of old and new", ""),
        wrong("it makes no difference", ""),
    ),
    Question(
        "Seed 001 prints out_o1 = 1/(1 + e^{1.105905967}) = 0.75136079. What is right?",
        wrong("both the formula and the number are right", ""),
        right("the exponent needs a minus sign: 1/(1 + e^{−1.105905967}) = 0.75136507",
              "1/(1 + e^{+1.105905967}) is 0.24863493 = 1 − σ(1.105905967); σ(1.105905967) = "
              "0.75136507, the value the text itself uses for E_o1 = 0.274811083."),
        wrong("the number is right, only the formula is wrong", ""),
        wrong("out_o1 should be 0.24863493", ""),
    ),
    Question(
        "After 10,000 steps with η = 0.5, the total error is about 3.51·10⁻⁵. What happens if "
        "you run the same 10,000 steps with η = 0.1?",
        wrong("the error ends lower", ""),
        right("the error ends higher: each step is smaller",
              "On this smooth problem a smaller learning rate just moves more slowly down the "
              "same slope; try it with the widget's η slider."),
        wrong("the error is the same", ""),
        wrong("the training diverges", ""),
    ),
]
