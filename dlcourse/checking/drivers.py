"""Drivers: how a check calls the student's code on one test case.

A driver is a function ``driver(impls, args, kwargs) -> result``. ``impls`` is the tuple of the
student's functions or classes for the exercise (or the reference ones, in the same order).
The driver's result is turned into plain data and compared with the same driver applied to the
reference implementation.

The two drivers every chapter uses:

- ``call`` calls the one function with the case's arguments (``call_strict`` calls each of
  several functions on fresh copies, with NumPy told to raise on overflow);
- ``forward_backward`` runs a layer written as a forward/backward pair (CS231n style):
  ``out, cache = forward(*args, **kwargs)``, then ``grads = backward(dout, cache)`` with the
  student's own cache; the case gives the upstream gradient as ``kwargs["dout"]``.

Every driver refuses code that changes an array it was given in place (in a notebook that would
silently change the caller's data): ``refuse_changes`` says which argument changed and what to
write instead, the same way everywhere.

Drivers run next to student code, also inside the grader's sandbox, where only NumPy (as ``np``)
and the standard library are available. The sandbox gets this module's source whole, then the
source of a driver defined elsewhere (``driver_sources``), so a driver may use ``np``, builtins,
the functions of this module and modules it imports inside its own body (torch, for instance),
nothing else. ``tests/test_exercises.py`` rebuilds every exercise's driver that way and runs it.
"""

from __future__ import annotations

import numpy as np

# ---------------------------------------------------------------- shared helpers


def same(now, before) -> bool:
    """Whether ``now`` still holds what ``before`` (a deep copy taken earlier) held: arrays
    equal in shape and values (NaN equal to NaN), also inside lists, tuples and dicts."""
    if isinstance(before, np.ndarray):
        return (isinstance(now, np.ndarray) and now.shape == before.shape
                and np.array_equal(now, before, equal_nan=before.dtype.kind in "fc"))
    if isinstance(before, (list, tuple)):
        return (isinstance(now, (list, tuple)) and len(now) == len(before)
                and all(same(a, b) for a, b in zip(now, before, strict=True)))
    if isinstance(before, dict):
        return isinstance(now, dict) and all(k in now and same(now[k], v)
                                             for k, v in before.items())
    return True


def parameter_names(fn) -> list[str]:
    """The names of ``fn``'s parameters, in order ([] where Python cannot tell)."""
    import inspect

    try:
        return list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return []


def refuse_changes(fn, args, kept, kwargs=None, kept_kwargs=None, others=None, by="",
                   example=""):
    """Raise ``ValueError`` if ``fn`` changed an argument in place.

    ``args`` and ``kwargs`` are what ``fn`` was given, ``kept`` and ``kept_kwargs`` deep copies
    taken before the call; ``others`` maps more names to ``(now, before)`` pairs (the upstream
    gradient a backward was given, say). Positional arguments are named after ``fn``'s
    parameters. ``by`` names the function in the message where a driver calls several;
    ``example`` replaces the general advice with the exercise's own formula.
    """
    names = parameter_names(fn)
    changed = [names[i] if i < len(names) else f"argument {i + 1}"
               for i, (now, before) in enumerate(zip(args, kept, strict=True))
               if not same(now, before)]
    changed += [k for k, v in (kwargs or {}).items() if not same(v, (kept_kwargs or {})[k])]
    changed += [name for name, (now, before) in (others or {}).items() if not same(now, before)]
    if changed:
        w = changed[0]
        example = example or (f"e.g. {w}_new = {w} - ..., not {w} -= ... or {w}[...] = ...; "
                              f"or work on {w}.copy()")
        raise ValueError(f"{' and '.join(changed)} {'was' if len(changed) == 1 else 'were'} "
                         f"changed in place{by}; return new arrays ({example}).")


def returned_pair(result, fn, names, note=""):
    """``result`` as a pair, or a ``TypeError`` saying that ``fn`` must return ``names``."""
    if isinstance(result, (tuple, list)) and len(result) == 2:
        return result
    length = f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""
    raise TypeError(f"{getattr(fn, '__name__', 'the function')} must return the pair {names}"
                    f"{note}; got {type(result).__name__}{length}.")


# ---------------------------------------------------------------- calling functions


def call(impls, args, kwargs):
    """Call the (single) function with the case's arguments.

    Raises ``ValueError`` if the function changed an array it was given (also one inside a
    list, tuple or dict) in place: in a notebook that would silently change the caller's data.
    """
    import copy

    kept = copy.deepcopy((args, kwargs))
    result = impls[0](*args, **kwargs)
    refuse_changes(impls[0], args, kept[0], kwargs, kept[1])
    return result


def call_strict(impls, args, kwargs):
    """Call each of the student's functions (e.g. f, then its derivative) on fresh copies of
    the case's arguments; return the result, or a tuple of results for several functions.

    NumPy is told to raise on overflow, invalid operations (inf − inf, 0/0) and division by
    zero, so an unstable formula fails even where its rounded result happens to be right.
    A function that changes its input in place fails too.
    """
    import copy

    results = []
    for fn in impls:
        fresh, fresh_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                results.append(fn(*fresh, **fresh_kwargs))
        except FloatingPointError as err:
            raise FloatingPointError(
                f"in {fn.__name__}: NumPy reports '{err}'. Some intermediate value overflowed, "
                "became 0/0 or took log(0) (exp of a large number? an np.where whose other "
                "branch overflows? log of a probability that underflowed to 0?), even if the "
                "final values may look right: rewrite the formula so that every step stays "
                "finite.") from None
        refuse_changes(fn, fresh, args, fresh_kwargs, kwargs,
                       by=f" by {fn.__name__}" if len(impls) > 1 else "")
    return results[0] if len(results) == 1 else tuple(results)


def call_with_tensors(impls, args, kwargs):
    """Call the function with every array argument turned into a float64 torch tensor."""
    import torch

    def to_tensor(v):
        if isinstance(v, np.ndarray):
            return torch.from_numpy(v.copy())
        return v

    return impls[0](*[to_tensor(a) for a in args], **{k: to_tensor(v) for k, v in kwargs.items()})


# ---------------------------------------------------------------- layers: forward, backward


def forward_backward(impls, args, kwargs):
    """``(out, grads)`` of a layer written as a pair: ``out, cache = forward(*args, **kwargs)``,
    then ``grads = backward(dout, cache)`` with the forward's own cache, whatever it holds.

    ``kwargs["dout"]`` is the upstream gradient; every other keyword goes to the forward. Each
    argument is copied on its own first (no two share memory), and the call fails if the
    forward does not return a pair or either function changes an array it was given in place.

    ``kwargs["speed"]``, where a case gives it, also times the pair (see ``check_speed``).
    """
    import copy

    kwargs = dict(kwargs)
    dout = kwargs.pop("dout")
    speed = kwargs.pop("speed", None)
    forward, backward = impls[0], impls[1]
    given = [copy.deepcopy(a) for a in args]
    given_kwargs = {k: copy.deepcopy(v) for k, v in kwargs.items()}
    given_dout = copy.deepcopy(dout)
    out, cache = returned_pair(forward(*given, **given_kwargs), forward, "(out, cache)",
                               ", like every layer")
    grads = backward(given_dout, cache)
    dout_name = (parameter_names(backward) or ["dout"])[0]
    refuse_changes(forward, given, args, given_kwargs, kwargs,
                   others={dout_name: (given_dout, dout)})
    if speed is not None:
        check_speed(lambda: backward(dout, forward(*args, **kwargs)[1]), speed)
    return out, grads


def forward_stats_backward(impls, args, kwargs):
    """``(out, new_running_mean, new_running_var, grads)`` for batch norm's three functions.

    ``impls`` = (forward, backward, running_stats); ``args`` = (x, gamma, beta, running_mean,
    running_var). The forward and backward run as in ``forward_backward``; then
    ``new_running_mean, new_running_var = running_stats(x, running_mean, running_var,
    momentum=momentum)``, ``momentum`` being taken out of ``kwargs``. The same checks apply to
    the third function: it returns a pair and changes none of its inputs.
    """
    import copy

    kwargs = dict(kwargs)
    momentum = kwargs.pop("momentum")
    out, grads = forward_backward(impls[:2], args, kwargs)
    stats_args = [args[0], args[3], args[4]]
    given = [copy.deepcopy(a) for a in stats_args]
    mean, var = returned_pair(impls[2](*given, momentum=momentum), impls[2],
                              "(new_running_mean, new_running_var)")
    refuse_changes(impls[2], given, stats_args,
                   example="new_running_mean = (1 − momentum)·running_mean + momentum·mean, "
                           "not running_mean *= ...")
    return out, mean, var, grads


def check_speed(run, speed):
    """Raise ``RuntimeError`` ("too slow") if ``run()`` takes more than ``speed["factor"]``
    times as long as the yardstick ``speed["einsums"]``: ``[[subscripts, [shape, ...]], ...]``.

    The yardstick is ``np.einsum`` of those subscripts on random arrays of those shapes (the
    first operand copied first, as an im2col copies the windows), timed in this same process,
    so the test means the same on any machine. It is einsum's own C loop (no optimize, no BLAS),
    which a busy machine cannot slow by making threads fight over the cores. Both times are the
    fastest of up to five interleaved rounds.
    """
    import time

    def best(fn, repeat):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)

    rng = np.random.default_rng(0)
    stick = [(str(spec), [rng.random(tuple(int(s) for s in shape)) for shape in shapes])
             for spec, shapes in speed["einsums"]]

    def yardstick():
        for spec, (first, *rest) in stick:
            np.einsum(spec, first.copy(), *rest, optimize=False)

    factor = float(speed["factor"])
    took = stick_took = float("inf")
    for _round in range(5):
        stick_took = min(stick_took, best(yardstick, 3))
        took = min(took, best(run, 1))
        if took <= factor * stick_took:
            return
    raise RuntimeError(
        f"too slow: forward + backward took {1e3 * took:.0f} ms on this case, "
        f"{took / stick_took:.0f} times as long as NumPy's einsum over arrays of the same "
        f"sizes ({1e3 * stick_took:.2f} ms, timed just now); at most {factor:g} times is "
        "allowed. Is there a Python loop over every single output value?")


# ---------------------------------------------------------------- shipping drivers


def net_with_weights(net_class, config, weights):
    """Build ``net_class(**config)`` after ``torch.manual_seed(0)`` and load ``weights`` (a
    dict of arrays, float64) into it. Returns ``(names, shapes, n_params, net)``: the names,
    shapes and count of the student's parameters, and the net in eval mode, or ``None`` when
    its parameters do not match the weights' names and shapes (those then say why)."""
    import torch

    torch.manual_seed(0)
    net = net_class(**config)
    state = net.state_dict()
    names = list(state)
    shapes = [tuple(int(s) for s in v.shape) for v in state.values()]
    n_params = int(sum(p.numel() for p in net.parameters()))
    expected_shapes = [tuple(int(s) for s in w.shape) for w in weights.values()]
    if names != list(weights) or shapes != expected_shapes:
        return names, shapes, n_params, None
    net = net.double()
    net.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in weights.items()})
    net.eval()
    return names, shapes, n_params, net


def driver_sources(driver) -> list[str]:
    """The source texts that rebuild ``driver`` where only NumPy is importable (the grader's
    sandbox): this module whole, so that drivers can share its helpers, then the driver's own
    source if it is defined elsewhere. ``studentside.load_driver`` runs them in order."""
    import inspect
    import sys

    library = inspect.getsource(sys.modules[__name__])
    if getattr(driver, "__module__", None) == __name__:
        return [library]
    return [library, inspect.getsource(driver)]
