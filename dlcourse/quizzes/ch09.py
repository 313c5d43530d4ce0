"""Self-check quiz of chapter 09, regularization."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Training loss keeps falling while validation loss has been rising for 50 epochs. What "
        "is happening?",
        wrong("underfitting: the model is too small", ""),
        right("overfitting: the model memorizes the training data, noise included",
              "A widening gap between training and validation loss is the signature of "
              "overfitting (high variance); regularization, more data or stopping earlier help."),
        wrong("the learning rate is too small", ""),
        wrong("the validation set is too large", ""),
    ),
    Question(
        "With learning rate ε = 0.1 and L2 strength α = 0.01, by what factor does one "
        "weight-decay step shrink the weights before the gradient step?",
        wrong("0.99", ""),
        right("0.999",
              "w ← (1 − εα)w − ε∇J: 1 − 0.1·0.01 = 0.999. Seed 004's printed update, which "
              "leaves out the learning rate, would give 0.99."),
        wrong("0.9", ""),
        wrong("1.001", ""),
    ),
    Question(
        "Which penalty tends to set weights exactly to zero?",
        wrong("L2, α/2·‖w‖²", ""),
        right("L1, α·‖w‖₁",
              "L1's constant pull α·sign(w) (with proximal steps: soft-thresholding) drives "
              "small weights to exactly 0; L2's pull αw weakens as w shrinks and never reaches "
              "0."),
        wrong("both equally", ""),
        wrong("neither", ""),
    ),
    Question(
        "Inverted dropout with p = 0.2 (drop probability). A kept unit's output in training is x "
        "times what?",
        wrong("0.8", ""),
        right("1.25",
              "Kept units are divided by the keep probability 1 − p = 0.8, i.e. multiplied by "
              "1.25, so the expected output stays x and evaluation mode is the identity."),
        wrong("5", ""),
        wrong("1, and 0.8 at test time", ""),
    ),
    Question(
        "Early stopping with patience 5: the best validation loss was at epoch 12. When does "
        "training stop, and which weights does it keep?",
        wrong("at epoch 12, the last ones", ""),
        wrong("at epoch 17, the weights of epoch 17", ""),
        right("at epoch 17, the saved weights of epoch 12",
              "Epochs 13-17 are five checks without improvement; then restore() copies back the "
              "weights saved (as copies) at epoch 12."),
        wrong("never: patience only delays it", ""),
    ),
    Question(
        "Label smoothing with k = 4 classes and ε = 0.2: what is the target of the right class?",
        wrong("0.8", ""),
        right("0.85",
              "1 − (k − 1)ε/k = 1 − 3·0.05 = 0.85, and each wrong class gets ε/k = 0.05: the "
              "seed's and torch's convention."),
        wrong("0.95", ""),
        wrong("1.0", ""),
    ),
]
