"""The course's explorers: live widgets whose picture follows a dragged slider.

How to write an explorer (every module here follows this pattern; see ``decision_line.py``
for the smallest complete one, ``playground.py`` for a training explorer):

1. **A pure view function** ``thing_view(...) -> ThingView`` computes every number that is
   drawn (a frozen dataclass of arrays). No widgets, no plotting; unit-tested against an
   independent reference. It must be fast: an explorer's whole change (view + scene) has
   ≤ 50 ms median and ≤ 100 ms worst on a 2-core laptop (``python -m dlcourse.bench --only
   widgets`` measures it). Cache what a slider does not change (``functools.lru_cache`` on
   the expensive part, keyed by the other settings); put anything slower behind a button.
2. **A pure scene function** ``thing_scene(view) -> dict`` says what to draw, with the mark
   builders of ``dlcourse.widgets.live`` (``line``, ``scatter``, ``image``, ``bars``,
   ``fill``, ``text``, ...), ``live.panel`` and ``live.scene``; ``live.grid_boxes`` lays out
   panels. Unit-test it (``live.validate_scene``, and the marks carry the view's numbers).
   Optionally keep a matplotlib ``draw_thing(view, ax)`` for static figures in the notebook.
3. **The thin widget** ``thing_explorer(...)``: build the ipywidgets controls (a learning
   rate is a ``FloatLogSlider``), then::

       def draw(a, b):                       # the controls' values, by name
           return thing_scene(thing_view(a, b))

       return live.Explorer({"a": slider_a, "b": picker_b}, draw).widget

   ``Explorer`` sets ``continuous_update=True`` on every slider, redraws on every change,
   records each change's kernel time in ``explorer.timings``, shows a ``ValueError`` from
   ``draw`` as a message, and displays with a PNG of its first picture (``live.render_png``
   draws the same scene with matplotlib) so that GitHub and nbviewer show it without a kernel.
4. **Training explorers** implement ``live.Trainer`` (``reset()``, ``step(n)``, ``scene()``,
   ``position``, ``done``) and wrap it in ``live.Animation`` for play, pause, step and reset:
   playing trains in frames of ≤ 70 ms on the kernel's asyncio loop, so a pause click is
   handled within one frame. Sliders that change the model reset the trainer (cheap);
   training itself only ever starts from a button.
5. Register the explorer in ``dlcourse.bench`` (``WIDGET_CASES``) and in the browser tests
   (``tests/test_browser.py``, ``EXPLORERS``), and add its unit tests.
"""
