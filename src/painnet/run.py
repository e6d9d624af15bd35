"""Run an experiment: simulate a config and collect its tables and readouts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from painnet.config.schema import ExperimentConfig
from painnet.progress import progress_bar

if TYPE_CHECKING:
    from painnet.model import PainModel


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
    from painnet.model import PainModel

    t_start = time.perf_counter()
    model = PainModel(config)
    t_built = time.perf_counter()
    advance_to_end(model, progress)
    t_simulated = time.perf_counter()
    responses = responses_of(model)
    summary = summarize(responses, config, neuron_responses_of(model))
    tables = {"responses": responses, "timeseries": model.datacollector.get_model_vars_dataframe()}
    if config.output.spikes:
        member, time_ms, neuron = model.engine.spikes()
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


def advance_to_end(model: PainModel, progress: bool = False) -> None:
    """Run ``model`` for its config's duration (whole model steps), optionally with a progress bar."""
    config = model.config
    n_steps = int(np.ceil(config.duration / config.run.model_step))
    label = f"simulating {config.duration / 1000:.1f} s of biology (model steps)"
    with progress_bar(progress, n_steps, label) as advance:
        chunk = max(1, n_steps // 200)
        done = 0
        while done < n_steps:
            k = min(chunk, n_steps - done)
            model.run_for(k)
            done += k
            advance(k)


def projection_populations(config: ExperimentConfig) -> list[str]:
    """Names of the projection populations (readouts are reported for these)."""
    from painnet.agents import is_projection_type

    return [n for n, p in config.model.populations.items() if is_projection_type(p.type)]


def _readout_inputs(model: PainModel) -> tuple:
    """Spikes, delivered pulses, projection populations and member count, as readouts take them."""
    member, time_ms, neuron = model.engine.spikes()
    projection = {n: model.populations[n] for n in projection_populations(model.config)}
    return member, time_ms, neuron, model.pulses[: model.delivered], projection, len(model.members)


def responses_of(model: PainModel) -> pd.DataFrame:
    """Spikes per delivered stimulus, per projection population and member (see readouts)."""
    from painnet.readouts import response_table

    output = model.config.output
    return response_table(*_readout_inputs(model), output.response_window, model.time_ms)


def neuron_responses_of(model: PainModel) -> pd.DataFrame:
    """Evoked and spontaneous spikes of every projection neuron, per member (see readouts)."""
    from painnet.readouts import neuron_response_table

    output = model.config.output
    return neuron_response_table(
        *_readout_inputs(model), output.response_window, output.baseline_window, model.time_ms
    )


def summarize(
    responses: pd.DataFrame, config: ExperimentConfig, neurons: pd.DataFrame | None = None
) -> dict:
    """Scalar readouts: per projection population, and the WDR population's at the top level.

    Args:
        responses: the response table (:func:`responses_of`).
        config: the run's config.
        neurons: the per-neuron table (:func:`neuron_responses_of`) for ``responding_fraction``
            (the allodynia index of a touch protocol), ``evoked_spikes`` and ``spontaneous_rate``;
            without it these are NaN.
    """
    from painnet.readouts import responding_readouts, windup_readouts

    projection = projection_populations(config)
    nan = float("nan")
    summary: dict = {}
    for name in projection:
        summary[name] = windup_readouts(responses, name, config.output.windup_pulses)
        summary[name].update(
            responding_readouts(neurons, name, config.output.responding_threshold)
            if neurons is not None
            else {"responding_fraction": nan, "evoked_spikes": nan, "spontaneous_rate": nan}
        )
    main = next(
        (n for n in projection if config.model.populations[n].type == "wdr"),
        next(iter(projection), None),
    )
    if main is not None:
        summary = {**summary[main], "windup_population": main, **summary}
    return summary


def member_summaries(model: PainModel) -> list[dict]:
    """:func:`summarize` for each batch member on its own (for sweeps)."""
    responses = responses_of(model)
    neurons = neuron_responses_of(model)
    return [
        summarize(
            responses[responses["member"] == m], model.config, neurons[neurons["member"] == m]
        )
        for m in range(len(model.members))
    ]
