"""Self-check quiz of chapter 06: back-propagation in matrix form, an MLP from scratch."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "A dense layer computes Z = X W + b for a batch X of shape (N, D), W of shape (D, M). "
        "Given δ = ∂L/∂Z of shape (N, M), what is ∂L/∂W?",
        wrong("δ Wᵀ",
              "δ Wᵀ has shape (N, D): it is ∂L/∂X, the gradient passed down to the layer "
              "below, not the weights' gradient."),
        right("Xᵀ δ",
              "Xᵀ δ has W's shape (D, M) and sums the per-example outer products x_nᵀ δ_n over "
              "the batch; δ Wᵀ is ∂L/∂X."),
        wrong("δᵀ X",
              "δᵀ X has shape (M, D), the transpose of W's: it is the gradient in torch's "
              "layout for nn.Linear.weight, not for the row-format W."),
        wrong("X δᵀ",
              "X δᵀ multiplies only when D = M, and then pairs examples with examples, an "
              "(N, N) matrix; the sum over the batch must run over the N rows, as in Xᵀ δ."),
    ),
    Question(
        "Why is ∂L/∂b the sum of δ over the batch rows, not their mean?",
        wrong("because the loss is summed over the batch, never averaged",
              "The course's loss is a mean. The sum over rows comes from the chain rule: b is "
              "used in every row, and the 1/N of the mean is already inside δ."),
        right("b is added to every row, so the chain rule sums over the rows",
              "b is broadcast to all N rows; the chain rule sums over every place it was used. "
              "With a mean loss, δ already carries the factor 1/N."),
        wrong("it should be the mean; the sum is a common bug",
              "A mean would divide by N a second time, since δ already carries the 1/N of the "
              "mean loss; a gradient check would show the factor N."),
        wrong("to make the bias learn faster than the weights",
              "It is not a choice but the exact derivative; a faster bias would need its own, "
              "larger learning rate."),
    ),
    Question(
        "In the recursion δ^(l) = (δ^(l+1) W^(l+1)ᵀ) ⊙ g(z^(l)), what is g?",
        wrong("the inverse activation f⁻¹",
              "Seed 002's typo: the chain rule through a = f(z) needs ∂a/∂z = f′(z), and the "
              "inverse function appears nowhere; for the sigmoid the seed's own a ∘ (1 − a) is "
              "f′."),
        right("the derivative f′ of the activation",
              "Chain rule through a = f(z): ∂a/∂z = f′(z). Seed 002 writes f⁻¹, a typo: for "
              "the sigmoid its own right-hand side a ∘ (1 − a) is f′, not the inverse function."),
        wrong("the activation f itself",
              "f(z) is the forward value a, not the slope; for a ReLU it would multiply the "
              "error by z where z > 0 instead of passing it through."),
        wrong("the identity",
              "Only a layer without activation has f′ = 1; in general each activation's slope "
              "scales the error on its way back."),
    ),
    Question(
        "A gradient check compares your backward pass with central differences in float64. "
        "Which relative error signals a bug?",
        wrong("1e-10",
              "That is how closely a correct gradient agrees with central differences in "
              "float64: rounding plus the O(h²) truncation error."),
        wrong("1e-8",
              "Still the agreement expected from a correct gradient with h around 1e-6; a bug "
              "shows up orders of magnitude larger."),
        right("1e-2",
              "Central differences with h ≈ 1e-6 agree with a correct gradient to about 1e-8 or "
              "better; errors around 1e-2 or larger mean the backward pass is wrong."),
        wrong("0",
              "Exact agreement is possible (a central difference is exact for a function that "
              "is quadratic in the weight) and certainly no sign of a wrong backward pass."),
    ),
    Question(
        "With weight decay the objective is J = L + (λ/2)‖W‖². What is one gradient-descent "
        "step with learning rate α?",
        wrong("W ← W − α∇L − λW",
              "Seed 004's form: the decay term has lost its learning rate. ∇J = ∇L + λW, and "
              "all of it is multiplied by α."),
        right("W ← (1 − αλ)W − α∇L",
              "∇J = ∇L + λW, so W − α(∇L + λW) = (1 − αλ)W − α∇L. Seed 004 prints the first "
              "form, without the α in front of λW."),
        wrong("W ← W − α(∇L + 2λW)",
              "The 2 belongs to λ‖W‖²; the ½ in (λ/2)‖W‖² is there to cancel it: "
              "∇(λ/2)‖W‖² = λW."),
        wrong("W ← (1 − λ)W − ∇L",
              "The learning rate is missing from both terms; the step is α times the whole "
              "gradient ∇L + λW."),
    ),
    Question(
        "Your training loop reshuffles the data each epoch with rng.permutation and walks it in "
        "batches of 32; the training set has 1,169 rows. How many steps per epoch?",
        wrong("36",
              "36·32 = 1,152 leaves 17 rows unused; walking the permutation to its end takes "
              "them as a last, smaller batch."),
        right("37",
              "36 full batches cover 1,152 rows; the remaining 17 form a 37th, smaller batch."),
        wrong("32",
              "32 is the batch size, the rows per step; the number of steps is 1,169 / 32 "
              "≈ 36.5, rounded up."),
        wrong("1,169",
              "One step per row is plain SGD (batches of 1); with batches of 32 each step uses "
              "32 rows at once."),
    ),
]
