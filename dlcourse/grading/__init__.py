"""The class grader's machinery; the command is ``python -m dlcourse.grade``.

- ``submission``: reading a submitted notebook: its exercise and setup cells, and what in it
  looks like tampering;
- ``child``: the program that runs a submission's code in the sandbox (standalone: it is copied
  there, next to ``checking/studentside.py``);
- ``sandbox``: starting that program in a fresh, limited, isolated process and collecting what
  it returns, restarting it when one exercise hangs or kills it;
- ``results``: scores, the CSV/JSON tables and per-student feedback, written atomically.
"""
