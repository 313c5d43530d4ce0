"""Self-check quiz of chapter 11, convolution arithmetic."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "A 32×32 image goes through a 5×5 convolution with stride 1 and no padding. How large is "
        "the feature map?",
        wrong("32×32", ""),
        right("28×28", "(W − F + 2P)/S + 1 = (32 − 5 + 0)/1 + 1 = 28."),
        wrong("27×27", ""),
        wrong("6×6", ""),
    ),
    Question(
        "Which padding keeps a 3×3 convolution with stride 1 from shrinking the image?",
        wrong("P = 0", ""),
        right("P = 1",
              "With S = 1 the output is W − F + 2P + 1; it equals W when P = (F − 1)/2 = 1."),
        wrong("P = 2", ""),
        wrong("P = 3", ""),
    ),
    Question(
        "A conv layer maps 16 channels to 32 with 3×3 kernels and biases. How many parameters "
        "does it have?",
        wrong("4,608", ""),
        right("4,640",
              "(C_in·KH·KW + 1)·C_out = (16·9 + 1)·32 = 4,640; weight sharing makes the count "
              "independent of the image size."),
        wrong("4,624", ""),
        wrong("it depends on the image size", ""),
    ),
    Question(
        "In the backward pass of y = conv2d(x, w), how is the gradient with respect to x "
        "computed?",
        wrong("a valid convolution of dout with w", ""),
        right("a full convolution of dout with w rotated by 180°",
              "Pixel x[a, b] fed every output whose window covered it, with weight w[a − i, b − "
              "j]: running i, j forwards runs the kernel backwards, so the kernel appears "
              "rotated by 180° (seed 004). With stride S, dout is first spread out with S − 1 "
              "zeros."),
        wrong("a max over each window of dout", ""),
        wrong("dout times the mean of w", ""),
    ),
    Question(
        "A 2×2 max-pooling window holds (1, 5, 3, 5) and its upstream gradient is 2. What does "
        "the backward pass give to the four elements (torch's rule)?",
        right("(0, 2, 0, 0)",
              "Only the winner moved the output, so it gets the whole gradient; on a tie torch "
              "picks the first maximum, so the other 5 gets nothing."),
        wrong("(0, 1, 0, 1)", ""),
        wrong("(0.5, 0.5, 0.5, 0.5)", ""),
        wrong("(0, 2, 0, 2)", ""),
    ),
    Question(
        "Deep-learning libraries call it convolution, but what do conv2d layers compute?",
        wrong("true convolution, the kernel flipped", ""),
        right("cross-correlation, the kernel not flipped",
              "They slide the kernel as it is: A[i, j] = Σ K[m, n]·X[i + m, j + n]. For a "
              "learned kernel the difference does not matter; it just learns the flipped "
              "weights."),
        wrong("a Fourier transform", ""),
        wrong("a matrix product with the transposed image", ""),
    ),
]
