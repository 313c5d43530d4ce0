"""Self-check quiz of chapter 16, common problems in practice."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Where does a SMOTE sample of the minority class lie?",
        wrong("exactly on a minority point", ""),
        wrong("anywhere inside the minority class's bounding box", ""),
        right("on the segment between a minority point and one of its k nearest minority "
              "neighbours",
              "x_new = x + u·(x_nn − x) with u ~ U(0, 1): a new point between two nearby "
              "minority points, not a copy (random oversampling copies)."),
        wrong("between a minority point and the nearest majority point", ""),
    ),
    Question(
        "Seed 000's argument for vanishing gradients in deep sigmoid nets rests on which fact?",
        wrong("σ(z) ≤ 1", ""),
        right("σ'(z) ≤ 1/4, so |σ'(z)·w| ≤ 1/4 when |w| ≤ 1",
              "Each layer contributes a factor σ'(z)·w to the chain rule; at most 1/4 per "
              "layer, the gradient reaching the first layer shrinks geometrically with depth. "
              "ReLU's derivative is 1 where it is active."),
        wrong("the loss is convex", ""),
        wrong("the learning rate is small", ""),
    ),
    Question(
        "You picked a hyperparameter by its score on the test set. What is wrong?",
        wrong("nothing, as long as you train on the training set", ""),
        right("the test score is now an optimistic estimate: the test set was used for a choice",
              "Seed 002: hyperparameters are chosen on validation data (or by K-fold "
              "cross-validation); the test set is looked at once, at the end."),
        wrong("the test set is too small", ""),
        wrong("you should have used the training score", ""),
    ),
    Question(
        "Only one of two hyperparameters matters. With a budget of 25 trials, why does random "
        "search usually beat a 5 × 5 grid?",
        wrong("random search trains longer", ""),
        right("the grid tries only 5 values of the one that matters, random search tries 25",
              "Bergstra and Bengio (2012): a grid wastes its budget repeating the same values "
              "of the important hyperparameter."),
        wrong("grids cannot handle two hyperparameters", ""),
        wrong("random search uses the gradient", ""),
    ),
    Question(
        "In data-parallel training with P workers and equal shares of a batch, what makes every "
        "worker take the same step as one process on the whole batch?",
        wrong("each worker uses 1/P of the learning rate", ""),
        right("all-reducing the gradients (sum) and dividing by P",
              "With a mean loss, the whole batch's gradient is the average of the shares' "
              "gradients; an all-reduce gives every worker that average, so the copies stay "
              "equal."),
        wrong("sending the weights to a parameter server after every epoch", ""),
        wrong("nothing: the workers drift apart and are averaged at the end", ""),
    ),
    Question(
        "Why save model.state_dict() rather than list(model.parameters())?",
        wrong("it is smaller", ""),
        right("it also holds buffers such as batch norm's running statistics",
              "Buffers are not parameters but change what the model computes in eval mode; the "
              "state dict keeps both, by name. It holds no code: you rebuild the architecture "
              "and load the numbers into it."),
        wrong("parameters cannot be saved", ""),
        wrong("it stores the Python code of the model", ""),
    ),
]
