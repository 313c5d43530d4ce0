"""Data-parallel training with ``torch.distributed``, and the ring all-reduce behind it.

Seed 002 ("Distributed Training: Data Parallelism") splits every batch across workers: each
worker holds a full copy of the model, computes the gradient on its share of the batch, and the
workers then *average* their gradients so that every copy takes the same step. Averaging is an
**all-reduce**; Horovod (the seed's example) does it with the **ring** algorithm, which
``ring_all_reduce`` simulates in NumPy.

Why it is exact: with a mean loss and equal shares, the gradient on the whole batch of size B is
the average of the shares' gradients,

    ∇ (1/B) Σ_{i ≤ B} ℓ_i = (1/P) Σ_{p ≤ P} ∇ (P/B) Σ_{i in share p} ℓ_i,

so P workers with all-reduced gradients train exactly the model one process would train on the
whole batch (up to floating-point rounding).

The real thing runs here with ``torch.distributed``: ``train_data_parallel`` starts ``world_size``
processes on this machine with ``torch.multiprocessing`` (the worker, ``data_parallel_worker``,
is importable from this module, as spawn requires) and the **gloo** backend on the CPU. They meet
through a file in a fresh temporary directory (no port to pick, so parallel test runs cannot
collide) and talk over the loopback interface 127.0.0.1 only. On a machine with several GPUs the
same code would use the NCCL backend with one GPU per process (``device=f"cuda:{rank}"``); gloo
on the CPU is what every laptop has, so the course uses it.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from dlcourse._validate import as_array, positive_int, public_name, real_in_range

# ----------------------------------------------------------------------------- ring all-reduce


def ring_all_reduce(arrays: Sequence[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """Sum P equally shaped arrays, one per worker, the way a ring of P workers does it.

    Each worker cuts its array into P chunks (``np.array_split`` of the flattened array). Worker
    p sends only to worker p + 1 (mod P). Two phases of P − 1 steps each:

    1. **reduce-scatter**: at step s, worker p sends its running sum of chunk (p − s) mod P to
       its neighbour, who adds it to its own. After P − 1 steps worker p holds the complete sum
       of chunk (p + 1) mod P.
    2. **all-gather**: at step s, worker p passes the complete chunk (p + 1 − s) mod P on; the
       neighbour overwrites its copy. After P − 1 steps every worker has every summed chunk.

    Every worker sends 2(P − 1) chunks of about n/P numbers, 2(P − 1)/P · n in all: almost
    independent of P, which is why the ring scales (a parameter server receives P · n).

    arrays: P arrays of the same shape, P ≥ 1. Returns ``(reduced, sent)``: the P results (each
    equal to the sum, same shape as the inputs) and an int64 array (P,) with the number of
    values each worker sent. Equals ``dist.all_reduce(t, op=SUM)`` on every worker.
    """
    if isinstance(arrays, np.ndarray) or not isinstance(arrays, Sequence) or not arrays:
        raise TypeError(f"{public_name()}: arrays must be a non-empty list with one array per "
                        f"worker; got {type(arrays).__name__}.")
    data = [as_array(a, f"arrays[{p}]") for p, a in enumerate(arrays)]
    shape = data[0].shape
    for p, a in enumerate(data):
        if a.shape != shape:
            raise ValueError(f"{public_name()}: every worker's array must have the same shape; "
                             f"arrays[0] is {shape} but arrays[{p}] is {a.shape}.")
    P = len(data)
    chunks = [[c.copy() for c in np.array_split(a.ravel(), P)] for a in data]
    sent = np.zeros(P, dtype=np.int64)
    for s in range(P - 1):                                   # reduce-scatter
        messages = [chunks[p][(p - s) % P].copy() for p in range(P)]
        for p in range(P):
            c = (p - s) % P
            chunks[(p + 1) % P][c] += messages[p]
            sent[p] += messages[p].size
    for s in range(P - 1):                                   # all-gather
        messages = [chunks[p][(p + 1 - s) % P].copy() for p in range(P)]
        for p in range(P):
            c = (p + 1 - s) % P
            chunks[(p + 1) % P][c] = messages[p]
            sent[p] += messages[p].size
    return [np.concatenate(ch).reshape(shape) for ch in chunks], sent


# ----------------------------------------------------------------------------- the model


def make_mlp(n_in: int = 64, hidden: int = 32, n_out: int = 10, seed: int = 0):
    """The small float64 MLP n_in-hidden-n_out (ReLU) trained in the data-parallel demo.

    Built after ``torch.manual_seed(seed)``, so every process that calls this gets the same
    initial weights (DistributedDataParallel would also broadcast rank 0's weights).
    """
    import torch

    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(n_in, hidden), torch.nn.ReLU(),
                               torch.nn.Linear(hidden, n_out)).double()


def batch_indices(n: int, batch_size: int, steps: int, seed: int) -> np.ndarray:
    """The global batches of the demo: (steps, batch_size) example indices, drawn without
    replacement within each batch from one seeded generator. Every process draws the same
    ones and keeps its own share."""
    rng = np.random.default_rng(seed)
    return np.stack([rng.choice(n, size=batch_size, replace=False) for _ in range(steps)])


def _state(model) -> dict[str, np.ndarray]:
    return {k: v.detach().cpu().numpy().copy() for k, v in model.state_dict().items()}


def train_single_process(X: np.ndarray, y: np.ndarray, *, steps: int = 10,
                         batch_size: int = 64, lr: float = 0.5, hidden: int = 32,
                         seed: int = 0, device: Any = None) -> dict[str, Any]:
    """The reference for the data-parallel run: one process, the whole batch at every step.

    Same model, batches and optimizer (plain SGD) as ``train_data_parallel``. Returns a dict
    with ``first_grads`` (the gradients of the first step, by parameter name), ``losses``
    (steps,) and ``state`` (the final weights), all NumPy.
    """
    import torch

    from dlcourse.training import _resolve

    device = _resolve(device)
    X_t = torch.as_tensor(np.array(X, dtype=np.float64), device=device)
    y_t = torch.as_tensor(np.array(y, dtype=np.int64), device=device)
    model = make_mlp(X_t.shape[1], hidden, int(y_t.max()) + 1, seed).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    first_grads, losses = None, []
    for idx in batch_indices(len(X_t), batch_size, steps, seed):
        idx = torch.as_tensor(idx, device=device)
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(X_t[idx]), y_t[idx])
        loss.backward()
        if first_grads is None:
            first_grads = {k: p.grad.detach().cpu().numpy().copy()
                           for k, p in model.named_parameters()}
        optimizer.step()
        losses.append(float(loss.detach()))
    return {"first_grads": first_grads, "losses": np.array(losses), "state": _state(model)}


# ----------------------------------------------------------------------------- the workers


def _init_gloo(rank: int, world_size: int, store_file: str, timeout: float) -> None:
    """Join the process group: a file rendezvous, gloo over 127.0.0.1 only."""
    import torch.distributed as dist

    kwargs: dict[str, Any] = {}
    gloo = getattr(dist, "ProcessGroupGloo", None)
    try:  # pin gloo's transport to the loopback interface (a private option; fall back if gone)
        options = gloo._Options()
        options._devices = [gloo.create_device(hostname="127.0.0.1")]
        kwargs["pg_options"] = options
    except AttributeError:
        os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo0" if os.uname().sysname == "Darwin"
                              else "lo")
    dist.init_process_group("gloo", init_method=f"file://{store_file}", rank=rank,
                            world_size=world_size,
                            timeout=datetime.timedelta(seconds=timeout), **kwargs)


def data_parallel_worker(rank: int, world_size: int, store_file: str, out_dir: str,
                         X: np.ndarray, y: np.ndarray, config: dict[str, Any]) -> None:
    """What each of the ``world_size`` processes runs (the target of ``mp.start_processes``).

    1. all-reduce a small random vector (a different one per rank), to compare with
       ``ring_all_reduce``;
    2. data-parallel SGD by hand: each step, this rank's share of the global batch, backward,
       ``dist.all_reduce`` of every gradient (sum), divide by the world size, step;
    3. if ``config["ddp"]``, the same training with
       ``torch.nn.parallel.DistributedDataParallel``, which does that all-reduce for us inside
       ``backward()`` (bucketed, overlapped with the computation). It is off by default only
       because its first use imports a large part of torch (seconds per process).

    Results go to ``out_dir/rank{rank}.pt`` (NumPy arrays in a dict). On success the process
    ends with ``os._exit(0)``, skipping the interpreter's slow tear-down of torch.
    """
    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)
    _init_gloo(rank, world_size, store_file, config["timeout"])
    try:
        result: dict[str, Any] = {}
        vector = torch.as_tensor(np.random.default_rng(1000 + rank).normal(size=7))
        result["vector"] = vector.numpy().copy()
        dist.all_reduce(vector, op=dist.ReduceOp.SUM)
        result["all_reduced_vector"] = vector.numpy().copy()

        X_t = torch.as_tensor(np.array(X, dtype=np.float64))
        y_t = torch.as_tensor(np.array(y, dtype=np.int64))
        batches = batch_indices(len(X_t), config["batch_size"], config["steps"], config["seed"])
        share = config["batch_size"] // world_size
        n_out = int(y_t.max()) + 1

        for mode in ("manual", "ddp") if config["ddp"] else ("manual",):
            model = make_mlp(X_t.shape[1], config["hidden"], n_out, config["seed"])
            trained = model
            if mode == "ddp":
                trained = torch.nn.parallel.DistributedDataParallel(model)
            optimizer = torch.optim.SGD(trained.parameters(), lr=config["lr"])
            losses = []
            for step, idx in enumerate(batches):
                mine = torch.as_tensor(idx[rank * share:(rank + 1) * share])
                optimizer.zero_grad()
                loss = torch.nn.functional.cross_entropy(trained(X_t[mine]), y_t[mine])
                loss.backward()
                if mode == "manual":
                    if step == 0:
                        result["local_grads"] = {k: p.grad.numpy().copy()
                                                 for k, p in model.named_parameters()}
                    for p in model.parameters():
                        dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
                        p.grad /= world_size
                if step == 0:
                    result[f"{mode}_first_grads"] = {k: p.grad.numpy().copy()
                                                     for k, p in model.named_parameters()}
                optimizer.step()
                losses.append(float(loss.detach()))
            result[f"{mode}_losses"] = np.array(losses)
            result[f"{mode}_state"] = _state(model)
        torch.save(result, os.path.join(out_dir, f"rank{rank}.pt"))
        dist.barrier()
    finally:
        dist.destroy_process_group()
    if multiprocessing.parent_process() is not None:  # a spawned worker, not a direct call
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def train_data_parallel(X: np.ndarray, y: np.ndarray, *, world_size: int = 2, steps: int = 10,
                        batch_size: int = 64, lr: float = 0.5, hidden: int = 32, seed: int = 0,
                        ddp: bool = False, timeout: float = 60.0) -> list[dict[str, Any]]:
    """Run ``data_parallel_worker`` in ``world_size`` fresh processes and collect their results.

    The processes are started with ``torch.multiprocessing`` (method 'spawn', which works from
    a Jupyter kernel and on every OS), meet through a file in a new temporary directory, and
    use gloo on the CPU over 127.0.0.1. ``batch_size`` must be divisible by ``world_size``
    (equal shares make the averaged gradient exact). If the workers do not finish within
    ``timeout`` seconds they are stopped and a ``TimeoutError`` says so.

    Returns one dict per rank, with NumPy arrays: ``vector`` and ``all_reduced_vector`` (the
    all-reduce test), ``local_grads`` (this rank's own gradients at the first step),
    ``manual_first_grads`` (after averaging), ``manual_losses`` (this rank's share's loss at
    every step) and ``manual_state`` (the final weights); with ``ddp=True`` also
    ``ddp_first_grads``, ``ddp_losses`` and ``ddp_state`` from DistributedDataParallel.
    """
    import torch
    import torch.multiprocessing as mp

    world_size = positive_int(world_size, "world_size")
    steps = positive_int(steps, "steps")
    batch_size = positive_int(batch_size, "batch_size")
    hidden = positive_int(hidden, "hidden")
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    timeout = real_in_range(timeout, "timeout", low=0.0, low_open=True)
    if batch_size % world_size:
        raise ValueError(f"{public_name()}: batch_size ({batch_size}) must be divisible by "
                         f"world_size ({world_size}) so that every worker gets an equal share.")
    X = as_array(X, "X", ndim=2, layout="(n, D)")
    y = np.asarray(y, dtype=np.int64)
    if y.shape != (X.shape[0],):
        raise ValueError(f"{public_name()}: y must hold one class label per row of X; got X "
                         f"{X.shape} and y {y.shape}.")
    if batch_size > X.shape[0]:
        raise ValueError(f"{public_name()}: batch_size ({batch_size}) is larger than the data set "
                         f"({X.shape[0]} rows).")
    config = {"steps": steps, "batch_size": batch_size, "lr": lr, "hidden": hidden,
              "seed": int(seed), "timeout": timeout, "ddp": bool(ddp)}
    work = tempfile.mkdtemp(prefix="dlcourse_ddp_")
    try:
        context = mp.start_processes(
            data_parallel_worker,
            args=(world_size, os.path.join(work, "rendezvous"), work, X, y, config),
            nprocs=world_size, join=False, start_method="spawn")
        deadline = time.monotonic() + timeout
        while not context.join(timeout=max(0.1, deadline - time.monotonic())):
            if time.monotonic() >= deadline:
                for process in context.processes:
                    if process.is_alive():
                        process.terminate()
                raise TimeoutError(f"{public_name()}: the {world_size} workers did not finish "
                                   f"within {timeout:g} s; they were stopped.")
        return [torch.load(os.path.join(work, f"rank{r}.pt"), weights_only=False)
                for r in range(world_size)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
