"""The class grader, attacked as a determined student would attack it.

One batch (graded once per test session, ``--jobs 2``) holds the solution, the untouched
student notebook, wrong variants, every attack below, odd files and odd names, with the output
folder inside the class folder. Each attack states the grade it must get: the attacked
exercise scores nothing (``STATUS`` says why), every other exercise and every other student is
unaffected, nothing is written outside the sandbox and the batch completes. Separate runs cover
what needs its own grader: interrupts, concurrent graders, a killed grader, the unsafe
fallback, fresh hidden cases per run, and one-mistake-costs-once grading in chapter 06.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
from variants import all_variants

from dlcourse import grade
from dlcourse import notebook as nbu
from dlcourse.authoring import NOTEBOOKS, SOLUTIONS
from dlcourse.exercises import chapter_exercises, notebook_chapter
from dlcourse.grading import intake, sandbox

NO_SANDBOX = sandbox.bubblewrap_problem()
if NO_SANDBOX and os.environ.get("DLCOURSE_REQUIRE_SANDBOX"):
    raise RuntimeError(f"DLCOURSE_REQUIRE_SANDBOX is set but the grader's sandbox cannot start: "
                       f"{NO_SANDBOX}")
pytestmark = pytest.mark.skipif(NO_SANDBOX is not None,
                                reason=f"no bubblewrap sandbox: {NO_SANDBOX}")

CHAPTER = "01"
SOLUTION = SOLUTIONS / "01_perceptron.ipynb"
STUDENT = NOTEBOOKS / "01_perceptron.ipynb"
EXERCISES = chapter_exercises(CHAPTER)
VARIANTS = all_variants()
SOLVED_STEP = "def step(z):\n    return np.where(z > 0, 1.0, 0.0)\n"
WRONG_STEP = "def step(z):\n    return np.where(z >= 0, 1.0, 0.0)\n"
SITE_PACKAGES = str(Path(np.__file__).resolve().parent.parent)
PROJECT = str(SOLUTIONS.parent)
TIMEOUT = 3

# The channel to the grader is a private file descriptor; forging messages on it.
FORGE = """
import os, json, stat, sys
def _frame(message):
    data = json.dumps(message).encode()
    return len(data).to_bytes(4, 'big') + data
def _nonce():
    frame = sys._getframe()
    while frame is not None:
        job = frame.f_locals.get('job')
        if isinstance(job, dict) and 'pass' in job:
            return job['pass']
        frame = frame.f_back
    return None
def _channels():
    for fd in range(3, 30):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                yield fd
        except OSError:
            pass
def forge(*messages):
    for fd in _channels():
        for m in messages:
            try:
                os.write(fd, _frame(m))
            except OSError:
                pass
"""

# name -> (attacked exercise or "all", the cell's new source). The comment says the grade.
ATTACKS = {
    # --- tampering that the old grader flagged; the values still decide
    "allclose_patch": ("01.step", "np.allclose = lambda *a, **k: True\n"
                       "np.testing.assert_allclose = lambda *a, **k: None\n" + WRONG_STEP),
    "checker_patch": ("01.step", "import builtins\nbuiltins.check = lambda *a, **k: None\n"
                      "def check(*a, **k):\n    print('PASSED')\n" + WRONG_STEP),
    "ipython_transformer": ("01.step", "get_ipython().input_transformers_post.append("
                            "lambda lines: [])\n" + WRONG_STEP),
    # --- the course's reference: not in the sandbox at all
    "imports_reference": ("01.step", "from dlcourse.activations import step\n"),
    "calls_reference": ("01.step", "def step(z):\n    import dlcourse.activations as a\n"
                        "    return a.step(z)\n"),
    "imports_reference_by_name": ("01.step", "def step(z):\n    import importlib\n"
                                  "    name = ''.join(['dl', 'cour', 'se.activations'])\n"
                                  "    return importlib.import_module(name).step(z)\n"),
    "reads_solutions": ("01.step", "def step(z):\n    import glob, json, os\n"
                        f"    folder = os.path.join({PROJECT!r}, 'solu' + 'tions')\n"
                        "    nb = json.load(open(glob.glob(folder + '/01_*')[0]))\n"
                        "    return np.where(z > 0, 1.0, 0.0) if nb else None\n"),
    "reads_package_source_dir_fd": (
        "01.step", "def step(z):\n    import os\n"
        f"    fd = os.open({PROJECT!r}, os.O_RDONLY)\n"
        "    inner = os.open('dl' + 'course/activations.py', os.O_RDONLY, dir_fd=fd)\n"
        "    namespace = {}\n    exec(os.read(inner, 10**6).decode(), namespace)\n"
        "    return namespace['step'](z)\n"),
    # --- resources
    "endless_loop": ("01.step", "def step(z):\n    while True:\n        pass\n"),
    "endless_loop_in_cell": ("01.step", "while True:\n    pass\n" + SOLVED_STEP),
    "catches_everything_in_loop": ("01.step", "def step(z):\n    while True:\n        try:\n"
                                   "            pass\n        except BaseException:\n"
                                   "            pass\n"),
    "ten_gigabytes": ("01.step", "def step(z):\n    big = np.ones(10**10)\n"
                      "    return big[:z.size].reshape(z.shape)\n"),
    "os_exit_in_function": ("01.step", "def step(z):\n    import os\n    os._exit(0)\n"),
    "os_exit_in_cell": ("01.step", "import os\nos._exit(3)\n" + SOLVED_STEP),
    "sys_exit": ("01.step", "def step(z):\n    import sys\n    sys.exit()\n"),
    "prints_megabytes": ("01.step", "def step(z):\n    for _ in range(30):\n"
                         "        print('PASSED ' * 200_000)\n    return None\n"),
    "disk_bomb": ("01.step", "def step(z):\n    try:\n        with open('/tmp/bomb', 'wb') as f:\n"
                  "            for _ in range(300):\n                f.write(b'x' * 2**20)\n"
                  "    except OSError:\n        return None\n" + "    return (z > 0) * 1.0\n"),
    "fork_bomb": ("01.step", "def step(z):\n    import os\n    pids = []\n"
                  "    for _ in range(50):\n        pids.append(os.fork())\n"
                  "    return (z > 0) * 1.0\n"),
    "thread_bomb": ("01.step", "import threading, time\n"
                    "def _spawn():\n    threads = []\n    try:\n"
                    "        for _ in range(5000):\n"
                    "            t = threading.Thread(target=time.sleep, args=(30,), daemon=True)\n"
                    "            t.start()\n            threads.append(t)\n"
                    "    except BaseException:\n        pass\n    return len(threads)\n"
                    "def step(z):\n    return _spawn() * 0 + None\n"),
    "oversized_result": ("01.step", "def step(z):\n    return np.zeros(10_000_000)\n"),
    "many_small_values": ("01.step", "def step(z):\n    return [0.5] * 300_000\n"),
    "lone_surrogate": ("01.step", "def step(z):\n    raise ValueError('bad \\ud800 value ' + "
                       "chr(0xdfff))\n"),
    "returns_nan": ("01.step", "def step(z):\n    return np.full(z.shape, np.nan)\n"),
    "eq_always_true": ("01.step", "class Yes:\n    def __eq__(self, other):\n        return True\n"
                       "    __array_priority__ = 1000\n"
                       "def step(z):\n    return Yes()\n"),
    # --- escapes: every one of these must fail inside the sandbox
    "kills_parent": ("01.step", "def step(z):\n    import os, signal\n"
                     "    for pid in (os.getppid(), 1, -1):\n        try:\n"
                     "            os.kill(pid, signal.SIGKILL)\n"
                     "        except OSError:\n            pass\n"
                     "    return (z >= 0) * 1.0\n"),
    "unmounts_and_unshares": ("01.step", "def step(z):\n    import ctypes\n"
                              "    libc = ctypes.CDLL(None)\n"
                              "    ok = [libc.umount2(b'/tmp', 2), libc.unshare(0x10020000),\n"
                              "          libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)]\n"
                              "    return (z > 0) * 1.0 if 0 in ok else None\n"),
    "fork_exec_shell": ("01.step", "def step(z):\n    import _posixsubprocess, os\n"
                        "    r, w = os.pipe()\n"
                        "    _posixsubprocess.fork_exec([b'/bin/sh', b'-c', b'true'],"
                        " [b'/bin/sh'], True, (), None, None, -1, -1, -1, -1, -1, -1, r, w,"
                        " True, False, 0, None, None, None, -1, None, False)\n"
                        "    return (z > 0) * 1.0\n"),
    "writes_zygote_memory": ("01.step", "def step(z):\n    import os\n"
                             "    with open(f'/proc/{os.getppid()}/mem', 'r+b') as mem:\n"
                             "        mem.seek(0x400000)\n        mem.write(b'x')\n"
                             "    return (z > 0) * 1.0\n"),
    "ptrace_parent": ("01.step", "def step(z):\n    import ctypes, os\n"
                      "    libc = ctypes.CDLL(None)\n"
                      "    return (z > 0) * 1.0 if libc.ptrace(16, 1, 0, 0) == 0 else None\n"),
    "network": ("01.step", "def step(z):\n    import socket\n"
                "    socket.create_connection(('1.1.1.1', 80), timeout=1)\n"
                "    return (z > 0) * 1.0\n"),
    # --- forged results, forged messages, patched internals
    "forges_call_student": ("all", "import numpy as np\nimport studentside\n"
                            "studentside.call_student = lambda *a, **k: {'status': 'passed'}\n"),
    "forges_values": ("all", "import numpy as np\nimport studentside\n"
                      "studentside.call_student = lambda *a, **k: {'value': 1.0}\n"),
    "frame_walk": ("01.step", "import sys\n" + WRONG_STEP +
                   "frame = sys._getframe()\nwhile frame is not None:\n"
                   "    module = frame.f_locals.get('studentside') or "
                   "frame.f_globals.get('studentside')\n"
                   "    if module is not None:\n"
                   "        module.call_student = lambda *a, **k: {'status': 'passed'}\n"
                   "    frame = frame.f_back\n"),
    "forged_messages": ("01.step", FORGE + WRONG_STEP +
                        "nonce = _nonce()\n"
                        "forge({'kind': 'cells done', 'errors': {}, 'pass': nonce},\n"
                        "      {'kind': 'outcome', 'case': 0, 'outcome': {'status': 'ok'},"
                        " 'pass': nonce},\n"
                        "      {'kind': 'outcome', 'case': 1, 'outcome': {'status': 'passed',"
                        " 'value': 1}, 'pass': nonce},\n"
                        "      {'kind': 'cell', 'position': 999, 'pass': nonce},\n"
                        "      {'kind': 'progress', 'exercise': '99.unknown', 'pass': nonce},\n"
                        "      {'kind': 'outcome', 'case': 7, 'outcome': {'value': 1},"
                        " 'pass': 'not-this-pass'},\n"
                        "      {'kind': 'pass done', 'events': ['forged'] * 40000,"
                        " 'pass': nonce})\n"),
    "garbage_on_channel": ("01.step", FORGE + WRONG_STEP +
                           "for fd in _channels():\n"
                           "    os.write(fd, (2**31).to_bytes(4, 'big') + b'{{{{')\n"),
    "progress_keepalive": ("01.step", FORGE + "import time\n"
                           "def step(z):\n    nonce = _nonce()\n    while True:\n"
                           "        forge({'kind': 'cell', 'position': 0, 'pass': nonce})\n"
                           "        time.sleep(0.2)\n"),
    "slow_cells": ("01.step", "import time\n" + "time.sleep(0.9)\n" * 6 + SOLVED_STEP),
    "forges_results_file": ("01.step", "import json, os\n"
                            "os.makedirs('results', exist_ok=True)\n"
                            "json.dump({'records': [{'status': 'ok', 'value': 1.0}]},"
                            " open('results/01.step.json', 'w'))\n" + WRONG_STEP),
    # --- written apart from this suite; each broke the grader once
    # bubblewrap's own init (pid 1) was writable through /proc/1/mem: code run there escaped
    # the filter and the limits and outlived the grader. The zygote is pid 1 now, not dumpable.
    "pid_1_memory": ("01.step", "def step(z):\n    try:\n"
                     "        open('/proc/1/mem', 'r+b').close()\n    except OSError:\n"
                     "        return None\n    return (z > 0) * 1.0\n"),
    # the sandbox's root was a writable tmpfs without a size limit, kept between exercises
    "writes_the_root": ("01.step", "def step(z):\n    try:\n"
                        "        open('/escape', 'w').write('x' * 2**20)\n    except OSError:\n"
                        "        return None\n    return (z > 0) * 1.0\n"),
    # where the grader runs as root (CI, Gradescope) the sandbox's user is root outside, and
    # the kernel let it write the machine's sysctls (kernel.core_pattern...); only opened here
    "opens_sysctls": ("01.step", "import os\ndef step(z):\n    try:\n"
                      "        os.close(os.open('/proc/sys/kernel/panic', os.O_WRONLY))\n"
                      "    except OSError:\n        return None\n    return (z > 0) * 1.0\n"),
    # memory no rlimit counts and that outlives the worker: memfd (512 files of 64 MB),
    # System V shared memory, message queues, semaphores
    "memory_no_limit_counts": ("01.step", "import ctypes, os\nlibc = ctypes.CDLL(None)\n"
                               "def step(z):\n    made = [libc.shmget(0, 1 << 20, 0o1600),\n"
                               "            libc.msgget(0, 0o1600), libc.semget(0, 1, 0o1600)]\n"
                               "    try:\n        made.append(os.memfd_create('x'))\n"
                               "    except OSError:\n        pass\n"
                               "    return (z > 0) * 1.0 if max(made) >= 0 else None\n"),
    # signals and limits for the zygote through the calls kill's filter did not cover
    "signals_and_limits_the_zygote": (
        "01.step", "import ctypes, os\nlibc = ctypes.CDLL(None)\n"
        "def step(z):\n    info = (ctypes.c_int * 32)()\n    info[2] = -1  # SI_QUEUE\n"
        "    queue, prlimit = {'x86_64': (129, 302), 'aarch64': (138, 261)}[os.uname().machine]\n"
        "    none = (ctypes.c_ulong * 2)(0, 0)\n"
        "    done = [libc.syscall(queue, pid, 0, info) for pid in {1, os.getppid()}]\n"
        "    done.append(libc.syscall(prlimit, os.getppid(), 6, none, None))\n"
        "    return (z > 0) * 1.0 if 0 in done else None\n"),
    # the exit status the sandbox used for "no seccomp": the grader was blamed
    "exit_status_71": ("01.step", "def step(z):\n    import os\n    os._exit(71)\n"),
    # values the comparison or its description cannot handle: the whole row was a grader error
    "integer_too_large": ("01.perceptron_update", "def perceptron_update(w, b, x, y, lr=1.0):\n"
                          "    return w + lr * y * x, 10**400\n"),
    "forged_cell_key": ("01.step", FORGE + WRONG_STEP + "forge({'kind': 'cells done', 'errors':"
                        " {'\u00b2': ['x'], '9' * 5000: ['y']}, 'pass': _nonce()})\n"),
    # trees too deep for ast (the grader's tamper scan, the cell readers): grader errors
    "deep_syntax_tree": ("01.step", "x = " + "-" * 3000 + "1\n" + SOLVED_STEP),
    "deep_patch_target": ("01.step", "np" + ".a" * 400 + " = 1\n" + WRONG_STEP),
    # 33 MB of "[]," took 12 s to parse while holding the interpreter lock: the other
    # submissions' threads timed out (a solution scored 0); now refused unparsed
    # a string of 100,000 characters was stored whole, twice per failing case (0.7 MB per
    # exercise in grades.json, the record and the feedback)
    "long_text": ("01.step", "def step(z):\n    return 'x' * 99_000\n"),
    "parse_bomb": ("01.step", FORGE + "def step(z):\n"
                   "    body = ('{\"kind\": \"x\", \"pass\": \"' + _nonce() + '\", \"v\": ['"
                   " + '[],' * 11_000_000 + '[]]}').encode()\n"
                   "    for fd in _channels():\n        try:\n"
                   "            os.write(fd, len(body).to_bytes(4, 'big') + body)\n"
                   "        except OSError:\n            pass\n"
                   "    return (z > 0) * 1.0\n"),
}
# The status the attacked exercise gets (where one status says it all).
STATUS = {
    "imports_reference": "uses reference", "calls_reference": "uses reference",
    "imports_reference_by_name": "error", "reads_solutions": "error",
    "reads_package_source_dir_fd": "error", "endless_loop": "timeout",
    "endless_loop_in_cell": "timeout", "catches_everything_in_loop": "timeout",
    "ten_gigabytes": "memory", "os_exit_in_function": "exit", "os_exit_in_cell": "exit",
    "sys_exit": "exit", "prints_megabytes": "failed", "disk_bomb": "failed",
    "fork_bomb": "error", "thread_bomb": "error", "oversized_result": "wrong type",
    "many_small_values": "wrong type", "lone_surrogate": "error", "returns_nan": "failed",
    "eq_always_true": "wrong type", "unmounts_and_unshares": "failed",
    "fork_exec_shell": "error", "ptrace_parent": "failed", "network": "error",
    "kills_parent": "failed", "writes_zygote_memory": "error",
    "forges_call_student": "error", "frame_walk": "error", "garbage_on_channel": "error",
    "progress_keepalive": "timeout", "pid_1_memory": "failed", "writes_the_root": "failed",
    "memory_no_limit_counts": "failed", "signals_and_limits_the_zygote": "failed",
    "exit_status_71": "exit", "integer_too_large": "error", "forged_cell_key": "failed",
    "deep_syntax_tree": "error", "deep_patch_target": "failed", "parse_bomb": "error",
    "long_text": "failed", "opens_sysctls": "failed",
}

# Attacks that try to write where the instructor's files are; each must leave no trace.
def _writer(targets: list[str]) -> str:
    return ("import os\nwritten = []\n"
            f"for target in {targets!r}:\n"
            "    try:\n"
            "        os.makedirs(os.path.dirname(target), exist_ok=True)\n"
            "        with open(target, 'w') as f:\n"
            "            f.write('import os; os.system(\"touch /tmp/pwned\")\\n')\n"
            "        written.append(target)\n"
            "    except OSError:\n        pass\n"
            "def step(z):\n    return (z > 0) * 1.0 if written else None\n")


def _cell_of(nb, exercise_id):
    return next(c for c in nb.cells if nbu.exercise_id(c) == exercise_id)


def _with_cell(exercise_id: str, source: str, base=SOLUTION):
    nb = nbformat.read(base, as_version=4)
    if exercise_id == "all":
        next(c for c in nb.cells if nbu.is_setup(c)).source = source
    else:
        _cell_of(nb, exercise_id).source = source
    return nb


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """Build the corpus, grade it in one batch, and return what the tests read."""
    root = tmp_path_factory.mktemp("corpus")
    subs = root / "class"
    subs.mkdir()
    out = subs / "grades"  # the output folder inside the class folder
    planted = {
        "pth": os.path.join(SITE_PACKAGES, "zz_dlcourse_attack.pth"),
        "class": str(subs / "planted_ghost.ipynb"),
        "out": str(out / "records" / "ghost.json"),
        "package": os.path.join(PROJECT, "dlcourse", "zz_attack.py"),
        "tmp": "/tmp/dlcourse_attack_marker",
    }
    (subs / "roster.csv").write_text("student,secret\nalice,1234\n")

    def write(name, nb_or_text):
        path = subs / f"{name}.ipynb"
        if isinstance(nb_or_text, str):
            path.write_text(nb_or_text, encoding="utf-8")
        else:
            nbformat.write(nb_or_text, path)

    shutil.copy(SOLUTION, subs / "solution.ipynb")
    shutil.copy(STUDENT, subs / "untouched.ipynb")
    for ex_id in EXERCISES:
        _description, source = VARIANTS[ex_id][0]
        write(f"variant_{ex_id.split('.')[1]}", _with_cell(ex_id, source))
    for name, (ex_id, source) in ATTACKS.items():
        write(f"attack_{name}", _with_cell(ex_id, source))
    write("attack_forges_call_student_untouched",
          _with_cell("all", ATTACKS["forges_call_student"][1], base=STUDENT))
    write("hidden_probe", _with_cell("01.step", "def step(z):\n    if z.size == 5:\n"
                                            "        return np.where(z > 0, 1.0, 0.0)\n"
                                            "    return np.where(z > 0, 1.0, -1.0)\n"))
    write("attack_writes_outside", _with_cell("01.step", _writer(list(planted.values()))))
    write("attack_reads_roster", _with_cell("01.step", "def step(z):\n"
                                            f"    open({str(subs / 'roster.csv')!r}).read()\n"
                                            "    return (z > 0) * 1.0\n"))
    write("attack_reads_other_submissions", _with_cell(
        "01.step", "import glob\nfound = glob.glob('/tmp/**/*.ipynb', recursive=True) + "
                   f"glob.glob({str(subs)!r} + '/*.ipynb')\n"
                   "def step(z):\n    return (z > 0) * 1.0 if found else None\n"))
    # one exercise leaves a file and a thread behind; the next one must not find either
    leaves = _with_cell("01.step", "import os\n"
                                   "def step(z):\n    return (z > 0) * 1.0 if os.path.exists("
                                   "'/tmp/left_behind') else None\n")
    _cell_of(leaves, "01.neuron_forward").source += (
        "\nimport threading, time\nopen('/tmp/left_behind', 'w').write('x')\n"
        "def _later():\n    time.sleep(0.3)\n    open('/tmp/left_behind', 'w').write('x')\n"
        "threading.Thread(target=_later, daemon=True).start()\n")
    write("attack_leaves_state_behind", leaves)
    # ... nor behind folders made unreadable (chmod 0), /tmp itself included
    locks = _with_cell("01.step", "import os\n"
                       "def step(z):\n    os.chmod('/tmp', 0o755)\n"
                       "    os.path.isdir('/tmp/locked') and os.chmod('/tmp/locked', 0o755)\n"
                       "    found = os.path.exists('/tmp/locked/m') or os.path.exists('/tmp/m')\n"
                       "    return (z > 0) * 1.0 if found else None\n")
    _cell_of(locks, "01.neuron_forward").source += (
        "\nimport os\nos.makedirs('/tmp/locked', exist_ok=True)\n"
        "open('/tmp/locked/m', 'w').write('x')\nopen('/tmp/m', 'w').write('x')\n"
        "os.chmod('/tmp/locked', 0)\nos.chmod('/tmp', 0)\n")
    write("attack_locks_state_behind", locks)
    # legitimate code that must not cost anything: magics, shell lines, threads
    legit = _with_cell("01.step", "%%time\n!echo hi\n"
                       "from concurrent.futures import ThreadPoolExecutor\n"
                       "def step(z):\n    with ThreadPoolExecutor(max_workers=16) as pool:\n"
                       "        rows = list(pool.map(lambda r: np.where(r > 0, 1.0, 0.0),\n"
                       "                             list(z)))\n"
                       "    return np.array(rows).reshape(z.shape)\n")
    next(c for c in legit.cells if nbu.is_setup(c)).source += "\n%matplotlib inline\n"
    write("legit_magics_and_threads", legit)
    setup_exit = nbformat.read(SOLUTION, as_version=4)
    next(c for c in setup_exit.cells if nbu.is_setup(c)).source += "\nraise SystemExit\n"
    write("attack_setup_system_exit", setup_exit)
    setup_os_exit = nbformat.read(SOLUTION, as_version=4)
    next(c for c in setup_os_exit.cells if nbu.is_setup(c)).source += "\nimport os\nos._exit(0)\n"
    write("attack_setup_os_exit", setup_os_exit)
    # the tag of one exercise deleted: found by its function name
    untagged = nbformat.read(SOLUTION, as_version=4)
    cell = _cell_of(untagged, "01.sign")
    cell.metadata.pop("dlcourse")
    cell.metadata["tags"] = []
    write("untagged_sign", untagged)
    helper = _with_cell("01.step", "def step(z):\n    return _fire(z)\n")
    helper.cells.insert(3, nbformat.v4.new_code_cell(
        "def _fire(z):\n    return (z > 0).astype(float)\n"))
    write("helper_cell", helper)
    missing = nbformat.read(SOLUTION, as_version=4)
    missing.cells = [c for c in missing.cells if nbu.exercise_id(c) != "01.sign"]
    write("missing_sign", missing)
    dup = nbformat.read(SOLUTION, as_version=4)
    index = dup.cells.index(_cell_of(dup, "01.step"))
    extra = copy.deepcopy(dup.cells[index])
    extra.source, extra.id = WRONG_STEP, "duplicate-step"
    dup.cells.insert(index + 2, extra)
    write("duplicate_tags", dup)
    # malformed files
    text = SOLUTION.read_text(encoding="utf-8")
    write("bad_json", "{ this is not json")
    write("truncated", text[: len(text) // 2])
    empty = nbformat.v4.new_notebook()
    empty.metadata["dlcourse"] = {"chapter": CHAPTER}
    write("no_cells", empty)
    write("deep_json", "[" * 100_000 + "]" * 100_000)
    write("odd_cells", json.dumps({"nbformat": 4, "metadata": [], "cells": [
        {"cell_type": "code", "source": [1, None], "metadata": "x"}, 7]}))
    null = nbformat.read(SOLUTION, as_version=4)
    _cell_of(null, "01.sign").source = "def sign(z):\x00\n    return z\n"
    write("null_bytes", null)
    # odd files and odd names
    shutil.copy(SOLUTION, subs / "my homework (final).ipynb")
    (subs / "section").mkdir()
    shutil.copy(SOLUTION, subs / "section" / "nested.ipynb")
    shutil.copy(SOLUTION, subs / "a_b.ipynb")
    shutil.copy(SOLUTION, subs / "a~b.ipynb")
    shutil.copy(SOLUTION, subs / ("x" * 240 + ".ipynb"))
    shutil.copy(SOLUTION, subs / ("学生作业" * 20 + ".ipynb"))
    with open(os.path.join(os.fsencode(subs), b"caf\xe9.ipynb"), "wb") as fh:
        fh.write(SOLUTION.read_bytes())
    os.symlink(SOLUTION, subs / "linked_solution.ipynb")
    os.symlink("/dev/zero", subs / "zero.ipynb")
    os.symlink(subs / "solution.ipynb", subs / "inner_link.ipynb")  # inside: same file
    os.mkfifo(subs / "fifo.ipynb")
    (subs / "folder.ipynb").mkdir()
    (subs / "huge.ipynb").write_bytes(b" " * ((intake.MAX_NOTEBOOK_MB + 1) << 20))
    (subs / "binary.ipynb").write_bytes(bytes(range(256)) * 100)
    (subs / "=HYPERLINK(1).ipynb").write_text("")  # its message must not be a formula
    # JSON that parses, nested just too deep for the rest: it stopped the whole batch
    deep = json.loads(text)
    deep["cells"][0]["metadata"]["x"] = "DEEP"
    (subs / "deep_metadata.ipynb").write_text(
        json.dumps(deep).replace('"DEEP"', "[" * 900 + "]" * 900), encoding="utf-8")
    # one notebook of another chapter: the class's chapter is still graded
    shutil.copy(next(SOLUTIONS.glob("02_*.ipynb")), subs / "other_chapter.ipynb")

    before_tmp = set(os.listdir("/tmp"))
    start = time.monotonic()
    code = grade.main([str(subs), "--out", str(out), "--jobs", "2", "--timeout", str(TIMEOUT),
                       "--memory", "2048", "--quiet", "--seed", "7"])
    seconds = time.monotonic() - start
    data = json.loads((out / "grades.json").read_text())
    return {"students": data["students"], "meta": data["meta"], "out": out, "code": code,
            "subs": subs, "planted": planted, "seconds": seconds,
            "new_tmp": set(os.listdir("/tmp")) - before_tmp}


def _ex(graded, student, ex_id):
    return graded["students"][student]["exercises"][ex_id]


def _full_marks_except(graded, student, bad: set[str], *, partial_ok: bool = False):
    """Full marks on every exercise but ``bad``, which scores 0 (or less than full with
    ``partial_ok``: partial credit is the fraction of cases passed)."""
    record = graded["students"][student]
    for ex_id, ex in record["exercises"].items():
        if ex_id in bad and partial_ok:
            assert ex["score"] < ex["max"], (student, ex_id, ex["status"], ex["feedback"])
        elif ex_id in bad:
            assert ex["score"] == 0, (student, ex_id, ex["status"], ex["feedback"])
        else:
            assert ex["score"] == ex["max"], (student, ex_id, ex["status"], ex["feedback"])


def test_solution_scores_full_marks_and_the_untouched_notebook_zero(graded):
    record = graded["students"]["solution"]
    assert record["status"] == "graded" and record["total"] == record["max_total"] > 0
    assert record["flags"] == []
    untouched = graded["students"]["untouched"]
    assert untouched["total"] == 0
    assert {ex["status"] for ex in untouched["exercises"].values()} == {"not implemented"}


@pytest.mark.parametrize("ex_id", list(EXERCISES))
def test_wrong_variant_loses_its_exercise_only(graded, ex_id):
    """One mistake costs one exercise: later exercises that call it are graded with the
    course's version (the feedback says what --cumulative would give)."""
    student = f"variant_{ex_id.split('.')[1]}"
    _full_marks_except(graded, student, {ex_id}, partial_ok=True)
    ex = _ex(graded, student, ex_id)
    assert ex["score"] < ex["max"] and ex["failures"]


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attack_costs_only_the_attacked_exercise(graded, attack):
    target, _ = ATTACKS[attack]
    record = graded["students"][f"attack_{attack}"]
    assert record["status"] == "graded", record["message"]
    _full_marks_except(graded, f"attack_{attack}",
                       set(EXERCISES) if target == "all" else {target})
    if attack in STATUS:
        statuses = {ex["status"] for k, ex in record["exercises"].items()
                    if target == "all" or k == target}
        assert statuses == {STATUS[attack]}, (attack, statuses)


def test_forging_the_call_on_an_untouched_notebook_gets_nothing(graded):
    record = graded["students"]["attack_forges_call_student_untouched"]
    assert record["total"] == 0 and record["status"] == "graded"
    assert any("studentside" in f for f in record["flags"])


@pytest.mark.parametrize(("attack", "phrase"), [
    ("allclose_patch", "patches np.allclose"), ("checker_patch", "redefines check()"),
    ("ipython_transformer", "get_ipython"), ("frame_walk", "frames"),
    ("forges_call_student", "studentside"), ("kills_parent", "os.kill"),
    ("imports_reference_by_name", "importlib"),
    ("unmounts_and_unshares", "ctypes"), ("fork_exec_shell", "_posixsubprocess"),
    ("forged_messages", "broke the protocol"), ("thread_bomb", "threads"),
    ("deep_patch_target", "nested too deeply"),
])
def test_tampering_is_flagged_for_the_instructor(graded, attack, phrase):
    flags = graded["students"][f"attack_{attack}"]["flags"]
    assert any(phrase in f for f in flags), flags


def test_forged_messages_are_bounded_and_do_not_leak_into_the_next_exercise(graded):
    record = graded["students"]["attack_forged_messages"]
    assert len(record["flags"]) < 100
    assert sum("forged" in f for f in record["flags"]) <= 1
    assert _ex(graded, "attack_forged_messages", "01.sign")["score"] == 1


def test_nothing_is_written_outside_the_sandbox(graded):
    for where, path in graded["planted"].items():
        assert not os.path.lexists(path), f"the sandbox wrote {where}: {path}"
    assert not os.path.exists("/tmp/pwned")
    assert "planted_ghost" not in graded["students"]
    assert _ex(graded, "attack_writes_outside", "01.step")["score"] == 0
    leftovers = [n for n in graded["new_tmp"] if n.startswith(("dlcourse-sandbox", "bomb"))]
    assert leftovers == []


@pytest.mark.parametrize("student", ["attack_leaves_state_behind", "attack_locks_state_behind"])
def test_nothing_survives_from_one_exercise_into_the_next(graded, student):
    _full_marks_except(graded, student, {"01.step"})


def test_legitimate_code_loses_nothing(graded):
    """IPython magics and shell lines, threads: a correct submission keeps full marks."""
    record = graded["students"]["legit_magics_and_threads"]
    assert record["total"] == record["max_total"], record["exercises"]["01.step"]


@pytest.mark.parametrize("student", ["attack_reads_roster", "attack_reads_other_submissions"])
def test_the_class_folder_is_not_visible(graded, student):
    assert _ex(graded, student, "01.step")["score"] == 0


def test_limits_limit(graded):
    keepalive = graded["students"]["attack_progress_keepalive"]
    assert keepalive["seconds"] < TIMEOUT + 10  # progress messages never extend a deadline
    slow = graded["students"]["attack_slow_cells"]
    assert slow["seconds"] < TIMEOUT * (len(EXERCISES) + 1) + 10  # the submission's cap
    assert "over the limit" in _ex(graded, "attack_garbage_on_channel", "01.step")["feedback"]
    assert "MB" in _ex(graded, "attack_oversized_result", "01.step")["feedback"]
    assert "parts" in _ex(graded, "attack_parse_bomb", "01.step")["feedback"]
    assert (graded["out"] / "feedback" / "attack_long_text.md").stat().st_size < 20_000
    assert graded["seconds"] < 240


def test_a_crashing_setup_cell_is_skipped_and_survived(graded):
    for student in ("attack_setup_system_exit", "attack_setup_os_exit"):
        record = graded["students"][student]
        assert record["status"] == "graded", record["message"]
    record = graded["students"]["attack_setup_system_exit"]
    assert record["total"] == record["max_total"]
    notes = [n for ex in record["exercises"].values() for n in ex["notes"]]
    assert any("SystemExit" in n for n in notes)
    os_exit = graded["students"]["attack_setup_os_exit"]
    assert any("was skipped" in n for n in os_exit["notes"])


def test_exercise_found_by_name_when_its_tag_is_gone(graded):
    ex = _ex(graded, "untagged_sign", "01.sign")
    assert ex["score"] == ex["max"] and ex["found_by"] == "name"
    assert any("found by name" in n for n in ex["notes"])


def test_helper_in_another_cell_is_run(graded):
    ex = _ex(graded, "helper_cell", "01.step")
    assert ex["score"] == ex["max"] and any("also ran cell" in n for n in ex["notes"])


def test_missing_exercise_scores_zero_with_a_message(graded):
    _full_marks_except(graded, "missing_sign", {"01.sign"})
    ex = _ex(graded, "missing_sign", "01.sign")
    assert ex["status"] == "not found" and "exercise 01.sign not found" in ex["feedback"]


def test_duplicate_tags_run_in_order(graded):
    _full_marks_except(graded, "duplicate_tags", {"01.step"})
    assert any("2 cells are tagged" in n for n in _ex(graded, "duplicate_tags", "01.step")["notes"])


@pytest.mark.parametrize(("student", "phrase"), [
    ("bad_json", "not valid JSON"), ("truncated", "not valid JSON"),
    ("no_cells", "no code cells"), ("deep_json", "JSON"), ("odd_cells", "not a JSON object"),
    ("binary", "not UTF-8"), ("deep_metadata", "could not be read"),
])
def test_malformed_files_get_a_clear_row(graded, student, phrase):
    record = graded["students"][student]
    assert record["status"] == "malformed" and phrase in record["message"], record["message"]
    assert record["total"] == 0 and len(record["exercises"]) == len(EXERCISES)


@pytest.mark.parametrize(("student", "phrase"), [
    ("linked_solution", "outside the class folder"), ("zero", "outside the class folder"),
    ("fifo", "a FIFO"), ("folder", "a folder"), ("huge", "larger than"),
    ("other_chapter", "chapter 02's"),
])
def test_odd_files_get_a_row_that_says_why(graded, student, phrase):
    record = graded["students"][student]
    assert record["status"] == "not graded" and phrase in record["message"], record["message"]
    assert record["total"] == 0


def test_odd_names_are_graded_under_unique_reversible_ids(graded):
    students = graded["students"]
    by_file = {r["file"]: s for s, r in students.items()}
    for name in ("a_b.ipynb", "a~b.ipynb", "x" * 240 + ".ipynb", "学生作业" * 20 + ".ipynb",
                 "caf\\xe9.ipynb", "my homework (final).ipynb", "nested.ipynb"):
        matches = [s for f, s in by_file.items() if f.endswith(name)]
        assert len(matches) == 1, (name, matches)
        record = students[matches[0]]
        assert record["total"] == record["max_total"], (name, record["message"])
        assert len(matches[0]) <= 80 and matches[0].isascii()
    assert "a_b" in students and students["a_b"]["file"].endswith("a_b.ipynb")
    assert "inner_link" not in students or students["inner_link"]["total"] == \
        students["inner_link"]["max_total"]
    for student in students:
        assert (graded["out"] / "feedback" / f"{student}.md").exists()


def test_null_bytes_cost_only_their_exercise(graded):
    _full_marks_except(graded, "null_bytes", {"01.sign"})


def test_feedback_keeps_hidden_cases_hidden(graded):
    """A step right on the text's case and wrong on every hidden one: its feedback names the
    failing property of each hidden case, never its expected values."""
    ex = _ex(graded, "hidden_probe", "01.step")
    hidden = [c for c in ex["failures"] if c["hidden"]]
    assert len(hidden) == len(ex["failures"]) > 0
    text = (graded["out"] / "feedback" / "hidden_probe.md").read_text()
    assert "hidden case: values" in text and "expected:" not in text
    for case in hidden:
        assert case["expected"] and case["expected"] not in text  # the instructor's copy has it
        assert case["failing_property"] == "values"
    assert "expected:" in (graded["out"] / "feedback" / "variant_step.md").read_text()


def test_outputs_tables_and_feedback(graded):
    out = graded["out"]
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    assert {r["student"] for r in rows} == set(graded["students"])
    solution = next(r for r in rows if r["student"] == "solution")
    assert float(solution["total"]) == float(solution["max"])
    assert list(rows[0])[:5] == ["student", "file", "status", "total", "max"]
    assert [k for k in rows[0] if k.startswith("01.")] == list(EXERCISES)
    meta = graded["meta"]
    assert meta["seed"] == 7 and meta["chapter"] == CHAPTER
    assert meta["isolation"] == sandbox.BUBBLEWRAP and meta["mode"] == "reference"
    assert graded["code"] == 1  # malformed and odd files: not everything could be graded
    formula = next(r for r in rows if r["file"].endswith("=HYPERLINK(1).ipynb"))
    assert formula["message"].startswith("'=")  # text, not a formula, in a spreadsheet
    assert not (out / "records" / "grades.json").exists()


def test_an_interrupted_run_resumes_without_regrading(graded):
    out = graded["out"]
    before = {p.name: p.stat().st_mtime_ns for p in (out / "records").glob("*.json")}
    (out / "grades.csv").unlink()
    bogus = out / "records" / "zz_bogus.json"  # a record this grader did not write: not listed
    bogus.write_text(json.dumps({"chapter": CHAPTER, "exercises": {}}))
    grade.main([str(graded["subs"] / "solution.ipynb"), str(graded["subs"] / "untouched.ipynb"),
                "--out", str(out), "--quiet", "--seed", "7"])
    bogus.unlink()
    after = {p.name: p.stat().st_mtime_ns for p in (out / "records").glob("*.json")}
    assert before == after and (out / "grades.csv").exists()


# ---------------------------------------------------------------- runs of their own


def test_every_chapter_solution_full_and_student_zero(tmp_path):
    for solution in sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb")):
        chapter = notebook_chapter(solution.name)
        if chapter is None:
            continue
        out = tmp_path / chapter
        grade.main([str(solution), str(NOTEBOOKS / solution.name), "--out", str(out),
                    "--quiet", "--jobs", "2"])
        data = json.loads((out / "grades.json").read_text())["students"]
        sol, stu = data[f"solutions__{solution.stem}"], data[f"notebooks__{solution.stem}"]
        assert sol["total"] == sol["max_total"], (solution.name, sol["exercises"])
        assert sol["flags"] == [], (solution.name, sol["flags"])  # no false tamper flags
        assert stu["total"] == 0
        assert {e["status"] for e in stu["exercises"].values()} == {"not implemented"}


def test_one_mistake_costs_one_exercise_unless_cumulative(tmp_path):
    solution = next(SOLUTIONS.glob("06_*.ipynb"))
    nb = nbformat.read(solution, as_version=4)
    _cell_of(nb, "06.dense").source = VARIANTS["06.dense"][0][1]
    subs = tmp_path / "class"
    subs.mkdir()
    nbformat.write(nb, subs / "broken_dense.ipynb")
    callers = [e for e in chapter_exercises("06") if e != "06.dense"
               and "dense_forward" in nbu.loaded_names(_cell_of(nb, e).source)] or ["06.mlp"]
    scores = {}
    for mode in ("reference", "cumulative"):
        out = tmp_path / mode
        args = [str(subs), "--out", str(out), "--quiet", "--seed", "3"]
        grade.main([*args, "--cumulative"] if mode == "cumulative" else args)
        scores[mode] = json.loads((out / "grades.json").read_text())["students"]["broken_dense"]
    ref, cum = scores["reference"]["exercises"], scores["cumulative"]["exercises"]
    assert ref["06.dense"]["score"] < ref["06.dense"]["max"]
    for caller in callers:
        assert ref[caller]["score"] == ref[caller]["max"], ref[caller]
        assert cum[caller]["score"] < cum[caller]["max"], cum[caller]
        assert ref[caller]["other_mode"]["mode"] == "cumulative"
        assert any("--cumulative" in n for n in ref[caller]["notes"])
        assert cum[caller]["other_mode"]["score"] == ref[caller]["max"]


def test_hidden_cases_are_fresh_for_every_run_unless_seeded(tmp_path):
    seeds = []
    for run in range(2):
        out = tmp_path / f"run{run}"
        grade.main([str(SOLUTION), "--out", str(out), "--quiet", "--force"])
        seeds.append(json.loads((out / "grades.json").read_text())["meta"]["seed"])
    assert seeds[0] != seeds[1]
    from dlcourse.grading.plan import ChapterPlan

    a, b = ChapterPlan(CHAPTER, seed=1, n_random=3), ChapterPlan(CHAPTER, seed=2, n_random=3)
    step_a = [c.args[0].tolist() for c in a.cases["01.step"] if c.group == "random"]
    step_b = [c.args[0].tolist() for c in b.cases["01.step"] if c.group == "random"]
    assert step_a and step_a != step_b


def test_command_line_help_and_usage_errors(tmp_path):
    run = [sys.executable, "-m", "dlcourse.grade"]
    result = subprocess.run([*run, "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for option in ("--chapter", "--out", "--jobs", "--timeout", "--memory", "--force",
                   "--cumulative", "--submission-timeout", "--unsafe-process-isolation"):
        assert option in result.stdout
    result = subprocess.run([*run, str(tmp_path / "nothing*.ipynb")], capture_output=True,
                            text=True)
    assert result.returncode == 2 and "no such file" in result.stderr
    loose = tmp_path / "loose.ipynb"
    loose.write_text(nbformat.writes(nbformat.v4.new_notebook()))
    result = subprocess.run([*run, str(loose), "--out", str(tmp_path / "o")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "--chapter" in result.stderr


def test_without_bubblewrap_it_refuses_unless_told_to_run_unsafe(tmp_path, monkeypatch, capsys):
    """Where bubblewrap is unavailable the grader refuses; with the explicit flag it runs the
    child as a plain process (limits, seccomp and the import guard still apply) and says so."""
    from dlcourse.grading import batch

    monkeypatch.setattr(batch, "bubblewrap_problem", lambda: "bwrap is not installed")
    out = tmp_path / "out"
    assert grade.main([str(SOLUTION), "--out", str(out), "--quiet"]) == 2
    assert "--unsafe-process-isolation" in capsys.readouterr().err
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("imports_reference_by_name", "fork_bomb", "os_exit_in_function"):
        nbformat.write(_with_cell(*ATTACKS[name]), subs / f"{name}.ipynb")
    shutil.copy(SOLUTION, subs / "solution.ipynb")
    # a worker left running when its zygote is killed (here for the garbage it sent) must die
    # with it: without a pid namespace nothing else stops it
    pid_file = tmp_path / "worker.pid"
    nbformat.write(_with_cell("01.step", FORGE + "import time\n"
                              f"def step(z):\n    open({str(pid_file)!r}, 'w')"
                              ".write(str(os.getpid()))\n"
                              "    for fd in _channels():\n        try:\n"
                              "            os.write(fd, b'\\x00\\x00\\x00\\x01{')\n"
                              "        except OSError:\n            pass\n"
                              "    while True:\n        try:\n            time.sleep(30)\n"
                              "        except BaseException:  # the case's alarm too\n"
                              "            pass\n"), subs / "abandoned_worker.ipynb")
    code = grade.main([str(subs), "--out", str(out), "--quiet", "--timeout", "3",
                       "--unsafe-process-isolation"])
    worker = {int(pid_file.read_text())}
    end = time.monotonic() + 5
    while _alive(worker) and time.monotonic() < end:
        time.sleep(0.1)
    left = _alive(worker)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "a worker outlived its zygote"
    assert code == 0
    assert "WARNING" in capsys.readouterr().err
    data = json.loads((out / "grades.json").read_text())
    assert data["meta"]["isolation"] == sandbox.PROCESS
    students = data["students"]
    assert students["solution"]["total"] == students["solution"]["max_total"]
    for name in ("imports_reference_by_name", "fork_bomb", "os_exit_in_function"):
        assert students[name]["exercises"]["01.step"]["score"] == 0, name
    assert [p for p in os.listdir(tempfile_dir()) if p.startswith(
        f"dlcourse-sandbox-{os.getpid()}-")] == []


def tempfile_dir() -> str:
    import tempfile

    return tempfile.gettempdir()


def _descendants(pid: int) -> set[int]:
    """The pids below ``pid`` now (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(pid)
        except OSError:
            pass
    return alive


def test_interrupts_locks_and_kills(tmp_path):
    """Ctrl-C stops at once and kills the sandboxes; a second grader on the same folder
    refuses; a killed grader leaves no sandbox behind."""
    subs = tmp_path / "class"
    subs.mkdir()
    for i in range(6):
        nbformat.write(_with_cell(*ATTACKS["endless_loop"]), subs / f"loop{i}.ipynb")
    shutil.copy(SOLUTION, subs / "solution.ipynb")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "dlcourse.grade", str(subs), "--out", str(out), "--jobs",
               "2", "--timeout", "30", "--quiet"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
            "bwrap" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
            for p in _alive(_descendants(first.pid))):
        time.sleep(0.2)
    time.sleep(1.0)
    sandboxes = _descendants(first.pid)
    assert sandboxes, "no sandbox started"
    second = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert second.returncode == 2 and "another grader" in second.stderr
    stopped = time.monotonic()
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=30)
    assert first.returncode == 130, err
    assert time.monotonic() - stopped < 10
    assert "interrupted" in err
    time.sleep(0.5)
    assert _alive(sandboxes) == set()
    assert (out / "grades.csv").exists()  # what was graded is kept; a re-run resumes
    # a killed grader: its sandboxes die with it
    third = subprocess.Popen([*command, "--force"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_alive(_descendants(third.pid))) < 2:
        time.sleep(0.2)
    time.sleep(1.0)
    sandboxes = _descendants(third.pid)
    third.kill()
    third.wait(timeout=30)
    end = time.monotonic() + 10
    while _alive(sandboxes) and time.monotonic() < end:
        time.sleep(0.2)
    assert _alive(sandboxes) == set()


def test_report_and_gradebooks_come_with_the_grades(graded, tmp_path):
    """report.html by default; --lms writes the gradebook CSV; --no-report leaves it out."""
    assert (graded["out"] / "report.html").stat().st_size > 10_000
    assert oct((graded["out"] / "grades.csv").stat().st_mode & 0o777) == "0o644"
    roster = tmp_path / "roster.csv"
    roster.write_text("student,username\nsolution,sol1\nuntouched,unt1\n", encoding="utf-8")
    out = tmp_path / "out"
    code = grade.main([str(SOLUTION), str(STUDENT), "--out", str(out), "--quiet", "--no-report",
                       "--lms", "canvas", "--roster", str(roster)])
    assert code == 0 and not (out / "report.html").exists()
    rows = list(csv.reader((out / "canvas.csv").open(encoding="utf-8")))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1][0] == "Points Possible"
    code = grade.main([str(SOLUTION), "--out", str(tmp_path / "m"), "--quiet", "--lms",
                       "moodle"])
    assert code == 0 and (tmp_path / "m" / "moodle.csv").exists()


def test_nbgraders_layout_gives_the_student_ids(tmp_path):
    """The student ids come from nbgrader's folders, also where a student left a copy of the
    notebook next to it (the LMS knows "alice", not "alice__01_perceptron"), and also when the
    folder is named through a link."""
    for student, source in (("alice", SOLUTION), ("bob", STUDENT)):
        folder = tmp_path / "course" / "submitted" / student / "01_perceptron"
        folder.mkdir(parents=True)
        shutil.copy(source, folder / "01_perceptron.ipynb")
        (folder / "timestamp.txt").write_text("2026-12-01 12:00:00 UTC")
    shutil.copy(STUDENT, folder.parent.parent / "alice" / "01_perceptron" /
                "01_perceptron-Copy1.ipynb")
    (folder / "old").mkdir()  # bob's own notebook is the one in the assignment's folder
    shutil.copy(SOLUTION, folder / "old" / "01_perceptron.ipynb")
    (tmp_path / "linked").symlink_to(tmp_path / "course" / "submitted")
    for n, where in enumerate([str(tmp_path / "course" / "submitted"),
                               str(tmp_path / "course" / "submitted" / "*" / "01_perceptron"),
                               str(tmp_path / "linked")]):
        out = tmp_path / f"out{n}"
        assert grade.main([where, "--out", str(out), "--quiet"]) == 0
        students = json.loads((out / "grades.json").read_text())["students"]
        assert set(students) == {"alice", "bob", "alice__01_perceptron-Copy1",
                                 "bob__01_perceptron"}
        assert students["alice"]["total"] == students["alice"]["max_total"]
        assert students["bob"]["total"] == 0


def test_an_unreadable_folder_gets_a_row(tmp_path, monkeypatch):
    """A folder the grader cannot list (unzipped with mode 000, say) is not skipped silently."""
    from dlcourse.grading import intake

    (tmp_path / "class" / "carol").mkdir(parents=True)
    shutil.copy(SOLUTION, tmp_path / "class" / "alice.ipynb")
    shutil.copy(SOLUTION, tmp_path / "class" / "carol" / "01_perceptron.ipynb")
    scandir = os.scandir

    def refusing(path="."):
        if str(path).endswith("carol"):
            raise PermissionError(13, "Permission denied")
        return scandir(path)

    monkeypatch.setattr(intake.os, "scandir", refusing)
    found = intake.find_submissions([str(tmp_path / "class")])
    problems = {f.student: f.problem for f in found}
    assert problems["alice"] == "" and "could not be read" in problems["carol"]


def test_passes_that_grade_come_first():
    """The passes in the other mode only inform the feedback: they come after every pass that
    grades, so that a slow submission's total time is spent on its grades first."""
    from dlcourse.grading.plan import ChapterPlan, plan_passes
    from dlcourse.grading.submission import locate, parse_submission

    solution = next(SOLUTIONS.glob("06_*.ipynb"))
    plan = ChapterPlan("06", seed=1, n_random=0)
    sub = parse_submission(solution.read_text(encoding="utf-8"), "s", "s", solution.name)
    modes = [p.mode for p in plan_passes(sub, locate(sub, plan.exercises), plan,
                                         cumulative=False, timeout=5)]
    assert "cumulative" in modes
    assert modes == sorted(modes, key=lambda m: m != "reference")


def test_a_message_that_arrived_in_time_is_read_after_the_deadline():
    """A grader thread that could not run for a while (the machine busy) still reads what the
    sandbox sent before the deadline instead of calling it a timeout."""
    script = ("import json, os, sys\n"
              "data = json.dumps({'kind': 'ended'}).encode()\n"
              "os.write(2, len(data).to_bytes(4, 'big') + data)\n"
              "sys.stdin.read()\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    box = sandbox.Sandbox(proc, sandbox.Limits(), None)
    try:
        time.sleep(0.5)  # the message is in the pipe; the deadline has passed
        assert box.receive(time.monotonic() - 1.0) == ("control", {"kind": "ended"})
        with pytest.raises(sandbox.ChannelTimeout):
            box.receive(time.monotonic() - 1.0)
    finally:
        box.kill()
        box.close()


def test_the_limits_on_results_grow_with_the_expected_values():
    """Many --random-cases in a chapter with large results (chapter 08 with 100: 190 MB of
    encoded values for one exercise) must not cost a correct notebook: the per-exercise and
    per-submission limits on what the sandbox sends grow with the run's expected values."""
    from types import SimpleNamespace

    from dlcourse.grading.batch import _limits_for

    defaults = sandbox.Limits()
    small = _limits_for(defaults, SimpleNamespace(expected={"a": [np.zeros(10)] * 5}))
    assert (small.pass_mb, small.results_mb) == (defaults.pass_mb, defaults.results_mb)
    big = _limits_for(defaults, SimpleNamespace(expected={"a": [np.zeros(5 << 20)] * 4,
                                                          "b": [np.zeros(10)]}))
    needed = 4 * (5 << 20) * 8 * 4 // 3  # one exercise's values, base64-encoded
    assert big.pass_mb << 20 > needed and big.results_mb << 20 > 2 * needed


def test_results_beyond_the_submissions_limit_are_not_kept(tmp_path):
    """The grader keeps at most ``results_mb`` of a submission's values for judging (large
    arrays returned by every exercise grew it by 0.9 GB per submission graded in parallel)."""
    from dlcourse.grading import batch

    subs = tmp_path / "class"
    subs.mkdir()
    nbformat.write(_with_cell("01.step", "def step(z):\n    return np.zeros(300_000)\n"),
                   subs / "large_results.ipynb")
    options = batch.Options([str(subs)], out=tmp_path / "out", quiet=True, report=False,
                            limits=sandbox.Limits(timeout=TIMEOUT, results_mb=1))
    batch.grade_class(options)
    record = json.loads((tmp_path / "out" / "grades.json").read_text())["students"][
        "large_results"]
    step = record["exercises"]["01.step"]
    assert step["score"] == 0 and "not kept" in json.dumps(step["failures"])
    assert all(e["score"] == e["max"] for k, e in record["exercises"].items() if k != "01.step")


def test_no_course_version_injected_into_a_pass_defines_the_exercise_graded():
    """In the default mode the course's versions of earlier exercises run after the student's
    cells: one that defined a later exercise's function (or a function name shared by two
    exercises) would replace the student's answer with the reference and earn its credit."""
    from dlcourse.exercises import chapters
    from dlcourse.grading.plan import _solution_cells

    for chapter in chapters():
        exercises = list(chapter_exercises(chapter).values())
        cells, setup = _solution_cells(chapter, SOLUTIONS)
        names = [name for ex in exercises for name in ex.functions]
        assert len(names) == len(set(names)), chapter
        assert not nbu.defined_names(setup) & set(names), chapter
        for i, earlier in enumerate(exercises):
            defined = nbu.defined_names(cells.get(earlier.id, ""))
            for later in exercises[i + 1:]:
                assert not defined & set(later.functions), (earlier.id, later.id)


def test_a_file_graded_under_a_new_id_leaves_no_stale_row(tmp_path):
    """Students of earlier runs stay listed, but not a file graded now under another id: a new
    "Alice.ipynb" makes "alice.ipynb" alice-<hash>, and alice's old grade must not stay listed
    (and be exported) as "alice"."""
    subs, out = tmp_path / "class", tmp_path / "out"
    subs.mkdir()
    shutil.copy(SOLUTION, subs / "alice.ipynb")
    grade.main([str(subs), "--out", str(out), "--quiet", "--no-report"])
    shutil.copy(STUDENT, subs / "alice.ipynb")
    shutil.copy(STUDENT, subs / "Alice.ipynb")
    grade.main([str(subs), "--out", str(out), "--quiet", "--no-report"])
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    assert len(rows) == 2 and {float(r["total"]) for r in rows} == {0.0}, rows


def test_the_summary_prints_no_escape_sequences(tmp_path):
    """File names reach the summary printed to the instructor's terminal: an escape sequence
    in one (clear the screen, write the clipboard) is printed as text."""
    subs = tmp_path / "class"
    subs.mkdir()
    shutil.copy(SOLUTION, subs / "solution.ipynb")
    (subs / "\x1b[2J\x1b]52;c;cHduZWQ=\x07.ipynb").write_text("{")
    result = subprocess.run([sys.executable, "-m", "dlcourse.grade", str(subs), "--out",
                             str(tmp_path / "out"), "--no-report"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and "malformed" in result.stdout
    assert "\x1b" not in result.stdout and "\\x1b[2J" in result.stdout
