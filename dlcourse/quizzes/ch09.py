"""Self-check quiz of chapter 09, regularization."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "Training loss keeps falling while validation loss has been rising for 50 epochs. "
        "What is happening?",
        wrong("underfitting: the model is too small for the data",
              "An underfitting model has a high training loss too; here the training loss "
              "keeps falling: the model fits its training data all too well."),
        right("overfitting: the model memorizes the training data, noise included",
              "A widening gap between training and validation loss is the signature of "
              "overfitting (high variance); regularization, more data or stopping earlier help."),
        wrong("the learning rate is too small to make progress",
              "A small learning rate slows both curves down; it does not make the validation "
              "loss rise while the training loss falls."),
        wrong("the validation set is too large to be fitted",
              "A larger validation set only makes its loss a more precise estimate; it cannot "
              "make the model worse on it."),
    ),
    Question(
        "With learning rate ε = 0.1 and L2 strength α = 0.01, by what factor does one weight-decay "
        "step shrink the weights before the gradient step?",
        wrong("0.99",
              "1 − α = 0.99 is what seed 004's printed update gives, with the learning rate "
              "left out of the decay term."),
        right("0.999",
              "w ← (1 − εα)w − ε∇J: 1 − 0.1·0.01 = 0.999. Seed 004's printed update, which "
              "leaves out the learning rate, would give 0.99."),
        wrong("0.9",
              "1 − ε = 0.9 uses the learning rate but forgets the strength α: the factor is "
              "1 − εα."),
        wrong("1.001",
              "Weight decay shrinks the weights: 1 − εα is below 1. A factor above 1 would "
              "make them grow."),
    ),
    Question(
        "Which penalty tends to set weights exactly to zero?",
        wrong("L2, α/2·‖w‖²",
              "L2's pull αw weakens as w shrinks: the weight decays towards 0 geometrically "
              "but never reaches it."),
        right("L1, α·‖w‖₁",
              "L1's constant pull α·sign(w) (with proximal steps: soft-thresholding) drives "
              "small weights to exactly 0; L2's pull αw weakens as w shrinks and never reaches "
              "0."),
        wrong("both, equally",
              "They differ near 0: L1 pulls with the constant force α and gets there; L2's "
              "force vanishes with w."),
        wrong("neither; only dropout removes weights",
              "L1 does: with soft-thresholding, a weight whose loss gradient is weaker than α "
              "ends at exactly 0. Dropout zeroes activations for one step, not weights."),
    ),
    Question(
        "Inverted dropout with p = 0.2 (drop probability). A kept unit's output in training is "
        "x times what?",
        wrong("0.8",
              "Multiplying by the keep probability is classic dropout's test-time scaling; "
              "inverted dropout divides by it in training instead."),
        right("1.25",
              "Kept units are divided by the keep probability 1 − p = 0.8, i.e. multiplied by "
              "1.25, so the expected output stays x and evaluation mode is the identity."),
        wrong("5",
              "5 = 1/p divides by the drop probability; kept units are scaled by 1/(1 − p) = "
              "1/0.8."),
        wrong("1 in training, and 0.8 at test time",
              "That is classic (non-inverted) dropout; inverted dropout does the scaling in "
              "training so that evaluation is the identity."),
    ),
    Question(
        "Early stopping with patience 5: the best validation loss was at epoch 12. When does "
        "training stop, and which weights does it keep?",
        wrong("at epoch 12, with the weights of epoch 12",
              "At epoch 12 nobody knows yet that it is the best; training goes on until the "
              "patience runs out."),
        wrong("at epoch 17, with the weights of epoch 17",
              "Those are five epochs past the best and likely more overfitted; early stopping "
              "restores the best weights."),
        right("at epoch 17, with the saved weights of epoch 12",
              "Epochs 13-17 are five checks without improvement; then restore() copies back "
              "the weights saved (as copies) at epoch 12."),
        wrong("never: patience only delays the next check",
              "Patience counts epochs without improvement; after 5 of them training stops."),
    ),
    Question(
        "Label smoothing with k = 4 classes and ε = 0.2: what is the target of the right class?",
        wrong("0.8",
              "1 − ε takes all of ε away, but ε is spread over all k classes, the right one "
              "included, which gets ε/k back: 1 − ε + ε/k."),
        right("0.85",
              "1 − (k − 1)ε/k = 1 − 3·0.05 = 0.85, and each wrong class gets ε/k = 0.05: the "
              "seed's and torch's convention."),
        wrong("0.95",
              "1 − ε/k = 0.95 takes away one class's share only; the three wrong classes get "
              "ε/k = 0.05 each."),
        wrong("1.0",
              "1.0 is the one-hot target without smoothing; with ε = 0.2 some mass moves to "
              "the wrong classes."),
    ),
    Question(
        "Seed 000 lists remedies for overfitting. Which of these reduce it?",
        right("data augmentation", "More varied training data (shifts, noise) that the model "
                                   "cannot simply memorize."),
        right("L2 or L1 regularization", "A penalty on the weights limits how sharply the "
                                         "model can fit noise."),
        right("early stopping", "It stops before the model spends its epochs fitting noise, "
                                "and keeps the best validation weights."),
        right("dropout", "Random units are dropped in training, so no unit can rely on "
                         "particular others: a cheap ensemble."),
        wrong("training for more epochs",
              "Past the best validation epoch, more training fits the noise further: it "
              "makes overfitting worse."),
        wrong("a wider network with more parameters",
              "More capacity makes memorizing easier; without more data or regularization it "
              "overfits more, not less."),
        multi=True,
    ),
    Question(
        "Seed 002's model puts Dropout(keep=0.8) on its inputs (TensorLayer). What is the same "
        "layer in PyTorch?",
        right("nn.Dropout(p=0.2)",
              "keep is the probability of keeping a unit; torch's p is the probability of "
              "dropping it: p = 1 − 0.8 = 0.2, the rate recommended for inputs."),
        wrong("nn.Dropout(p=0.8)",
              "That would drop 80 % of the pixels: torch's p is the drop probability, the "
              "complement of TensorLayer's keep."),
        wrong("nn.Dropout(p=0.5)",
              "0.5 is the usual rate for hidden units; the layer in question keeps 80 %, so it "
              "drops 20 %."),
        wrong("nn.Dropout(p=0.2) followed by a multiplication by 0.8",
              "torch's dropout is inverted: it already scales the kept units by 1/(1 − p) in "
              "training, and nothing is multiplied at test time."),
    ),
    Question(
        "Why are inputs dropped with a smaller rate (about 0.2) than hidden units (about 0.5)?",
        right("a dropped pixel's information is gone for every layer above, while other hidden "
              "units usually carry what a dropped one computed",
              "Hidden layers have many, partly redundant units (dropout trains them to be); "
              "an input has no copy. In the chapter, input p = 0.5 left the net unable to fit "
              "its training digits."),
        wrong("inputs outnumber hidden units",
              "In the chapter's network 64 inputs feed 128 hidden units; the argument is about "
              "what is lost, not how many units there are."),
        wrong("the input layer has no weights to regularize",
              "Dropout drops values, not weights; dropping inputs perturbs what the first "
              "layer's weights see, which does regularize them."),
        wrong("dropout on the inputs is not rescaled by 1/(1 − p)",
              "Inverted dropout rescales wherever it is applied; the rescaling keeps the "
              "expected input the same in both cases."),
    ),
    Question(
        "Max-norm with c = 3 after a step: one unit's incoming weights have norm 5, another's "
        "norm 2. What does the projection do?",
        right("scales the first by 3/5, to norm 3, and leaves the second alone",
              "It projects onto the ball ‖w‖ ≤ 3: vectors inside stay, longer ones are scaled "
              "back to its surface, each unit on its own."),
        wrong("scales both to norm 3",
              "That normalizes every unit to length c; max-norm only caps the length, it never "
              "lengthens a short vector."),
        wrong("divides both by 5, the largest norm, and multiplies by 3",
              "The norm is taken per unit: the second unit, already inside the ball, is not "
              "touched."),
        wrong("clips every weight to [−3, 3]",
              "That bounds the entries, not the length of the vector: a vector of 64 weights "
              "of size 3 has norm 24."),
    ),
]
