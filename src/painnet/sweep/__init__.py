"""Parameter sweeps: batched, resumable, on local processes or a Dask cluster.

``run_sweep(config, out)`` plans the points and batches of ``config.sweep``, runs the batches
not yet finished, writes each as it completes and ends with one tidy table (``results.csv``).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from painnet.config.schema import ExperimentConfig
from painnet.outputs import config_hash
from painnet.progress import progress_bar
from painnet.sweep.execute import executor, make_job
from painnet.sweep.points import plan_batches
from painnet.sweep.store import SweepStore

__all__ = ["SweepOutcome", "run_sweep"]


@dataclass
class SweepOutcome:
    """What a sweep did: the table so far, and how many batches ran, were skipped or failed."""

    table: pd.DataFrame
    ran: int
    skipped: int
    failed: list[str]
    path: Path


def run_sweep(
    config: ExperimentConfig,
    out: Path | str,
    *,
    jobs: int = 1,
    resume: bool = False,
    scheduler: str | None = None,
    progress: bool = False,
) -> SweepOutcome:
    """Run (or resume) the sweep of ``config`` into the folder ``out``.

    Args:
        config: a validated config with a ``sweep`` section.
        out: the sweep folder.
        jobs: local worker processes (1 = in this process).
        resume: continue an existing folder of the same config, skipping finished batches.
        scheduler: address of a Dask distributed scheduler; overrides ``jobs``.
        progress: show a progress bar.

    Raises:
        ConfigError: when a point does not make a valid config.
        PainnetError: when the folder cannot be used.
    """
    started = time.perf_counter()
    points, batches = plan_batches(config)
    store = SweepStore(out)
    store.open(config, points, batches, resume)
    done = store.finished()
    todo = [b for b in batches if b.id not in done]
    cores = os.cpu_count() or 1
    workers = 1 if scheduler else max(1, min(jobs, len(todo)))
    threads = max(1, cores // workers)
    run = executor(jobs, scheduler, len(todo))
    failed: list[str] = []
    members = sum(len(b.members) for b in todo)
    with progress_bar(progress, members, "sweep members") as advance:
        sizes = {b.id: len(b.members) for b in todo}
        base = config.model_dump(mode="json")
        base.pop("sweep")
        for batch_id, rows, error in run(make_job(b, base, threads) for b in todo):
            store.save(batch_id, rows, error)
            if error is not None:
                failed.append(batch_id)
            advance(sizes[batch_id])
    table = store.finalize(
        {
            "status": "complete" if not failed else "incomplete",
            "config_hash": config_hash(config),
            "points": len(points),
            "replicates": config.sweep.replicates,
            "batches": len(batches),
            "ran": len(todo),
            "skipped": len(batches) - len(todo),
            "failed": failed,
            "executor": scheduler or (f"processes:{workers}" if workers > 1 else "local"),
            "seconds": time.perf_counter() - started,
        }
    )
    return SweepOutcome(table, len(todo), len(batches) - len(todo), failed, Path(out))
