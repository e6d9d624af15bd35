"""Run an experiment: simulate a config and collect its tables and readouts."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from painnet.config.schema import ExperimentConfig


@dataclass
class RunResult:
    """Everything a run produces, before it is written to disk.

    Attributes:
        config: the resolved (validated) config.
        tables: tidy tables by name (written as ``<name>.csv``), e.g. ``responses``, ``timeseries``.
        summary: scalar readouts by name (``summary.json``), e.g. ``windup_ratio``.
        timings: wall-clock seconds by phase (``build``, ``simulate``, ...).
        seeds: the seeds used, by stream.
    """

    config: ExperimentConfig
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    seeds: dict[str, int] = field(default_factory=dict)


def simulate(config: ExperimentConfig, progress: bool = False) -> RunResult:
    """Simulate ``config`` and compute its tables and readouts (nothing is written to disk).

    Args:
        config: a validated config.
        progress: show a rich progress bar (for interactive use).
    """
    import time

    import numpy as np

    from painnet.agents import is_projection_type
    from painnet.model import PainModel
    from painnet.readouts import response_table, windup_readouts

    t_start = time.perf_counter()
    model = PainModel(config)
    t_built = time.perf_counter()
    n_steps = int(np.ceil(config.duration / config.run.model_step))
    with _Progress(progress, n_steps, config.duration) as advance:
        chunk = max(1, n_steps // 200)
        done = 0
        while done < n_steps:
            k = min(chunk, n_steps - done)
            model.run_for(k)
            done += k
            advance(k)
    t_simulated = time.perf_counter()

    member, time_ms, neuron = model.engine.spikes()
    projection = {
        name: r
        for name, r in model.populations.items()
        if is_projection_type(config.model.populations[name].type)
    }
    responses = response_table(
        member,
        time_ms,
        neuron,
        model.pulses[: model.delivered],
        projection,
        config.run.replicates,
        config.output.response_window,
        model.time_ms,
    )
    summary: dict = {}
    for name in projection:
        summary[name] = windup_readouts(responses, name, config.output.windup_pulses)
    main = next(
        (n for n in projection if config.model.populations[n].type == "wdr"),
        next(iter(projection), None),
    )
    if main is not None:
        summary = {**summary[main], "windup_population": main, **summary}
    tables = {"responses": responses, "timeseries": model.datacollector.get_model_vars_dataframe()}
    if config.output.spikes:
        names = [model.graph.nodes[int(i)]["population"] for i in neuron]
        tables["spikes"] = pd.DataFrame(
            {"member": member, "time_ms": time_ms, "neuron": neuron, "population": names}
        )
    t_end = time.perf_counter()
    return RunResult(
        config=config,
        tables=tables,
        summary=summary,
        timings={
            "build": t_built - t_start,
            "simulate": t_simulated - t_built,
            "readouts": t_end - t_simulated,
        },
        seeds={"root": model.seed, "replicates": config.run.replicates},
    )


class _Progress:
    """A rich progress bar over model steps, or a no-op."""

    def __init__(self, enabled: bool, total: int, duration_ms: float) -> None:
        self.enabled, self.total, self.duration_ms = enabled, total, duration_ms

    def __enter__(self):
        if not self.enabled:
            return lambda k: None
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn("simulating {task.fields[bio]:.1f} s of biology"),
            BarColumn(),
            TimeRemainingColumn(),
            transient=True,
        )
        self._bar.start()
        task = self._bar.add_task("run", total=self.total, bio=self.duration_ms / 1000.0)
        return lambda k: self._bar.advance(task, k)

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._bar.stop()
