"""Plausible mistakes for chapter 00's warm-up exercise."""

VARIANTS = {
    "00.accuracy": [
        ("counts instead of averaging",
         "def accuracy(y_true, y_pred):\n    return float(np.sum(y_true == y_pred))\n"),
        ("the error rate", "def accuracy(y_true, y_pred):\n    return float(np.mean(y_true != y_pred))\n"),
        ("returns the comparisons", "def accuracy(y_true, y_pred):\n    return y_true == y_pred\n"),
        ("divides by the number of classes",
         "def accuracy(y_true, y_pred):\n"
         "    return float(np.sum(y_true == y_pred) / len(np.unique(y_true)))\n"),
        ("off by one in the denominator",
         "def accuracy(y_true, y_pred):\n"
         "    return float(np.sum(y_true == y_pred) / (len(y_true) - 1))\n"),
    ],
}
