"""Self-check quiz of chapter 13, recurrent networks."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "In backpropagation through time, which errors reach the hidden state S_t of step t?",
        wrong("only the error of the final output", ""),
        wrong("only the error of the output at step t", ""),
        right("the error of the output at step t plus the error flowing back from step t + 1",
              "Seed 000 names both sources: the output at time t, and the memory of the next "
              "step. Their sum goes through step t's backward pass; the weight gradients are "
              "summed over all steps because every step uses the same weights."),
        wrong("the error from step t − 1", ""),
    ),
    Question(
        "A tanh RNN has recurrent weights with spectral radius 0.5. Roughly how does the "
        "gradient reaching a state k steps back scale with k?",
        wrong("it stays constant", ""),
        wrong("it grows like k", ""),
        right("it shrinks at least like 0.5^k",
              "Each step back multiplies the error by diag(1 − h²)·Whᵀ; with |tanh'| ≤ 1 and "
              "‖Wh‖ about 0.5 that factor is at most about 0.5, so the gradient vanishes "
              "geometrically."),
        wrong("it shrinks like 1/k", ""),
    ),
    Question(
        "Along which path can an LSTM carry error far back in time almost undamped?",
        wrong("through the output gate", ""),
        right("along the cell state, multiplied only by the forget gates",
              "∂c_t/∂c_{t−1} = f_t: with forget gates near 1 the cell passes the error back "
              "nearly unchanged, which is why forget-gate biases are often initialised positive."),
        wrong("through the hidden state h and Wh", ""),
        wrong("through the input gate", ""),
    ),
    Question(
        "Seed 000 writes the GRU update as h_t = (1 − z_t)·h_{t−1} + z_t·h̃_t. What does "
        "torch.nn.GRUCell compute with its z?",
        wrong("the same formula", ""),
        right("h_t = (1 − z_t)·h̃_t + z_t·h_{t−1}: z weights the old state",
              "torch swaps the roles of z and 1 − z. Since σ(−a) = 1 − σ(a), negating the "
              "update-gate weights maps one convention onto the other; the two also differ in "
              "where the reset gate multiplies."),
        wrong("h_t = z_t·h̃_t", ""),
        wrong("h_t = h̃_t, with no update gate", ""),
    ),
    Question(
        "Gradient clipping by norm rescales the gradients when their joint norm exceeds "
        "max_norm. What does it preserve?",
        wrong("every entry's sign and size", ""),
        right("the direction of the joint gradient",
              "All gradients are multiplied by one factor max_norm / ‖g‖, so the update points "
              "the same way, only shorter. Clipping each entry by value would change the "
              "direction."),
        wrong("the norm of each parameter's gradient", ""),
        wrong("nothing: it sets large entries to max_norm", ""),
    ),
]
