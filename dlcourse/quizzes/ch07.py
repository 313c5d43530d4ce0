"""Self-check quiz of chapter 07, gradient descent and optimizers."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Gradient descent runs on a quadratic loss whose Hessian has largest eigenvalue "
        "λ_max = 4. Which learning rates make it diverge?",
        wrong("any η > 0.25",
              "0.25 = 1/λ_max jumps to the minimum in one step along the steepest direction; "
              "between 1/λ and 2/λ it overshoots, but |1 − ηλ| < 1 still shrinks the error."),
        right("any η > 0.5",
              "Along the steepest direction each step multiplies the error by (1 − ηλ_max); "
              "that factor has size above 1 once η > 2/λ_max = 0.5."),
        wrong("any η > 2",
              "2 = 2/λ would be the limit for λ_max = 1; with λ_max = 4 it is 2/4 = 0.5."),
        wrong("none: gradient descent always converges on a convex quadratic",
              "Only with small enough steps: at η = 1 the error along the steepest direction "
              "is multiplied by |1 − 4| = 3 at every step."),
    ),
    Question(
        "With n = 1,000 examples and mini-batches of 50, how many updates does one epoch make?",
        wrong("1",
              "One update per epoch is batch gradient descent, which uses all 1,000 examples "
              "for each step."),
        right("20",
              "An epoch is one pass over the data: 1,000 / 50 = 20 batches, one update each. "
              "Batch gradient descent makes 1 update per epoch, SGD 1,000."),
        wrong("50",
              "50 is the batch size, the examples per update; the number of updates is "
              "1,000 / 50."),
        wrong("1,000",
              "1,000 updates per epoch is plain SGD, one example per step."),
    ),
    Question(
        "Why does gradient descent zigzag on unnormalized features?",
        wrong("the gradient is computed wrongly when features are large",
              "The gradient is exact; it is large along the large feature's weight because the "
              "loss really is steep there. The trouble is one step size for two curvatures."),
        right("one learning rate must suit a steep and a flat direction at once",
              "Features on different scales make the loss curve much more steeply along some "
              "weights, so a step overshoots across the narrow valley while crawling along it; "
              "z-scoring the features makes its contours nearly round (seed 001 §3.6.3)."),
        wrong("the noise of the mini-batches pushes it from side to side",
              "Full-batch gradient descent zigzags the same way on unscaled features: the cause "
              "is the stretched loss surface, not noise."),
        wrong("the loss is not convex, so it has many valleys to bounce between",
              "The chapter's least-squares loss is convex, a single quadratic bowl; just a "
              "badly stretched one."),
    ),
    Question(
        "Adam's first step (t = 1, ε negligible, β₁ = 0.9, β₂ = 0.999) moves each parameter by "
        "about how much?",
        wrong("η times its gradient",
              "That is plain gradient descent. Adam divides m̂ = g by √v̂ = |g|, so the size "
              "of g cancels."),
        right("η, whatever the size of the gradient",
              "At t = 1 the bias corrections give m̂ = g and v̂ = g², so the step is η·g/|g|: "
              "η in the direction of −g, per coordinate."),
        wrong("about 3.2·η",
              "That is the first step without the bias corrections: m₁ = 0.1·g and "
              "√v₁ = √0.001·|g| ≈ 0.0316·|g|, a ratio of 3.16. The corrections divide m by "
              "1 − β₁ and v by 1 − β₂ and bring it to exactly η."),
        wrong("nothing: m and v start at zero",
              "They start at zero, but the first step already adds (1 − β₁)g and (1 − β₂)g² "
              "to them before the update is made."),
    ),
    Question(
        "torch's NAdam uses the momentum schedule μ_t = β₁(1 − ½·0.96^(0.004t)). With β₁ = 0.9, "
        "what is μ_t during the first hundred steps?",
        wrong("about 0.9",
              "0.9 = β₁ is the limit μ_t approaches only after tens of thousands of steps, "
              "when 0.96^(0.004t) has fallen towards 0."),
        right("about 0.45",
              "0.96^(0.004t) is close to 1 for small t, so μ_t ≈ 0.9·½ = 0.45; it reaches 0.9 "
              "only after tens of thousands of steps. The plain NAdam (μ_t = β₁) behaves "
              "differently."),
        wrong("exactly 0",
              "μ_t = 0 would mean no momentum at all; with 0.96^(0.004t) ≈ 1 the schedule "
              "gives 0.9·(1 − ½) = 0.45."),
        wrong("it grows from 0 to 0.9 within 100 steps",
              "It starts near 0.45, not 0, and grows very slowly: 0.96^(0.004t) is still "
              "about 0.98 at t = 100, so μ_100 ≈ 0.46."),
    ),
    Question(
        "PyTorch's Nesterov (SGD with nesterov=True) and Sutskever's look-ahead form give "
        "different numbers. Why is it still the same method?",
        wrong("the two differ only by a rescaling of the learning rate",
              "No single factor maps one onto the other; what differs is which point is "
              "stored, θ or θ + μv, as the notebook checks."),
        right("torch stores the look-ahead point θ + μv as the parameter",
              "torch's iterates are Sutskever's shifted by μv_t. Rewriting Sutskever's update "
              "in terms of p = θ + μv gives b ← μb + g, p ← p − η(g + μb), with the gradient at "
              "the parameters: the notebook checks p_t = θ_t + μv_t at every step."),
        wrong("they agree only for μ = 0, and differ a little otherwise",
              "For μ = 0 both are plain SGD, but they are the same method for every μ: the "
              "iterates differ by the shift μv_t, not by the algorithm."),
        wrong("torch evaluates the gradient twice per step",
              "Both forms take one gradient per step; torch's rewriting lets that gradient be "
              "taken at the stored parameters."),
    ),
    Question(
        "Which of these optimizers give every parameter its own effective step size, scaled "
        "by the history of its gradients?",
        right("AdaGrad", "It divides by the root of the running sum of squared gradients, per "
                         "coordinate."),
        right("RMSProp", "It divides by the root of an exponential average of squared "
                         "gradients, per coordinate."),
        right("Adam", "Its step m̂/(√v̂ + ε) divides by a per-coordinate average of squared "
                      "gradients, like RMSProp, with momentum on top."),
        wrong("SGD with momentum",
              "Momentum averages the gradients' directions, but every coordinate shares the "
              "one learning rate η."),
        wrong("Nesterov's accelerated gradient",
              "Like momentum it changes where the gradient is taken and how it accumulates, "
              "not the learning rate of each coordinate."),
        multi=True,
    ),
    Question(
        "1,169 training examples in batches of 64 (the last batch kept). How many updates "
        "does one epoch make?",
        right("19",
              "⌈1169/64⌉ = 19: 18 full batches and one of 17 examples, as len(DataLoader) "
              "counts them."),
        wrong("18",
              "⌊1169/64⌋ = 18 drops the last, incomplete batch (drop_last=True); kept, it is "
              "one more update."),
        wrong("18.27",
              "An epoch makes a whole number of updates; the 17 left over form one smaller "
              "batch."),
        wrong("64",
              "64 is the number of examples per update, not the number of updates."),
    ),
    Question(
        "With one fixed learning rate, what happens as the batch size grows (seed 001 §3.5)?",
        right("an epoch takes less time, but more epochs are needed to reach the same loss",
              "Fewer, better-averaged updates per epoch: each epoch is faster on parallel "
              "hardware, and there are fewer steps per epoch to make progress with."),
        wrong("fewer epochs are needed, because each gradient is more accurate",
              "A more accurate step is not a longer one at the same learning rate; with fewer "
              "steps per epoch, more epochs are needed (1 epoch at B = 4 against about 180 at "
              "B = n in the chapter)."),
        wrong("each epoch takes more time",
              "The examples of a batch are processed together; on the course's two-core "
              "machine an epoch at B = n took about a millisecond, at B = 1 a fifth of a "
              "second."),
        wrong("the time to reach a target loss keeps falling",
              "It falls, then rises: more epochs eventually cost more than the faster epochs "
              "save. The best batch size lies in between, and where depends on the hardware."),
    ),
    Question(
        "Which of these follow from the data set and the batch size alone, the same on every "
        "machine?",
        right("the number of updates per epoch",
              "⌈n/B⌉ is arithmetic: no clock involved."),
        right("how many examples each update averages over",
              "B of them (fewer for the last batch when B does not divide n), on any machine."),
        wrong("the seconds per epoch",
              "Measured time depends on the processor, the GPU, and what else the machine is "
              "doing; the chapter prints it as measured."),
        wrong("the batch size that reaches the target loss fastest in seconds",
              "It depends on how the hardware's speed grows with the batch: a GPU favours "
              "larger batches than a two-core CPU."),
        multi=True,
    ),
]
