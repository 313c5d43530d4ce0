"""Self-check quiz of chapter 06: back-propagation in matrix form, an MLP from scratch."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "A dense layer computes Z = X W + b for a batch X of shape (N, D), W of shape (D, M). "
        "Given δ = ∂L/∂Z of shape (N, M), what is ∂L/∂W?",
        wrong("δ Wᵀ", ""),
        right("Xᵀ δ",
              "Xᵀ δ has W's shape (D, M) and sums the per-example outer products x_nᵀ δ_n over "
              "the batch; δ Wᵀ is ∂L/∂X."),
        wrong("δᵀ X", ""),
        wrong("X δᵀ", ""),
    ),
    Question(
        "Why is ∂L/∂b the sum of δ over the batch rows, not their mean?",
        wrong("because the loss is summed over the batch", ""),
        right("because the same bias is added to every example, so its gradient collects every "
              "example's contribution; the 1/N of a mean loss is already inside δ",
              "b is broadcast to all N rows; the chain rule sums over every place it was used. "
              "With a mean loss, δ already carries the factor 1/N."),
        wrong("it should be the mean", ""),
        wrong("to make the bias learn faster", ""),
    ),
    Question(
        "In the recursion δ^(l) = (δ^(l+1) W^(l+1)ᵀ) ⊙ g(z^(l)), what is g?",
        wrong("the inverse activation f⁻¹", ""),
        right("the derivative f′ of the activation",
              "Chain rule through a = f(z): ∂a/∂z = f′(z). Seed 002 writes f⁻¹, a typo: for the "
              "sigmoid its own right-hand side a ∘ (1 − a) is f′, not the inverse function."),
        wrong("the activation f itself", ""),
        wrong("the identity", ""),
    ),
    Question(
        "A gradient check compares your backward pass with central differences in float64. Which "
        "relative error signals a bug?",
        wrong("1e-10", ""),
        wrong("1e-8", ""),
        right("1e-2",
              "Central differences with h ≈ 1e-6 agree with a correct gradient to about 1e-8 or "
              "better; errors around 1e-2 or larger mean the backward pass is wrong."),
        wrong("0", ""),
    ),
    Question(
        "With weight decay the objective is J = L + (λ/2)‖W‖². What is one gradient-descent step "
        "with learning rate α?",
        wrong("W ← W − α∇L − λW", ""),
        right("W ← (1 − αλ)W − α∇L",
              "∇J = ∇L + λW, so W − α(∇L + λW) = (1 − αλ)W − α∇L. Seed 004 prints the first "
              "form, without the α in front of λW."),
        wrong("W ← W − α(∇L + 2λW)", ""),
        wrong("W ← (1 − λ)W − ∇L", ""),
    ),
    Question(
        "Your training loop reshuffles the data each epoch with rng.permutation and walks it in "
        "batches of 32; the training set has 1,169 rows. How many steps per epoch?",
        wrong("36", ""),
        right("37",
              "36 full batches cover 1,152 rows; the remaining 17 form a 37th, smaller batch."),
        wrong("32", ""),
        wrong("1,169", ""),
    ),
]
