"""Self-check quiz of chapter 07, gradient descent and optimizers."""

from dlcourse.quiz import Question

QUESTIONS = [
    Question(
        "Gradient descent runs on a quadratic loss whose Hessian has largest eigenvalue "
        "λ_max = 4. Which learning rates make it diverge?",
        ("any η > 0.25", "any η > 0.5", "any η > 2", "none: gradient descent always converges"),
        1,
        "Along the steepest direction each step multiplies the error by (1 − ηλ_max); that "
        "factor has size above 1 once η > 2/λ_max = 0.5.",
    ),
    Question(
        "With n = 1,000 examples and mini-batches of 50, how many updates does one epoch make?",
        ("1", "20", "50", "1,000"),
        1,
        "An epoch is one pass over the data: 1,000 / 50 = 20 batches, one update each. Batch "
        "gradient descent makes 1 update per epoch, SGD 1,000.",
    ),
    Question(
        "Why does gradient descent zigzag on unnormalized features?",
        ("the gradient is computed wrongly for large features",
         "one learning rate must suit a steep and a flat direction at once, so it overshoots "
         "across the narrow valley while crawling along it",
         "mini-batches add noise", "the loss is not convex"),
        1,
        "Features on different scales make the loss curve much more steeply along some "
        "weights; z-scoring the features makes its contours nearly round (seed 001 §3.6.3).",
    ),
    Question(
        "Adam's first step (t = 1, ε negligible) moves each parameter by about how much?",
        ("η times its gradient", "η, whatever the size of the gradient",
         "η/(1 − β₁)", "nothing: m and v start at zero"),
        1,
        "At t = 1 the bias corrections give m̂ = g and v̂ = g², so the step is η·g/|g|: "
        "η in the direction of −g, per coordinate.",
    ),
    Question(
        "torch's NAdam uses the momentum schedule μ_t = β₁(1 − ½·0.96^(0.004t)). With β₁ = 0.9, "
        "what is μ_t during the first hundred steps?",
        ("about 0.9", "about 0.45", "exactly 0", "it grows from 0 to 0.9 within 100 steps"),
        1,
        "0.96^(0.004t) is close to 1 for small t, so μ_t ≈ 0.9·½ = 0.45; it reaches 0.9 only "
        "after tens of thousands of steps. The plain NAdam (μ_t = β₁) behaves differently.",
    ),
    Question(
        "PyTorch's Nesterov (SGD with nesterov=True) and Sutskever's look-ahead form give "
        "different numbers. Why is it still the same method?",
        ("the two differ by a learning-rate rescaling",
         "torch stores the look-ahead point p = θ + μv as its parameter, so its iterates are "
         "Sutskever's shifted by μv_t",
         "they agree only for μ = 0", "torch evaluates the gradient twice per step"),
        1,
        "Rewriting Sutskever's update in terms of p = θ + μv gives b ← μb + g, "
        "p ← p − η(g + μb), with the gradient at the parameters: the notebook checks "
        "p_t = θ_t + μv_t at every step.",
    ),
]
