"""Self-check quiz of chapter 11, convolution arithmetic."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "A 32×32 image goes through a 5×5 convolution with stride 1 and no padding. How large "
        "is the feature map?",
        wrong("32×32",
              "A 5×5 kernel keeps the size only with padding (5 − 1)/2 = 2; without it the "
              "window fits in 32 − 5 + 1 = 28 positions per axis."),
        right("28×28",
              "(W − F + 2P)/S + 1 = (32 − 5 + 0)/1 + 1 = 28."),
        wrong("27×27",
              "32 − 5 = 27 forgets the +1: the window's first position counts too."),
        wrong("6×6",
              "32/5 ≈ 6 counts windows that do not overlap (stride 5); with stride 1 they "
              "overlap."),
    ),
    Question(
        "Which padding keeps a 3×3 convolution with stride 1 from shrinking the image?",
        wrong("P = 0",
              "Without padding a 3×3 kernel loses one pixel on each side: W − 2."),
        right("P = 1",
              "With S = 1 the output is W − F + 2P + 1; it equals W when P = (F − 1)/2 = 1."),
        wrong("P = 2",
              "P = 2 makes the output larger than the input: W − 3 + 4 + 1 = W + 2."),
        wrong("P = 3",
              "P = 3 makes the output W − 3 + 6 + 1 = W + 4."),
    ),
    Question(
        "A conv layer maps 16 channels to 32 with 3×3 kernels and biases. How many "
        "parameters does it have?",
        wrong("4,608",
              "16·9·32 = 4,608 counts the weights, but each of the 32 filters also has a "
              "bias."),
        right("4,640",
              "(C_in·KH·KW + 1)·C_out = (16·9 + 1)·32 = 4,640; weight sharing makes the count "
              "independent of the image size."),
        wrong("4,624",
              "4,608 + 16 gives a bias to each input channel; biases belong to the 32 output "
              "channels, one per filter."),
        wrong("it depends on the image size",
              "The same weights slide over every position, so the count depends only on the "
              "channels and the kernel size."),
    ),
    Question(
        "In the backward pass of y = conv2d(x, w), how is the gradient with respect to x "
        "computed?",
        wrong("a valid convolution of dout with w",
              "A valid correlation would give something smaller than dout, but dx must have "
              "x's larger size: it takes full padding, and the kernel rotated by 180°."),
        right("a full convolution of dout with w rotated by 180°",
              "Pixel x[a, b] fed every output whose window covered it, with weight "
              "w[a − i, b − j]: running i, j forwards runs the kernel backwards, so the kernel "
              "appears rotated by 180° (seed 004). With stride S, dout is first spread out with "
              "S − 1 zeros."),
        wrong("a max over each window of dout",
              "A max belongs to max pooling's forward pass; convolution is linear, so its "
              "backward pass is a linear map of dout."),
        wrong("dout times the mean of w",
              "Each pixel gets a weighted sum of the gradients of the outputs it fed, with a "
              "different weight for each, not one mean."),
    ),
    Question(
        "A 2×2 max-pooling window holds (1, 5, 3, 5) and its upstream gradient is 2. What "
        "does the backward pass give to the four elements (torch's rule)?",
        right("(0, 2, 0, 0)",
              "Only the winner moved the output, so it gets the whole gradient; on a tie torch "
              "picks the first maximum, so the other 5 gets nothing."),
        wrong("(0, 1, 0, 1)",
              "Splitting the gradient between tied maxima is a possible convention (the total "
              "stays 2), but torch gives all of it to the first maximum."),
        wrong("(0.5, 0.5, 0.5, 0.5)",
              "Spreading it evenly is average pooling's backward pass; max pooling sends it to "
              "the maximum."),
        wrong("(0, 2, 0, 2)",
              "Giving 2 to both tied entries doubles the gradient: the output is one entry, "
              "and a unit change of it moves the output by 1, not by 2."),
    ),
    Question(
        "Deep-learning libraries call it convolution, but what do conv2d layers compute?",
        wrong("true convolution, the kernel flipped",
              "Mathematical convolution flips the kernel; conv2d does not. The flip shows up in "
              "its backward pass (the rot180)."),
        right("cross-correlation, the kernel not flipped",
              "They slide the kernel as it is: A[i, j] = Σ K[m, n]·X[i + m, j + n]. For a "
              "learned kernel the difference does not matter; it just learns the flipped "
              "weights."),
        wrong("a Fourier transform of the image",
              "A library may use FFTs to speed up large kernels, but the result is the same "
              "sliding sum; conv2d never returns a spectrum."),
        wrong("a matrix product with the transposed image",
              "im2col does turn it into one matrix product, but of the unrolled windows with "
              "the flattened kernels, not with a transposed image."),
    ),
    Question(
        "Which of these change the height and width of a convolution's output?",
        right("the kernel size", "A larger F leaves fewer positions: (W − F + 2P)/S + 1."),
        right("the padding", "Each ring of padding adds 2 to the size the kernel slides over."),
        right("the stride", "Stride S divides the number of positions by about S."),
        right("the dilation", "Dilation d spreads the kernel over d·(F − 1) + 1 pixels, which "
                              "acts like a larger F."),
        wrong("the number of filters",
              "Each filter makes one output channel: it sets the output's depth, not its "
              "height and width."),
        wrong("the number of input channels",
              "Every filter sums over all input channels, whatever their number; it changes "
              "the parameter count, not the output size."),
        multi=True,
    ),
    Question(
        "A locally connected layer maps a 32×32×3 image to 28×28 positions with 16 filters of "
        "5×5 at every position, each with a bias. A convolution with the same settings has "
        "(5·5·3 + 1)·16 = 1,216 parameters. How many does the locally connected layer have?",
        wrong("1,216",
              "That is the convolution's count: one filter bank shared by every position. "
              "Untied, every one of the 28·28 output positions has a bank of its own."),
        right("953,344",
              "28·28 output positions, each with its own 1,216 weights and biases: "
              "784·1,216 = 953,344, the convolution's count times the number of positions."),
        wrong("1,245,184",
              "That is 1,216 per *input* pixel (32·32); there is one filter bank per output "
              "position, and a 5×5 window fits in 28×28 places."),
        wrong("it depends on the batch size",
              "Parameters belong to the layer, not to the data: the batch size changes how many "
              "images pass through, never the number of weights."),
    ),
    Question(
        "When is a locally connected layer a better choice than a convolution (seed 001 §3.15)?",
        wrong("when the same pattern may appear anywhere in the image",
              "That is the convolution's case: a shared filter detects the pattern wherever it "
              "is, and learns it once."),
        right("when the inputs are aligned so that each region holds its own kind of feature",
              "Aligned faces, with the eyes always at the top and the mouth at the bottom: the "
              "filters of one region need not be those of another, so untying them helps."),
        wrong("when there are few training examples",
              "Untying multiplies the parameters by the number of positions; with few examples "
              "that is the first thing to avoid."),
        wrong("when the images are large",
              "The locally connected layer's parameter count grows with the image, the "
              "convolution's does not: large images favour the convolution."),
    ),
    Question(
        "Which are true of a locally connected layer?",
        right("with the same weights at every position it computes exactly a convolution",
              "Tie the weights (copy one filter bank to every position) and the formula becomes "
              "the convolution's; the chapter checks it against conv2d."),
        right("its parameter count grows with the number of output positions",
              "One filter bank per position: (C_in·K_H·K_W + 1)·C_out·O_H·O_W."),
        wrong("shifting the input shifts its output by the same amount",
              "That translation equivariance comes from weight sharing; a shifted pattern meets "
              "other weights in a locally connected layer (the explorer shows the gap)."),
        wrong("its windows are larger than a convolution's",
              "The windows are the same K_H×K_W patches; only the weights differ from place to "
              "place."),
        multi=True,
    ),
]
