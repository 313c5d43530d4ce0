"""Self-check quiz of chapter 07, gradient descent and optimizers."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Gradient descent runs on a quadratic loss whose Hessian has largest eigenvalue λ_max = "
        "4. Which learning rates make it diverge?",
        wrong("any η > 0.25", ""),
        right("any η > 0.5",
              "Along the steepest direction each step multiplies the error by (1 − ηλ_max); "
              "that factor has size above 1 once η > 2/λ_max = 0.5."),
        wrong("any η > 2", ""),
        wrong("none: gradient descent always converges", ""),
    ),
    Question(
        "With n = 1,000 examples and mini-batches of 50, how many updates does one epoch make?",
        wrong("1", ""),
        right("20",
              "An epoch is one pass over the data: 1,000 / 50 = 20 batches, one update each. "
              "Batch gradient descent makes 1 update per epoch, SGD 1,000."),
        wrong("50", ""),
        wrong("1,000", ""),
    ),
    Question(
        "Why does gradient descent zigzag on unnormalized features?",
        wrong("the gradient is computed wrongly for large features", ""),
        right("one learning rate must suit a steep and a flat direction at once, so it "
              "overshoots across the narrow valley while crawling along it",
              "Features on different scales make the loss curve much more steeply along some "
              "weights; z-scoring the features makes its contours nearly round (seed 001 "
              "§3.6.3)."),
        wrong("mini-batches add noise", ""),
        wrong("the loss is not convex", ""),
    ),
    Question(
        "Adam's first step (t = 1, ε negligible) moves each parameter by about how much?",
        wrong("η times its gradient", ""),
        right("η, whatever the size of the gradient",
              "At t = 1 the bias corrections give m̂ = g and v̂ = g², so the step is η·g/|g|: η "
              "in the direction of −g, per coordinate."),
        wrong("η/(1 − β₁)", ""),
        wrong("nothing: m and v start at zero", ""),
    ),
    Question(
        "torch's NAdam uses the momentum schedule μ_t = β₁(1 − ½·0.96^(0.004t)). With β₁ = 0.9, "
        "what is μ_t during the first hundred steps?",
        wrong("about 0.9", ""),
        right("about 0.45",
              "0.96^(0.004t) is close to 1 for small t, so μ_t ≈ 0.9·½ = 0.45; it reaches 0.9 "
              "only after tens of thousands of steps. The plain NAdam (μ_t = β₁) behaves "
              "differently."),
        wrong("exactly 0", ""),
        wrong("it grows from 0 to 0.9 within 100 steps", ""),
    ),
    Question(
        "PyTorch's Nesterov (SGD with nesterov=True) and Sutskever's look-ahead form give "
        "different numbers. Why is it still the same method?",
        wrong("the two differ by a learning-rate rescaling", ""),
        right("torch stores the look-ahead point p = θ + μv as its parameter, so its iterates "
              "are Sutskever's shifted by μv_t",
              "Rewriting Sutskever's update in terms of p = θ + μv gives b ← μb + g, p ← p − "
              "η(g + μb), with the gradient at the parameters: the notebook checks p_t = θ_t + "
              "μv_t at every step."),
        wrong("they agree only for μ = 0", ""),
        wrong("torch evaluates the gradient twice per step", ""),
    ),
]
