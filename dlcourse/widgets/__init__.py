"""ipywidgets explorers. Each module holds a pure ``*_view`` function that computes what is
drawn (unit-tested without a browser), a ``draw_*`` function, and the thin widget around them."""
