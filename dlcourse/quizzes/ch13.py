"""Self-check quiz of chapter 13, recurrent networks."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "In backpropagation through time, which errors reach the hidden state S_t of step t?",
        wrong("only the error of the final output, at the last step",
              "Here every step has an output and an error; keeping only the last one drops "
              "the direct error of step t (and of every step after it but the last)."),
        wrong("only the error of the output at step t",
              "S_t also feeds S_{t+1}, so the later errors flow back into it through the "
              "recurrence: that path is what 'through time' means."),
        right("step t's output error plus the error coming back from step t + 1",
              "Seed 000 names both sources: the output at time t, and the memory of the next "
              "step. Their sum goes through step t's backward pass; the weight gradients are "
              "summed over all steps because every step uses the same weights."),
        wrong("the error flowing forward from step t − 1",
              "Errors flow backwards in time: S_t influences steps t, t + 1, ..., never "
              "t − 1."),
    ),
    Question(
        "A tanh RNN's recurrent weight matrix has spectral norm (largest singular value) "
        "‖Wh‖₂ = 0.5. How does the size of the gradient reaching a state k steps back scale "
        "with k?",
        wrong("it stays constant",
              "That would need a per-step factor of exactly 1; here every step back multiplies "
              "by a matrix of norm at most 0.5."),
        wrong("it grows like k",
              "Growth (exploding gradients) needs per-step factors above 1; ‖Wh‖₂ = 0.5 and "
              "|tanh′| ≤ 1 rule it out."),
        right("it shrinks at least like 0.5^k",
              "Each step back multiplies the error by Whᵀ·diag(1 − h²), whose norm is at most "
              "‖Wh‖₂·max|tanh′| ≤ 0.5, so k steps give at most 0.5^k: the gradient vanishes "
              "geometrically. It is the norm that bounds every single step; the spectral "
              "radius ρ (largest |eigenvalue|) is only a lower bound of the norm. ρ(Wh) = 0.5 "
              "alone would not do: a non-normal Wh such as [[0.5, 10], [0, 0.5]] has ρ = 0.5 "
              "yet stretches some vectors more than tenfold in one step."),
        wrong("it shrinks like 1/k",
              "A product of k factors of at most 0.5 falls geometrically, much faster than "
              "1/k."),
    ),
    Question(
        "Along which path can an LSTM carry error far back in time almost undamped?",
        wrong("through the output gate",
              "The output gate decides what the cell shows as h_t; error through it then passes "
              "the recurrent weights and a squashing function, like a plain RNN's."),
        right("along the cell state, scaled by the forget gates",
              "∂c_t/∂c_{t−1} = f_t: with forget gates near 1 the cell passes the error back "
              "nearly unchanged, which is why forget-gate biases are often initialised "
              "positive."),
        wrong("through the hidden state h and the recurrent weights Wh",
              "That is the plain RNN's path, multiplied by Wh and tanh′ at every step: the "
              "path where gradients vanish."),
        wrong("through the input gate",
              "The input gate decides what is written into the cell; the long path is the cell "
              "state itself, scaled only by f_t."),
    ),
    Question(
        "Seed 000 writes the GRU update as h_t = (1 − z_t)·h_{t−1} + z_t·h̃_t. What does "
        "torch.nn.GRUCell compute with its z?",
        wrong("the same formula: z weights the new candidate h̃_t",
              "torch documents h′ = (1 − z)·n + z·h: its z keeps the old state, where the "
              "seed's z takes the new one."),
        right("(1 − z_t)·h̃_t + z_t·h_{t−1}: z keeps the old state",
              "torch swaps the roles of z and 1 − z. Since σ(−a) = 1 − σ(a), negating the "
              "update-gate weights maps one convention onto the other; the two also differ in "
              "where the reset gate multiplies."),
        wrong("h_t = z_t·h̃_t",
              "Both conventions mix the old and the new state; without a term in h_{t−1} the "
              "cell would forget everything at every step."),
        wrong("h_t = h̃_t, with no update gate",
              "GRUCell has an update gate (the middle third of its weight matrices); without "
              "it, it would be a plain RNN with a reset gate."),
    ),
    Question(
        "Gradient clipping by norm rescales the gradients when their joint norm exceeds "
        "max_norm. What does it preserve?",
        wrong("every entry's sign and size",
              "The signs stay, but every entry is multiplied by max_norm/‖g‖ < 1, so the sizes "
              "shrink."),
        right("the direction of the joint gradient",
              "All gradients are multiplied by one factor max_norm / ‖g‖, so the update points "
              "the same way, only shorter. Clipping each entry by value would change the "
              "direction."),
        wrong("the norm of each parameter's gradient",
              "Each parameter's gradient is scaled by the same factor, so its norm changes; "
              "only the ratios between them are kept."),
        wrong("nothing: it sets large entries to max_norm",
              "That is clipping by value (clip_grad_value_), which changes the direction; "
              "clipping by norm rescales everything by one factor."),
    ),
    Question(
        "Seed 000's quiz: which of these is not a deep neural network architecture?",
        wrong("CNN",
              "A convolutional network stacks convolution, pooling and dense layers: a deep "
              "architecture (chapter 12)."),
        wrong("RNN",
              "A recurrent network unrolled over T steps is a T-layer network that shares its "
              "weights: deep in time (this chapter)."),
        wrong("LSTM",
              "An LSTM is a recurrent network whose cell has gates and a memory, one of this "
              "chapter's deep architectures."),
        right("logistic regression",
              "Logistic regression is one sigmoid neuron, σ(w·x + b): a linear model with no "
              "hidden layer. It is a building block of networks, not a deep network."),
    ),
    Question(
        "torch.nn.RNN(D, H) returns out and h_n for xs of shape (T, N, D). What does a "
        "many-to-one classifier read out?",
        right("h_n[0], the last state, equal to out[-1], of shape (N, H), through a Linear(H, K)",
              "Many-to-one reads out the state after the whole sequence; h_n holds it (one per "
              "layer: h_n[0]), and it is also the last row of out."),
        wrong("out, of shape (T, N, H), through a Linear(H, K)",
              "Reading out every state gives one output per step: that is many-to-many."),
        wrong("out[0], the first state",
              "The first state has seen only x_1; the answer about the whole sequence comes "
              "from the last."),
        wrong("h_n itself, (1, N, H), as the class scores",
              "h_n has H entries per sequence, not K scores, and a leading axis per layer: it "
              "still needs the read-out."),
    ),
    Question(
        "Translating a 7-word sentence into a 9-word one is which type of recurrent network?",
        right("encoder-decoder: a sequence in, a sequence of another length out",
              "One RNN reads the 7 words, and its last state starts a second RNN that writes "
              "the 9."),
        wrong("many-to-many with one output per input",
              "That makes exactly 7 outputs, one per input word; a translation need not have "
              "the same length."),
        wrong("many-to-one",
              "One output for the whole sequence, like a sentiment; a translation is a whole "
              "sequence."),
        wrong("one-to-many",
              "One input, many outputs, like a caption for an image; here the input is a "
              "sequence too."),
    ),
    Question(
        "A one-to-many network reads x at the first step only. What drives its later outputs?",
        right("its state, which carries x forward through W_h",
              "After the first step it runs on its memory: h_t = tanh(h_{t−1} W_h + b), read "
              "out at every step."),
        wrong("nothing: the outputs after the first are zero",
              "The inputs are zero, not the state: the state keeps changing through W_h, and "
              "so do the outputs."),
        wrong("x again at every step",
              "That is another design (repeating the input); the chapter's one-to-many feeds "
              "zeros after the first step."),
        wrong("a second network that generates the inputs",
              "No second network is needed; a text generator feeds back its own previous "
              "output, still one network."),
    ),
]
