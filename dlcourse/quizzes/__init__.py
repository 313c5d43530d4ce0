"""Quiz questions, one module per chapter (``chNN.py`` with a list ``QUESTIONS``)."""
