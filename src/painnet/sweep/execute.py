"""Run sweep batches: in this process, in a local process pool, or on a Dask cluster.

The worker, :func:`run_batch`, is a top-level function with plain-data arguments, so every
executor ships the same work; a member's result depends only on its config and stream key, so
the executors (and batch sizes) give identical results.
"""

from __future__ import annotations

import gc
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass

from painnet.sweep.points import Batch


@dataclass
class BatchJob:
    """Everything a worker needs for one batch, as plain data (small: values, not configs)."""

    batch_id: str
    base: dict  # the sweep's base config (JSON form, without its sweep section)
    members: list[dict]  # [{"point_id", "point_index", "replicate", "stream_key", "values"}]
    threads: int = 1


def make_job(batch: Batch, base: dict, threads: int = 1) -> BatchJob:
    """The plain-data job for ``batch``; ``base`` is the base config's JSON form."""
    members = [
        {
            "point_id": m.point.id,
            "point_index": m.point.index,
            "replicate": m.replicate,
            "stream_key": m.stream_key,
            "values": m.point.values,
        }
        for m in batch.members
    ]
    return BatchJob(batch.id, base, members, threads)


def _flatten(summary: dict) -> dict:
    """Scalar readouts with dotted names: ``windup_ratio``, ``NS.windup_ratio``..."""
    out = {}
    for key, value in summary.items():
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, int | float):
                    out[f"{key}.{k}"] = v
        elif isinstance(value, int | float):
            out[key] = value
    return out


def run_batch(job: BatchJob) -> tuple[str, list[dict] | None, str | None]:
    """Simulate one batch; returns ``(batch_id, rows, None)`` or ``(batch_id, None, traceback)``.

    Never raises: a failing batch is reported with its id and traceback so the others go on.
    """
    try:
        import numba

        from painnet.config.loading import apply_overrides, config_from_dict
        from painnet.model import PainModel
        from painnet.run import advance_to_end, member_summaries
        from painnet.slowclock import resolved_clock
        from painnet.slowclock.clock import simulate_slow
        from painnet.slowclock.transfer import for_config, network_key

        numba.set_num_threads(max(1, min(job.threads, numba.config.NUMBA_NUM_THREADS)))
        members = [config_from_dict(apply_overrides(job.base, m["values"])) for m in job.members]
        base = members[0]
        keys = [m["stream_key"] for m in job.members]
        if resolved_clock(base) == "slow":
            transfer = for_config(base)
            mismatch = [i for i, m in enumerate(members) if network_key(m) != transfer.key]
            if mismatch:
                raise ValueError(
                    f"sweep point {job.members[mismatch[0]]['point_id']} changes the network the "
                    "slow clock's transfer table was measured on; sweep it on the fast clock"
                )
            model = simulate_slow(base, transfer, members, keys)
            summaries = model.summaries()
        else:
            model = PainModel(base, members=members, stream_keys=keys)
            advance_to_end(model)
            summaries = member_summaries(model)
        rows = []
        for m, summary in zip(job.members, summaries, strict=True):
            rows.append(
                {
                    "point_index": m["point_index"],
                    "point_id": m["point_id"],
                    "replicate": m["replicate"],
                    "seed": base.run.seed,
                    "stream_key": m["stream_key"],
                    **m["values"],
                    **_flatten(summary),
                }
            )
        # Models and agents reference each other; free this batch's arrays now rather than when
        # the cyclic garbage collector next runs (memory then stays flat over many batches).
        del model
        gc.collect()
        return job.batch_id, rows, None
    except Exception:  # reported per batch, with its traceback, by the caller
        return job.batch_id, None, traceback.format_exc()


Result = tuple[str, list[dict] | None, str | None]


def run_local(jobs: Iterable[BatchJob]) -> Iterator[Result]:
    """Run batches one after another in this process."""
    for job in jobs:
        yield run_batch(job)


def _bounded(
    submit: Callable, wait_any: Callable, jobs: Iterable[BatchJob], window: int
) -> Iterator[Result]:
    """Keep at most ``window`` jobs in flight, so memory stays flat however many there are."""
    pending: set = set()
    for job in jobs:
        pending.add(submit(job))
        if len(pending) >= window:
            done, pending = wait_any(pending)
            yield from (f.result() for f in done)
    while pending:
        done, pending = wait_any(pending)
        yield from (f.result() for f in done)


def run_processes(jobs: Iterable[BatchJob], workers: int) -> Iterator[Result]:
    """Run batches in a pool of ``workers`` local processes, yielding as each finishes."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from _bounded(
            lambda job: pool.submit(run_batch, job),
            lambda pending: wait(pending, return_when=FIRST_COMPLETED),
            jobs,
            2 * workers,
        )


def run_dask(jobs: list[BatchJob], address: str) -> Iterator[Result]:
    """Run batches on the Dask distributed scheduler at ``address`` (e.g. ``tcp://host:8786``)."""
    try:
        from distributed import Client
    except ImportError:
        from painnet.errors import PainnetError

        raise PainnetError(
            "--scheduler needs dask.distributed; install it with pip install 'painnet[dask]'"
        ) from None
    from distributed import wait as dask_wait

    with Client(address, timeout="20s") as client:
        window = 2 * max(1, sum(client.nthreads().values()))
        yield from _bounded(
            lambda job: client.submit(run_batch, job, pure=False, key=f"painnet-{job.batch_id}"),
            lambda pending: dask_wait(pending, return_when="FIRST_COMPLETED"),
            jobs,
            window,
        )


def executor(
    jobs_flag: int, scheduler: str | None, n_batches: int
) -> Callable[[Iterable[BatchJob]], Iterator[Result]]:
    """Choose how to run: Dask when a scheduler is given, else processes when ``jobs_flag`` > 1."""
    if scheduler:
        return lambda jobs: run_dask(jobs, scheduler)
    workers = min(jobs_flag, n_batches)
    if workers > 1:
        return lambda jobs: run_processes(jobs, workers)
    return run_local
