"""Self-check quiz of chapter 16, common problems in practice."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Where does a SMOTE sample of the minority class lie?",
        wrong("exactly on a minority point, as a copy",
              "That is random oversampling, which copies points; SMOTE interpolates between "
              "them."),
        wrong("anywhere inside the minority class's bounding box",
              "Sampling the bounding box could put points deep in majority regions; SMOTE "
              "stays on segments between nearby minority points."),
        right("between a minority point and one of its k nearest minority neighbours",
              "On that segment: x_new = x + u·(x_nn − x) with u ~ U(0, 1), a new point between "
              "two nearby minority points, not a copy (random oversampling copies)."),
        wrong("between a minority point and the nearest majority point",
              "That would blur the boundary between the classes; SMOTE's neighbours are "
              "minority points only."),
    ),
    Question(
        "Seed 000's argument for vanishing gradients in deep sigmoid nets rests on which fact?",
        wrong("σ(z) ≤ 1",
              "The bound on σ's value does not shrink gradients; the chain rule multiplies "
              "derivatives, and σ′ ≤ 1/4 does."),
        right("σ'(z) ≤ 1/4, so |σ'(z)·w| ≤ 1/4 when |w| ≤ 1",
              "Each layer contributes a factor σ'(z)·w to the chain rule; at most 1/4 per layer, "
              "the gradient reaching the first layer shrinks geometrically with depth. ReLU's "
              "derivative is 1 where it is active."),
        wrong("the loss is convex",
              "A deep network's loss is not convex, and convexity says nothing about how the "
              "chain rule's factors multiply up."),
        wrong("the learning rate is small",
              "The learning rate scales every layer's step alike; it cannot make the first "
              "layer's gradient far smaller than the last's."),
    ),
    Question(
        "You picked a hyperparameter by its score on the test set. What is wrong?",
        wrong("nothing, as long as you trained on the training set",
              "Choosing by test score fits the choice to the test set, so its score is biased "
              "upwards."),
        right("the test score is now optimistic: it was used to choose",
              "Seed 002: hyperparameters are chosen on validation data (or by K-fold "
              "cross-validation); the test set is looked at once, at the end."),
        wrong("the test set is too small for choosing",
              "Size is not the problem; even a huge test set gives a biased score once it has "
              "been used to choose."),
        wrong("you should have used the training score",
              "The training score favours the setting that overfits most; choices belong on "
              "validation data."),
    ),
    Question(
        "Only one of two hyperparameters matters. With a budget of 25 trials, why does random "
        "search usually beat a 5 × 5 grid?",
        wrong("random search trains each model longer",
              "Both get 25 trials of the same length; they differ in which values they try."),
        right("the grid tries 5 values of the one that matters, random search 25",
              "Bergstra and Bengio (2012): a grid wastes its budget repeating the same values "
              "of the important hyperparameter, while 25 random trials give it 25 different "
              "values."),
        wrong("grids cannot handle two hyperparameters",
              "They can (5 × 5 is one such grid); they just spend 5 trials on each value of the "
              "one that matters."),
        wrong("random search follows the gradient of the score",
              "Neither takes a gradient with respect to the hyperparameters; random search "
              "just samples them."),
    ),
    Question(
        "In data-parallel training with P workers and equal shares of a batch, what makes "
        "every worker take the same step as one process on the whole batch?",
        wrong("each worker uses 1/P of the learning rate",
              "A smaller rate does not make the workers' gradients equal; without "
              "communication their weights drift apart."),
        right("all-reducing the gradients (sum) and dividing by P",
              "With a mean loss, the whole batch's gradient is the average of the shares' "
              "gradients; an all-reduce gives every worker that average, so the copies stay "
              "equal."),
        wrong("sending the weights to a parameter server after every epoch",
              "Syncing once per epoch lets the copies take different steps in between, unlike "
              "one process on the whole batch."),
        wrong("nothing: the workers drift apart and are averaged at the end",
              "Averaging at the end is a different method; along the way each copy followed "
              "only its share's gradients."),
    ),
    Question(
        "Why save model.state_dict() rather than list(model.parameters())?",
        wrong("it is smaller on disk",
              "If anything it is larger: it holds the buffers as well as the parameters."),
        right("it also holds buffers such as batch norm's running statistics",
              "Buffers are not parameters but change what the model computes in eval mode; the "
              "state dict keeps both, by name."),
        wrong("parameters cannot be saved with torch.save",
              "torch.save saves any tensors; the list's trouble is what it leaves out "
              "(buffers) and that it has no names."),
        wrong("it stores the Python code of the model",
              "A state dict holds tensors by name and no code; you rebuild the architecture "
              "and load the numbers into it."),
    ),
    Question(
        "Seed 000 names remedies for vanishing and exploding gradients. Which of these fight "
        "vanishing gradients?",
        right("ReLU activations", "Its derivative is 1 wherever the unit is active, instead of "
                                  "σ′ ≤ 1/4 per layer."),
        right("LSTM cells", "The cell state carries the error back multiplied only by the "
                            "forget gates (chapter 13)."),
        right("a careful initialization (He, Xavier)", "It keeps each layer's factor near 1 "
                                                       "at the start (chapter 08)."),
        wrong("gradient clipping",
              "Clipping caps gradients that are too large: it is the seed's remedy for "
              "exploding gradients and does nothing for tiny ones."),
        wrong("sigmoid activations in every layer",
              "They cause the problem: each sigmoid layer contributes a factor σ′ ≤ 1/4."),
        multi=True,
    ),
    Question(
        "A residual block computes y = relu(x + F(x)). What do the block's layers, F, learn?",
        right("the residual H(x) − x: how the mapping the block should represent differs from "
              "the identity",
              "The shortcut supplies x; a block that should change little only has to drive F "
              "towards zero (seed 003, He et al. 2015)."),
        wrong("the whole mapping H(x), as in a plain block",
              "That is the plain block, y = relu(F(x)); the shortcut adds x, so F only has to "
              "supply the difference."),
        wrong("a copy of the input x",
              "Copying is the shortcut's job; F is added on top of it."),
        wrong("the gradient of the loss for the layer below",
              "No layer learns gradients; backpropagation computes them. The shortcut only "
              "changes how they flow."),
    ),
    Question(
        "Why does the first layer of the chapter's 32-layer residual net get a gradient of the "
        "same order as its last layer, when the plain net's first layer gets almost nothing?",
        right("each block's Jacobian is D(I + ∂F/∂x): the identity passes the gradient on even "
              "where ∂F/∂x is small",
              "Through plain blocks the gradient is multiplied by small factors D ∂F/∂x again "
              "and again; through residual blocks each factor contains the identity."),
        wrong("the shortcuts make the weights larger",
              "Both nets were built from the same random weights (the chapter asserts it); "
              "only the shortcuts differ."),
        wrong("because ReLU's derivative is 1 where a unit is active",
              "The plain net uses the same ReLUs, and its first-layer gradient vanished all "
              "the same."),
        wrong("because the residual net uses He initialisation",
              "The residual net used torch's default initialisation, the same as the plain "
              "net whose gradient vanished."),
    ),
    Question(
        "What did the chapter's comparison of 32-layer nets show over 10 epochs?",
        right("with torch's default initialisation the plain net did not learn at all",
              "Its loss stayed at ln 10 ≈ 2.303, a uniform guess: almost no gradient reached "
              "its lower layers."),
        right("He initialisation kept the plain net's gradient healthy at the start, yet it "
              "learned far more slowly than the residual net",
              "Healthy gradients at initialisation are not enough: the deep plain stack stays "
              "hard to optimise, He et al.'s degradation problem."),
        wrong("the residual net needed He initialisation to learn",
              "It learned fastest of the three with torch's default initialisation."),
        wrong("the plain and the residual net started from different random weights",
              "They were built after the same seed and had identical weights; only the "
              "shortcuts differed."),
        multi=True,
    ),
]
