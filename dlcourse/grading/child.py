"""The program that runs one submission's code inside the grader's sandbox.

Standalone: standard library, NumPy and ``studentside`` only. The grader starts

    python -I -c BOOTSTRAP

inside the sandbox and writes this file's source, ``studentside.py``'s source and the
configuration to its standard input (see ``BOOTSTRAP``); nothing of the grader is on the
sandbox's disk. Two kinds of process run this program:

- the **zygote** (``main``) applies the resource limits, imports NumPy and the modules the
  submission's set-up cells import, says ``ready`` and then, for each *pass* the grader sends
  (one exercise: the cells to run, the driver, the inputs of the cases), forks a worker, waits
  for it (killing it when its time is up) and reports how it ended. The zygote never runs
  student code, so its reports, on a channel of its own (the original standard error), are
  trusted;
- the **worker** closes the zygote's channels, moves to a process group of its own, installs a
  seccomp filter (no new processes, no exec, no mount, ptrace, unshare, no signals to other
  processes...), runs the pass's cells statement by statement (a failing statement costs only
  itself), calls the student's functions through the driver on each case and sends each case's
  *outcome* on the data channel (the original standard output). Then it exits, so nothing a
  student does in one exercise survives into the next.

An outcome is a value or the name of an exception, never a status or a verdict: the grader
validates every message and judges the values itself. Nothing on the data channel is trusted:
student code shares the worker and can forge anything the worker could send, which is why the
messages carry only data the grader can check. What student code prints goes to /dev/null.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import ctypes
import json
import os
import platform
import resource
import signal
import struct
import sys
import time

# The bootstrap the grader passes to ``python -I -c``: it reads the bundle (the sources of
# studentside and of this program, and the configuration) from standard input, makes both
# modules, and calls ``main``.
BOOTSTRAP = """\
import os, sys, types, json
def _read(n):
    data = b""
    while len(data) < n:
        chunk = os.read(0, n - len(data))
        if not chunk:
            os._exit(70)
        data += chunk
    return data
bundle = json.loads(_read(int.from_bytes(_read(4), "big")))
for _name in ("studentside", "dlcourse_child"):
    _module = types.ModuleType(_name)
    _module.__file__ = "<" + _name + ">"
    sys.modules[_name] = _module
    exec(compile(bundle[_name], "<" + _name + ">", "exec"), _module.__dict__)
del _read, _name, _module
sys.modules["dlcourse_child"].main(bundle["config"])
"""

# ---------------------------------------------------------------- limits and seccomp

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
RET_KILL_PROCESS = 0x80000000
EPERM, ENOSYS = 1, 38
CLONE_THREAD = 0x00010000

# System calls student code never needs: new processes and programs, mounts and namespaces,
# tracing and reading other processes, kernel keyrings, modules and the like; and memory that
# no rlimit counts and that could outlive the worker (memfd, System V shared memory, message
# queues and semaphores, POSIX message queues).
DENIED = ("fork", "vfork", "execve", "execveat", "ptrace", "process_vm_readv",
          "process_vm_writev", "mount", "umount2", "pivot_root", "chroot", "unshare", "setns",
          "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
          "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
          "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
          "reboot", "swapon", "swapoff", "acct", "syslog", "kcmp", "open_by_handle_at",
          "name_to_handle_at", "io_uring_setup", "io_uring_enter", "io_uring_register",
          "personality", "quotactl", "lookup_dcookie", "seccomp", "tkill", "setpgid", "setsid",
          "pidfd_send_signal", "pidfd_open", "pidfd_getfd", "process_madvise",
          "process_mrelease", "memfd_create", "memfd_secret", "shmget", "msgget", "semget",
          "mq_open")
# System calls whose first argument is a process: allowed only for the worker itself (or 0).
OWN_PROCESS_ONLY = ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "prlimit64")

# (audit architecture, syscall numbers) per machine; the numbers are the kernel's ABI.
SYSCALLS = {
    "x86_64": (0xC000003E, {
        "fork": 57, "vfork": 58, "execve": 59, "execveat": 322, "clone": 56, "clone3": 435,
        "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "mount": 165,
        "umount2": 166, "pivot_root": 155, "chroot": 161, "unshare": 272, "setns": 308,
        "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
        "fspick": 433, "mount_setattr": 442, "keyctl": 250, "add_key": 248,
        "request_key": 249, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323,
        "init_module": 175, "finit_module": 313, "delete_module": 176, "kexec_load": 246,
        "kexec_file_load": 320, "reboot": 169, "swapon": 167, "swapoff": 168, "acct": 163,
        "syslog": 103, "kcmp": 312, "open_by_handle_at": 304, "name_to_handle_at": 303,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "personality": 135, "quotactl": 179, "lookup_dcookie": 212, "seccomp": 317,
        "kill": 62, "tgkill": 234, "tkill": 200, "setpgid": 109, "setsid": 112,
        "pidfd_send_signal": 424, "pidfd_open": 434, "pidfd_getfd": 438,
        "process_madvise": 440, "process_mrelease": 448, "rt_sigqueueinfo": 129,
        "rt_tgsigqueueinfo": 297, "prlimit64": 302, "memfd_create": 319, "memfd_secret": 447,
        "shmget": 29, "msgget": 68, "semget": 64, "mq_open": 240}),
    "aarch64": (0xC00000B7, {
        "execve": 221, "execveat": 281, "clone": 220, "clone3": 435, "ptrace": 117,
        "process_vm_readv": 270, "process_vm_writev": 271, "mount": 40, "umount2": 39,
        "pivot_root": 41, "chroot": 51, "unshare": 97, "setns": 268, "move_mount": 429,
        "open_tree": 428, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
        "mount_setattr": 442, "keyctl": 219, "add_key": 217, "request_key": 218, "bpf": 280,
        "perf_event_open": 241, "userfaultfd": 282, "init_module": 105, "finit_module": 273,
        "delete_module": 106, "kexec_load": 104, "kexec_file_load": 294, "reboot": 142,
        "swapon": 224, "swapoff": 225, "acct": 89, "syslog": 116, "kcmp": 272,
        "open_by_handle_at": 265, "name_to_handle_at": 264, "io_uring_setup": 425,
        "io_uring_enter": 426, "io_uring_register": 427, "personality": 92, "quotactl": 60,
        "lookup_dcookie": 18, "seccomp": 277, "kill": 129, "tgkill": 131, "tkill": 130,
        "setpgid": 154, "setsid": 157, "pidfd_send_signal": 424, "pidfd_open": 434,
        "pidfd_getfd": 438, "process_madvise": 440, "process_mrelease": 448,
        "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240, "prlimit64": 261,
        "memfd_create": 279, "memfd_secret": 447, "shmget": 194, "msgget": 186, "semget": 190,
        "mq_open": 180}),
}


def seccomp_program(machine: str, pid: int) -> bytes | None:
    """A classic-BPF seccomp filter for a worker with process id ``pid`` on this machine, or
    None where we have no table.

    Denied calls fail with EPERM; ``clone`` is allowed only for threads (CLONE_THREAD), and
    ``clone3``, whose flags a filter cannot read, fails with ENOSYS so that the C library falls
    back to ``clone``; ``kill``, ``tgkill``, ``rt_sigqueueinfo``, ``rt_tgsigqueueinfo`` and
    ``prlimit64`` may only name the worker itself (so no signal, and no change of limits,
    reaches the zygote or anything else). A call from
    another ABI (x32 on x86_64) is denied; a foreign architecture kills the process.
    """
    if machine not in SYSCALLS:
        return None
    arch, numbers = SYSCALLS[machine]
    denied = [numbers[name] for name in DENIED if name in numbers]
    code: list[tuple] = [  # (op, jump-if-true label, jump-if-false label, k)
        (0x20, None, None, 4),                       # A = arch
        (0x15, None, "kill", arch),                  # if A != arch: kill
        (0x20, None, None, 0),                       # A = syscall number
    ]
    if machine == "x86_64":
        code.append((0x35, "deny", None, 0x40000000))  # x32 ABI calls
    code += [(0x15, "deny", None, nr) for nr in denied]
    code += [(0x15, "clone", None, numbers["clone"]),
             (0x15, "enosys", None, numbers["clone3"])]
    code += [(0x15, "signal", None, numbers[name]) for name in OWN_PROCESS_ONLY]
    code.append((0x06, None, None, RET_ALLOW))
    labels = {"clone": len(code)}
    code += [(0x20, None, None, 16),                 # A = low half of clone's flags
             (0x45, "allow", "deny", CLONE_THREAD)]
    labels["signal"] = len(code)
    code += [(0x20, None, None, 20),                 # A = high half of args[0], the process
             (0x15, None, "deny", 0),                # negative or huge: a process group
             (0x20, None, None, 16),                 # A = low half of the target pid
             (0x15, "allow", None, pid),             # itself
             (0x15, "allow", "deny", 0)]             # 0: its own process group
    labels["allow"] = len(code)
    code.append((0x06, None, None, RET_ALLOW))
    labels["deny"] = len(code)
    code.append((0x06, None, None, RET_ERRNO | EPERM))
    labels["enosys"] = len(code)
    code.append((0x06, None, None, RET_ERRNO | ENOSYS))
    labels["kill"] = len(code)
    code.append((0x06, None, None, RET_KILL_PROCESS))
    out = b""
    for i, (op, jt, jf, k) in enumerate(code):
        jump_t = labels[jt] - i - 1 if jt else 0
        jump_f = labels[jf] - i - 1 if jf else 0
        out += struct.pack("HBBI", op, jump_t, jump_f, k)
    return out


def install_seccomp() -> bool:
    """Install the filter on this process (and the threads it starts later); True if it is on."""
    program = seccomp_program(platform.machine(), os.getpid())
    if program is None or not sys.platform.startswith("linux"):
        return False

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0


def apply_limits(limits: dict[str, int]) -> None:
    for name, value in limits.items():
        kind = getattr(resource, name, None)
        if kind is None:
            continue
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):  # a hard limit already lower: keep it
            _soft, hard = resource.getrlimit(kind)
            resource.setrlimit(kind, (min(value, hard), hard))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails instead of killing


# ---------------------------------------------------------------- the channels to the grader

DATA = -1     # the worker's messages (untrusted: student code can write here too)
CONTROL = -1  # the zygote's messages (trusted: closed in every worker before student code)


def send(message: dict, fd: int | None = None) -> None:
    data = json.dumps(message, allow_nan=False).encode("utf-8")
    view = memoryview(len(data).to_bytes(4, "big") + data)
    while view:
        view = view[os.write(DATA if fd is None else fd, view):]


def receive() -> dict:
    def read(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = os.read(0, n - len(data))
            if not chunk:
                os._exit(0)  # the grader closed the channel: nothing more to do
            data += chunk
        return data

    return json.loads(read(int.from_bytes(read(4), "big")))


# ---------------------------------------------------------------- what student code may not do


def install_watch(log: list[str]) -> None:
    """Note what student code tries beyond its task (reported to the instructor as advisory
    flags); refuse imports of the course package, which the sandbox does not hold anyway."""
    seen: set[str] = set()

    def note(text: str) -> None:
        if text not in seen and len(seen) < 50:
            seen.add(text)
            log.append(text[:200])

    watched = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork",
               "os.forkpty", "os.spawn", "pty.spawn", "os.kill", "os.killpg", "socket.connect",
               "socket.bind", "ctypes.dlopen", "sys.setprofile", "sys.settrace", "os.chdir"}

    def hook(event: str, args: tuple) -> None:
        if event in watched:
            note(f"tried {event}")
        elif event == "import" and args and isinstance(args[0], str) and (
                args[0] == "dlcourse" or args[0].startswith("dlcourse.")):
            note(f"tried to import {args[0]}")
            raise ImportError(f"{args[0]} is not available while grading: exercises must not "
                              "use the course's reference implementation")
        elif event == "open" and args and isinstance(args[0], (str, bytes)):
            path = os.fsdecode(args[0])
            if os.path.isabs(path) and not path.startswith((os.getcwd(), "/dev/null",
                                                             "/proc/self", "/usr", sys.prefix,
                                                             sys.base_prefix)):
                note(f"opened {path[:120]}")

    sys.addaudithook(hook)


# ---------------------------------------------------------------- running a pass


def run_cell(source: str, namespace: dict, label: str) -> list[str]:
    """Execute a cell statement by statement; return the errors it raised (as text)."""
    from studentside import _text

    errors: list[str] = []
    try:
        tree = ast.parse(source, filename=label)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
        return [f"{type(err).__name__}: {_text(err, 300)}"]
    for node in tree.body:
        try:
            code = compile(ast.Module(body=[node], type_ignores=[]), label, "exec")
            exec(code, namespace)
        except BaseException as err:
            if isinstance(err, KeyboardInterrupt):
                raise
            errors.append(f"line {node.lineno}: {type(err).__name__}: {_text(err, 300)}")
    return errors[:20]


def run_pass(job: dict) -> None:
    """The worker's whole life: run the pass's cells, call the cases, report each outcome."""
    import studentside

    def say(message: dict) -> None:
        send({**message, "pass": job["pass"]})

    events: list[str] = []
    install_watch(events)
    namespace: dict = {"__name__": "__main__", "__builtins__": builtins}
    errors: dict[str, list[str]] = {}
    for position, cell in enumerate(job["cells"]):
        say({"kind": "cell", "position": position})
        found = run_cell(cell["source"], namespace, f"<cell {cell['label']}>")
        if found:
            errors[str(position)] = found
    say({"kind": "cells done", "errors": errors})
    cases = [studentside.decode(case) for case in job["cases"]]
    missing = [name for name in job["functions"] if name not in namespace]
    driver = studentside.load_driver(job["drivers"], job["driver_name"])
    impls = tuple(namespace.get(name) for name in job["functions"])
    limit = int(job.get("message_bytes", 1 << 30)) * 3 // 4  # base64 grows the data by 4/3
    timed_out = False
    for index, (args, kwargs) in enumerate(cases):
        if missing:
            outcome = {"raised": "NameError",
                       "message": f"{', '.join(missing)} is not defined (the exercise cell was "
                                  "not found, or it failed before defining it)"}
        elif timed_out:
            outcome = {"raised": "CaseTimeout", "message": "not run: an earlier case did not "
                                                           "finish"}
        else:
            outcome = studentside.call_student(driver, impls, tuple(args), dict(kwargs),
                                               timeout=job["case_timeout"])
            timed_out = outcome.get("raised") == "CaseTimeout"
        if "value" in outcome:
            size = _array_bytes(outcome["value"])
            if size > limit:
                outcome = {"raised": "PlainDataError",
                           "message": f"the result holds {size / 2**20:.0f} MB of numbers; "
                                      f"results must stay under {limit / 2**20:.0f} MB"}
            else:
                try:
                    outcome = {"value": studentside.encode(outcome["value"])}
                except MemoryError:  # the code used nearly all its memory: say so, not "exit"
                    outcome = {"raised": "MemoryError",
                               "message": "ran out of the memory allowed while sending the "
                                          "result"}
                except (ValueError, TypeError, OverflowError, RecursionError) as err:
                    outcome = {"raised": "PlainDataError",
                               "message": f"the result could not be sent: {err}"}
        say({"kind": "outcome", "case": index, "outcome": outcome})
    say({"kind": "pass done", "events": events[-50:]})


def _array_bytes(value, depth: int = 0) -> int:
    """Bytes of numbers in a plain value (arrays and the rest, roughly)."""
    if depth > 30:
        return 0
    if isinstance(value, (list, tuple)):
        return sum(_array_bytes(v, depth + 1) for v in value) + 8 * len(value)
    if isinstance(value, dict):
        return sum(_array_bytes(v, depth + 1) for v in value.values()) + 8 * len(value)
    return int(getattr(value, "nbytes", 8))


# ---------------------------------------------------------------- the zygote


def start_worker(job: dict) -> tuple[int, int]:
    """Fork the worker of one pass. In the worker: close the zygote's channels, lock the
    process down, run the pass, exit. Returns the worker's pid and the read end of a pipe on
    which the worker, before any student code, says whether its seccomp filter is on (``b"1"``)
    and then closes: nothing the student does can write there (in the zygote)."""
    locked_r, locked_w = os.pipe()
    zygote = os.getpid()
    pid = os.fork()
    if pid:
        os.close(locked_w)
        return pid, locked_r
    try:
        os.close(locked_r)
        # killed with the zygote: as a plain process (no pid namespace) a worker in a process
        # group of its own would otherwise outlive a zygote killed at a deadline or on Ctrl-C
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != zygote:
            os._exit(73)
        os.close(0)
        os.close(CONTROL)
        os.setpgid(0, 0)
        if not install_seccomp():
            os.close(locked_w)
            if job.get("seccomp_required"):
                os._exit(71)
        else:
            os.write(locked_w, b"1")
            os.close(locked_w)
        run_pass(job)
        os._exit(0)
    except BaseException:
        os._exit(72)


def wait_worker(pid: int, seconds: float) -> dict:
    """Wait for the worker, killing it when its time is up; how it ended, for the grader."""
    deadline = time.monotonic() + seconds
    start = time.monotonic()
    killed = False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() >= deadline and not killed:
            os.kill(pid, signal.SIGKILL)
            killed = True
        time.sleep(0.005 if time.monotonic() - start < 1 else 0.02)
    return {"kind": "ended", "killed": killed,
            "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "seconds": round(time.monotonic() - start, 3)}


def main(config: dict) -> None:
    """The zygote: set up, preload the modules the set-up cells import, say ready, then run
    each pass the grader sends in a fresh forked worker and report how the worker ended.
    It never runs student code itself."""
    global DATA, CONTROL
    DATA, CONTROL = os.dup(1), os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    apply_limits(config.get("limits", {}))
    with contextlib.suppress(Exception):  # no /proc/<pid>/mem for the workers to write into
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    workdir = config.get("workdir", "/tmp")
    os.chdir(workdir)
    for name in config.get("preload", []):
        with contextlib.suppress(Exception):
            __import__(name)
    import studentside  # noqa: F401 - ready for every worker

    filtered = seccomp_program(platform.machine(), 1) is not None
    send({"kind": "ready", "seccomp": filtered, "python": platform.python_version()}, CONTROL)
    while True:
        job = receive()
        if job.get("kind") != "pass":
            os._exit(0)
        pid, locked = start_worker(job)
        ended = wait_worker(pid, float(job.get("seconds", 60)))
        try:
            filtered = os.read(locked, 1) == b"1"
        finally:
            os.close(locked)
        # exit status 71 is ours only when the worker never said its filter was on (student
        # code can call os._exit(71) too, but only after the filter)
        ended["seccomp_failed"] = ended["code"] == 71 and not filtered
        ended["clean"] = wipe(workdir)
        send({**ended, "pass": job["pass"]}, CONTROL)


def wipe(folder: str) -> bool:
    """Empty the scratch folder between workers, so that no file of one exercise is there for
    the next one; True if it is empty now. Folders the worker made unreadable or read-only
    (``chmod 0``, the scratch folder itself included) are opened up first. When something is
    left (a tree too deep to remove, say), the grader replaces the whole sandbox."""
    import shutil

    try:
        os.chmod(folder, 0o755)
        stack = [folder]
        while stack:  # open every folder up, without recursion (trees may be deep)
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        os.chmod(entry.path, 0o700)
                        stack.append(entry.path)
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
        return not os.listdir(folder)
    except Exception:  # OSError, RecursionError (rmtree of a very deep tree)...
        return False
