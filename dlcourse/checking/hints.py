"""Hints for exceptions that the student's own code raised.

A check that calls student code may get an exception instead of a value: a ValueError from
NumPy about shapes, a TypeError from Python, an error a driver raises on purpose (an input
changed in place, code far too slow). The exception's text says what went wrong in NumPy's
words; the hint says what usually causes it in an exercise and what to do about it.

``hint_for_error(exercise, case, error_text)`` tries, in order,

1. the exercise's own rules: ``error_hints`` of the exercise if it has such a field, then the
   rules registered here under its id (``"01.neuron_forward"``) and under its chapter
   (``"01"``): the same message can mean something specific in a chapter (a matmul shape
   error in chapter 01 is the row versus column format the chapter is about);
2. the general rules, for errors that mean the same in every exercise.

A rule is a pair ``(pattern, hint)``: ``pattern`` a regular expression searched in the error
text (the exception's name, its message, and the lines of the traceback), ``hint`` a string,
``STOP`` (no hint: the message says it all) or a function ``(match, exercise, case) -> str |
None`` (None: try the next rule). The first rule that gives an answer wins. Runs on the
checking side only, never next to student code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

Hint = str | Callable[[re.Match, Any, Any], str | None]
Rule = tuple[str, Hint]

STOP = ""  # a rule's hint: no hint for this error (its message already says what to do)

# ---------------------------------------------------------------- general rules


def _shape_text(text: str) -> str:
    return text.replace(" ", "")


def _padding_of(exercise: Any, case: Any) -> Any:
    """The case's ``padding`` argument, where the exercise has one (else None)."""
    names = tuple(getattr(exercise, "arg_names", None) or ())
    args, kwargs = getattr(case, "args", ()), getattr(case, "kwargs", {}) or {}
    if "padding" in names and names.index("padding") < len(args):
        return args[names.index("padding")]
    return kwargs.get("padding")


def _zero_padding_note(exercise: Any, case: Any) -> str:
    return "this case has padding 0, and " if _padding_of(exercise, case) == 0 else ""


def _empty_target(match: re.Match, exercise: Any, case: Any) -> str | None:
    shape = _shape_text(match.group(2))
    if not re.search(r"(^|[(,])0[,)]", shape):
        return None
    return (f"the array assigned into is empty (a 0 in its shape): "
            f"{_zero_padding_note(exercise, case)}a slice like a[P:-P] with P = 0 is a[0:0], "
            "which holds nothing. Slice with the end written out, a[P:P + H] or "
            "a[P:a.shape[0] - P].")


def _empty_reduction(match: re.Match, exercise: Any, case: Any) -> str:
    return (f"a max or argmax over an empty array: {_zero_padding_note(exercise, case)}"
            "a slice like a[P:-P] with P = 0 is a[0:0] (empty); or a loop bound is off by one.")


def _index_float(match: re.Match, exercise: Any, case: Any) -> str:
    return ("an index, a slice bound or a size is a float: use integer division // (or "
            "int(...)) for positions and sizes; / always gives a float.")


GENERAL_RULES: list[Rule] = [
    # errors the drivers raise on purpose
    (r"changed in place", "return new arrays and leave the ones you are given alone: "
                          "w_new = w - lr * grad (a new array), not w -= lr * grad or "
                          "w[...] = ...; if you must assign into an array, copy it first "
                          "(a = a.copy())."),
    (r"\btoo slow\b", "vectorize: no Python loop over every element or output position; "
                      "let NumPy do the inner work (a matrix product, broadcasting, a sum "
                      "over an axis)."),
    (r"OverflowError", "a number grew past the float range (math.exp of a large value?): "
                       "use a formula that stays finite (np.logaddexp, or subtract the "
                       "maximum before exp)."),
    (r"NumPy reports '", STOP),  # chapters 03-04's strict driver explains overflow itself
    # shapes
    (r"matmul: Input operand \d has a mismatch in its core dimension|not aligned: \d+ \(dim",
     "the inner sizes of a matrix product do not match: (n, k) @ (k, m) needs the same k. "
     "Print the shapes of both operands; the fix is usually the order of the operands or a .T."),
    (r"matmul: Input operand \d does not have enough dimensions",
     "@ needs arrays with at least one axis on both sides; for a number use *."),
    (r"could not broadcast input array from shape (\([\d, ]*\)) into shape (\([\d, ]*\))",
     _empty_target),
    (r"could not broadcast input array from shape",
     "the value assigned does not fit the slice it is assigned to: print both shapes (a "
     "window one pixel too large? a missing axis?)."),
    (r"operands could not be broadcast together",
     "two arrays whose shapes cannot be combined elementwise. Print their shapes; to combine a "
     "value per row with a matrix keep the axis (sum(..., keepdims=True), or v[:, None])."),
    (r"cannot reshape array of size (\d+) into shape",
     "the new shape must hold exactly as many values as the array has; let NumPy work out one "
     "axis with -1, and check the order of the axes (a transpose may be needed first)."),
    (r"too many indices for array: array is (\d)-dimensional, but (\d) were indexed",
     "the array has fewer axes than the code indexes: print its shape. One example is a 1-D "
     "array (d,); a batch is 2-D (n, d)."),
    (r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)",
     "an index past the end of an axis: positions run from 0 to size − 1, so loop over "
     "range(size), and check the +1 in an output-size formula."),
    (r"boolean index did not match indexed array",
     "a boolean mask must have the shape of the array (or of the axis) it selects from."),
    (r"arrays used as indices must be of integer", "index with integers: .astype(int) the "
                                                   "index array, or use // instead of /."),
    (r"only integers, slices .* are valid indices", _index_float),
    (r"slice indices must be integers", _index_float),
    (r"'float' object cannot be interpreted as an integer", _index_float),
    (r"'tuple' object cannot be interpreted as an integer",
     "a tuple was used where a single integer is needed (in range(), or as a size): unpack "
     "it first, e.g. kh, kw = kernel_size."),
    (r"negative dimensions are not allowed",
     "a size came out negative: check the output-size formula (and that the window fits the "
     "padded input)."),
    (r"window shape cannot be larger than input array shape",
     "the window is larger than the (padded) input: check the padding and the window size."),
    (r"zero-size array to reduction operation|attempt to get arg(?:max|min) of an empty",
     _empty_reduction),
    (r"all the input arrays must have same number of dimensions|"
     r"all input arrays must have the same shape",
     "np.concatenate / np.stack need matching shapes: print the shape of every piece."),
    # Python
    (r"The truth value of an array with more than one element is ambiguous",
     "an `if`, `and`, `or` or `max(...)` was applied to a whole array: choose elementwise with "
     "np.where(condition, a, b), np.maximum, or &, |; use .any() or .all() only to ask about "
     "the whole array."),
    (r"only 0-dimensional arrays can be converted to Python scalars|"
     r"can only convert an array of size 1 to a Python scalar",
     "float(...) or int(...) of an array with several values: keep the array, or reduce it "
     "first (np.sum, np.mean) if one number is asked for."),
    (r"not enough values to unpack|too many values to unpack",
     "the number of names on the left does not match what is unpacked: check what the "
     "function returns (a forward returns (out, cache), a backward the tuple of gradients)."),
    (r"takes (\d+) positional arguments? but (\d+) (?:was|were) given|"
     r"missing \d+ required positional argument|got an unexpected keyword argument",
     "the function's signature differs from the one the exercise cell gives: keep its "
     "parameters, their names and their order (the check calls it exactly so)."),
    (r"has no attribute 'shape'|has no attribute 'ndim'|has no attribute 'T'",
     "a Python list or number where an array is expected: np.asarray(...) it, or return an "
     "array."),
    (r"NameError: name 'np' is not defined",
     "run the notebook's first code cell (the imports), then this cell again."),
    (r"NameError: name '(\w+)' is not defined",
     "a name your function uses is not defined in this kernel: a helper from a cell that has "
     "not run, or a typo. Run the cell that defines it, or define it inside the function."),
    (r"ZeroDivisionError|division by zero",
     "a division by zero: a count that came out 0 (an empty batch or slice?) or a size formula "
     "that divides by the wrong thing."),
    (r"RecursionError", "the function calls itself without end: look for a call of the "
                        "function inside its own body."),
    (r"can't multiply sequence by non-int|can only concatenate tuple|"
     r"unsupported operand type\(s\) for [*+-/]+: '(?:int|float)' and 'tuple'",
     "arithmetic on a tuple: a tuple argument (a pair of sizes?) must be unpacked into its "
     "numbers first."),
]

# ---------------------------------------------------------------- per exercise and chapter

_ROW_FORMAT = ("row format: each row of X is one example, so X is (n, d) and w is (d,): "
               "z = X @ w + b. w @ X, or X.T, is the column format of other textbooks.")

_KERNEL_SIZE = ("kernel_size may be one int k (a k×k kernel) or a pair (kh, kw): unpack it "
                "first, kh, kw = (k, k) if isinstance(k, int) else k.")

_CONV_SPEED = ("the check timed your conv2d on a larger input: a Python loop over every output "
               "value (every example, filter and position) is far too slow. Gather all windows "
               "at once (np.lib.stride_tricks.sliding_window_view, or im2col) and contract "
               "them with the weights in one np.tensordot / matmul; loop over the KH·KW kernel "
               "taps at most.")

EXERCISE_RULES: dict[str, list[Rule]] = {
    "01": [
        (r"matmul: Input operand \d has a mismatch in its core dimension|not aligned", _ROW_FORMAT),
        (r"operands could not be broadcast together", _ROW_FORMAT),
    ],
    "02": [
        (r"matmul: Input operand \d has a mismatch in its core dimension|not aligned",
         "row format: H = X @ W + b with X (n, d_in) and W (d_in, d_out), one example per row; "
         "the weights of layer k are (d_in, d_out), not (d_out, d_in)."),
    ],
    "05.forward": [
        (r"IndexError|index \d+ is out of bounds",
         "w holds w1..w8 as w[0]..w[7] and b holds b1, b2 as b[0], b[1]: Python counts "
         "from 0."),
    ],
    "11.conv_param_count": [
        (r"tuple", _KERNEL_SIZE),
    ],
    "11.conv2d": [
        (r"\btoo slow\b", _CONV_SPEED),
    ],
}


def _rules_for(exercise: Any) -> list[Rule]:
    own: Sequence[Rule] = tuple(getattr(exercise, "error_hints", ()) or ())
    ex_id = str(getattr(exercise, "id", ""))
    chapter = ex_id.split(".", 1)[0]
    return [*own, *EXERCISE_RULES.get(ex_id, ()), *EXERCISE_RULES.get(chapter, ()),
            *GENERAL_RULES]


def hint_for_error(exercise: Any, case: Any, error_text: str) -> str | None:
    """A hint for the exception the student's code raised on ``case``, or None.

    ``exercise``: the ``Exercise`` (its ``id`` and an optional ``error_hints`` field of
    ``(pattern, hint)`` rules are read); ``case``: the ``Case`` it failed on (passed on to
    rule functions); ``error_text``: what the call raised, as the report shows it
    ("ValueError: ..." and the traceback lines). Never raises.
    """
    text = str(error_text or "")
    for pattern, hint in _rules_for(exercise):
        try:
            match = re.search(pattern, text)
        except (re.error, TypeError):
            continue
        if match is None:
            continue
        if not callable(hint):
            return hint or None
        try:
            result = hint(match, exercise, case)
        except Exception:
            result = None
        if result:
            return result
    return None
