"""Self-check quiz of chapter 11, convolution arithmetic."""

from dlcourse.quiz import Question

QUESTIONS = [
    Question(
        "A 32×32 image goes through a 5×5 convolution with stride 1 and no padding. How large "
        "is the feature map?",
        ("32×32", "28×28", "27×27", "6×6"),
        1,
        "(W − F + 2P)/S + 1 = (32 − 5 + 0)/1 + 1 = 28.",
    ),
    Question(
        "Which padding keeps a 3×3 convolution with stride 1 from shrinking the image?",
        ("P = 0", "P = 1", "P = 2", "P = 3"),
        1,
        "With S = 1 the output is W − F + 2P + 1; it equals W when P = (F − 1)/2 = 1.",
    ),
    Question(
        "A conv layer maps 16 channels to 32 with 3×3 kernels and biases. How many "
        "parameters does it have?",
        ("4,608", "4,640", "4,624", "it depends on the image size"),
        1,
        "(C_in·KH·KW + 1)·C_out = (16·9 + 1)·32 = 4,640; weight sharing makes the count "
        "independent of the image size.",
    ),
    Question(
        "In the backward pass of y = conv2d(x, w), how is the gradient with respect to x "
        "computed?",
        ("a valid convolution of dout with w",
         "a full convolution of dout with w rotated by 180°",
         "a max over each window of dout", "dout times the mean of w"),
        1,
        "Pixel x[a, b] fed every output whose window covered it, with weight w[a − i, b − j]: "
        "running i, j forwards runs the kernel backwards, so the kernel appears rotated by 180° "
        "(seed 004). With stride S, dout is first spread out with S − 1 zeros.",
    ),
    Question(
        "A 2×2 max-pooling window holds (1, 5, 3, 5) and its upstream gradient is 2. What "
        "does the backward pass give to the four elements (torch's rule)?",
        ("(0, 2, 0, 0)", "(0, 1, 0, 1)", "(0.5, 0.5, 0.5, 0.5)", "(0, 2, 0, 2)"),
        0,
        "Only the winner moved the output, so it gets the whole gradient; on a tie torch picks "
        "the first maximum, so the other 5 gets nothing.",
    ),
    Question(
        "Deep-learning libraries call it convolution, but what do conv2d layers compute?",
        ("true convolution, the kernel flipped", "cross-correlation, the kernel not flipped",
         "a Fourier transform", "a matrix product with the transposed image"),
        1,
        "They slide the kernel as it is: A[i, j] = Σ K[m, n]·X[i + m, j + n]. For a learned "
        "kernel the difference does not matter; it just learns the flipped weights.",
    ),
]
