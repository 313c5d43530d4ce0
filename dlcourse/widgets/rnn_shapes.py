"""Chapter 13's second explorer: which steps of an RNN take inputs, which give outputs, and the
torch shapes of each (seed 000, "Types of Recurrent Neural Networks", after Karpathy 2015).

A picker chooses the kind: one-to-one (no recurrence at all), one-to-many (one input, a
sequence out: captioning, generating), many-to-one (a sequence in, one answer: classifying a
sentence), many-to-many (an output at every step: tagging every word), and encoder-decoder (a
sequence in, a sequence of another length out: translation). Sliders set the lengths T (in) and
T_out, the batch N and the sizes D (input), H (state) and K (output). The picture unrolls the
network in time: input boxes below, state boxes in the middle (arrows: the state carried to the
next step), output boxes above; the list beside it gives the shape of every tensor with
``torch.nn.RNN(D, H)`` (``batch_first=False``) and a ``torch.nn.Linear(H, K)`` read-out.

``rnn_shapes_view`` computes the layout and the shapes (pure; ``tests/test_widgets_rnn_shapes``
checks every shape against torch), ``rnn_shapes_scene`` the live figure, ``rnn_shapes_explorer``
is the thin widget.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlcourse._validate import one_of, positive_int
from dlcourse.widgets import live

KINDS = ("one-to-one", "one-to-many", "many-to-one", "many-to-many", "encoder-decoder")
EXAMPLES = {
    "one-to-one": "a plain network: one image, one class",
    "one-to-many": "one image in, a caption out, word by word",
    "many-to-one": "a sentence in, its sentiment out",
    "many-to-many": "a sentence in, a tag for every word",
    "encoder-decoder": "a sentence in, its translation out (another length)",
}
IN, STATE, OUT = "#56B4E9", "#E69F00", "#009E73"


@dataclass(frozen=True)
class RnnShapesView:
    """The unrolled picture and the tensor shapes of one kind of RNN."""

    kind: str
    steps: int                          # state boxes drawn
    has_input: tuple[bool, ...]         # per step: does a real input enter?
    has_output: tuple[bool, ...]        # per step: is the state read out?
    recurrent: bool                     # is the state carried from step to step?
    encoder_steps: int                  # encoder-decoder: the first steps are the encoder's
    shapes: dict[str, tuple[int, ...]]  # name -> shape of every tensor involved

    @property
    def lines(self) -> list[str]:
        return [f"{name}: {tuple(shape)}" for name, shape in self.shapes.items()]


def rnn_shapes_view(kind: str = "many-to-one", seq_len: int = 4, out_len: int = 3,
                    batch: int = 2, input_size: int = 3, hidden: int = 5,
                    outputs: int = 4) -> RnnShapesView:
    """The layout and the shapes for ``kind`` with lengths T = ``seq_len`` (in) and T_out =
    ``out_len`` (one-to-many and encoder-decoder), batch N, sizes D, H, K."""
    kind = one_of(kind, KINDS, "kind")
    T, T_out, N, D, H, K = (positive_int(v, name) for v, name in (
        (seq_len, "seq_len"), (out_len, "out_len"), (batch, "batch"),
        (input_size, "input_size"), (hidden, "hidden"), (outputs, "outputs")))
    if kind == "one-to-one":
        return RnnShapesView(kind, 1, (True,), (True,), False, 0, {
            "x": (N, D), "hidden = tanh(Linear(D, H)(x))": (N, H), "y = Linear(H, K)": (N, K)})
    if kind == "one-to-many":
        return RnnShapesView(kind, T_out, (True,) + (False,) * (T_out - 1), (True,) * T_out,
                             True, 0, {
                                 "x": (N, D), "inputs: x, then zeros": (T_out, N, D),
                                 "h0": (1, N, H), "out (every state)": (T_out, N, H),
                                 "h_n (the last state)": (1, N, H),
                                 "y = head(out)": (T_out, N, K)})
    if kind == "many-to-one":
        return RnnShapesView(kind, T, (True,) * T, (False,) * (T - 1) + (True,), True, 0, {
            "xs": (T, N, D), "h0": (1, N, H), "out (every state)": (T, N, H),
            "h_n (the last state)": (1, N, H), "y = head(h_n[0]) = head(out[-1])": (N, K)})
    if kind == "many-to-many":
        return RnnShapesView(kind, T, (True,) * T, (True,) * T, True, 0, {
            "xs": (T, N, D), "h0": (1, N, H), "out (every state)": (T, N, H),
            "h_n (the last state)": (1, N, H), "y = head(out)": (T, N, K)})
    return RnnShapesView(kind, T + T_out, (True,) * T + (False,) * T_out,
                         (False,) * T + (True,) * T_out, True, T, {
                             "xs (encoder)": (T, N, D), "encoder out": (T, N, H),
                             "encoder h_n = decoder h0": (1, N, H),
                             "decoder inputs (zeros here)": (T_out, N, D),
                             "decoder out": (T_out, N, H), "y = head(decoder out)": (T_out, N, K)})


def rnn_shapes_scene(view: RnnShapesView, width: int = 1000, height: int = 380) -> dict:
    """The live figure: the unrolled network (left) and the list of shapes (right)."""
    left, right = live.grid_boxes(width, height, ncols=2, ratios=[1.8, 1], left=16, right=16,
                                  top=44, bottom=16, wspace=30)
    marks: list[dict] = []
    n = view.steps
    for t in range(n):
        x0 = t * 1.5
        encoder = t < view.encoder_steps
        name = "s" if not view.recurrent else ("e" if encoder else "h")
        label_t = t + 1 - (0 if encoder or not view.encoder_steps else view.encoder_steps)
        marks.append(live.rect(x0, 1.0, 1.0, 0.8, edgecolor="#000000", facecolor=STATE))
        marks.append(live.text(x0 + 0.5, 1.4, f"{name}{label_t}", size=12))
        if view.has_input[t]:
            marks.append(live.rect(x0 + 0.15, 0.0, 0.7, 0.55, edgecolor="#000000",
                                   facecolor=IN))
            marks.append(live.text(x0 + 0.5, 0.27, f"x{label_t}" if view.steps > 1 else "x",
                                   size=11))
            marks.append(live.line([x0 + 0.5, x0 + 0.5], [0.55, 1.0], color="#000000",
                                   width=1.5))
        elif view.recurrent:
            marks.append(live.text(x0 + 0.5, 0.27, "0", size=11, color="#808080"))
        if view.has_output[t]:
            marks.append(live.rect(x0 + 0.15, 2.25, 0.7, 0.55, edgecolor="#000000",
                                   facecolor=OUT))
            marks.append(live.text(x0 + 0.5, 2.52, f"y{label_t}" if view.steps > 1 else "y",
                                   size=11))
            marks.append(live.line([x0 + 0.5, x0 + 0.5], [1.8, 2.25], color="#000000",
                                   width=1.5))
        if view.recurrent and t + 1 < n:
            marks.append(live.line([x0 + 1.0, x0 + 1.5], [1.4, 1.4], color="#000000",
                                   width=2))
    if view.encoder_steps:
        x = view.encoder_steps * 1.5 - 0.25
        marks.append(live.line([x, x], [-0.2, 3.0], color="#808080", dash="dashed"))
    text = [live.text(0.0, 0.95 - 0.1 * i, line, size=12, ha="left")
            for i, line in enumerate(view.lines)]
    text.append(live.text(0.0, 0.95 - 0.1 * (len(view.lines) + 0.5),
                          f"e.g. {EXAMPLES[view.kind]}", size=12, ha="left", color="#505050"))
    return live.scene(width, height, [
        live.panel(left, marks, xlim=(-0.3, max(n * 1.5, 4.5)), ylim=(-0.3, 3.1),
                   frame=False, title=f"{view.kind}, unrolled in time"),
        live.panel(right, text, xlim=(0, 1), ylim=(0, 1), frame=False,
                   title="torch shapes (batch_first=False)")],
        title=f"{view.kind}: {EXAMPLES[view.kind]}")


def rnn_shapes_explorer(kind: str = "many-to-one", seq_len: int = 4, out_len: int = 3):
    """The widget: the kind, the lengths, the batch and the sizes over the live picture."""
    import ipywidgets as widgets

    def slider(value, description, high=8):
        return widgets.IntSlider(value=value, min=1, max=high, description=description)

    controls = {
        "kind": widgets.Dropdown(options=list(KINDS), value=kind, description="kind"),
        "seq_len": slider(seq_len, "T (in)"),
        "out_len": slider(out_len, "T_out"),
        "batch": slider(2, "N (batch)"),
        "input_size": slider(3, "D (input)", 16),
        "hidden": slider(5, "H (state)", 16),
        "outputs": slider(4, "K (output)", 16),
    }

    def draw(**values):
        return rnn_shapes_scene(rnn_shapes_view(**values))

    return live.Explorer(controls, draw).widget
