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
        clock: ``"fast"`` (spiking network) or ``"slow"`` (:mod:`painnet.slowclock`).
    """

    config: ExperimentConfig
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    seeds: dict[str, int] = field(default_factory=dict)
    clock: str = "fast"


def simulate(config: ExperimentConfig, progress: bool = False) -> RunResult:
    """Simulate ``config`` and compute its tables and readouts (nothing is written to disk).

    Args:
        config: a validated config.
        progress: show a rich progress bar (for interactive use).
    """
    from painnet.model import PainModel
    from painnet.slowclock import resolved_clock

    if resolved_clock(config) == "slow":
        return simulate_slow_clock(config, progress)
    t_start = time.perf_counter()
    model = PainModel(config)
    t_built = time.perf_counter()
    advance_to_end(model, progress)
    t_simulated = time.perf_counter()
    responses = responses_of(model)
    trains = train_responses_of(model)
    summary = summarize(
        responses,
        config,
        neuron_responses_of(model),
        pain_of(model),
        pain_times=np.array([t for t, _ in model.pain_trace]),
        sites=site_responses_of(model),
        touch=neuron_responses_of(model, stimulus="touch"),
        states=sensitization_of(model),
        trains=trains,
    )
    tables = {"responses": responses, "timeseries": model.datacollector.get_model_vars_dataframe()}
    if trains is not None:
        tables["train_responses"] = trains
    if model.drug_effects is not None:
        from painnet.drug_effects import drug_table

        every = max(config.output.record_interval, 1000.0)
        times = np.arange(0.0, model.time_ms + every / 2, every)
        tables["drugs"] = drug_table(model.drug_effects.pharmacology, times)
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
        clock="fast",
    )


def simulate_slow_clock(config: ExperimentConfig, progress: bool = False) -> RunResult:
    """Simulate ``config`` on the slow clock (:mod:`painnet.slowclock`).

    Raises:
        PainnetError: the config needs the fast clock (stimulus pulses, non-C ongoing input).
    """
    from painnet.errors import PainnetError
    from painnet.slowclock.clock import simulate_slow, unsupported
    from painnet.slowclock.transfer import for_config

    reasons = unsupported(config)
    if reasons:
        raise PainnetError(f"run.clock: slow cannot run this config — {reasons[0]}")
    t_start = time.perf_counter()
    transfer = for_config(config, progress)
    t_built = time.perf_counter()
    model = simulate_slow(config, transfer, progress=progress)
    t_simulated = time.perf_counter()
    series = model.timeseries()
    rows = model.summaries()
    summary = {key: float(np.mean([row[key] for row in rows])) for key in rows[0]}
    return RunResult(
        config=config,
        tables={"timeseries": series},
        summary=summary,
        timings={
            "transfer_function": t_built - t_start,
            "simulate": t_simulated - t_built,
        },
        seeds={"root": config.run.seed, "replicates": config.run.replicates},
        clock="slow",
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


def neuron_responses_of(model: PainModel, stimulus: str | None = None) -> pd.DataFrame:
    """Evoked and spontaneous spikes of every projection neuron, per member (see readouts).

    With ``stimulus`` (e.g. ``"touch"``) only the pulses of that stimulus count (the response
    window and the spontaneous baseline stay those of the whole protocol).
    """
    from painnet.protocols import pulse_stimuli
    from painnet.readouts import neuron_response_table

    output = model.config.output
    select = None
    if stimulus is not None:
        names = pulse_stimuli(model.config.protocol, model.pulse_train[: model.delivered])
        select = np.array([name == stimulus for name in names], dtype=bool)
    return neuron_response_table(
        *_readout_inputs(model),
        output.response_window,
        output.baseline_window,
        model.time_ms,
        select=select,
    )


def site_responses_of(model: PainModel) -> pd.DataFrame:
    """Per-site evoked spikes of every projection neuron (the receptive-field readout's input).

    One :func:`~painnet.readouts.neuron_response_table` per skin site, counting the pulses that
    test that site (:func:`~painnet.protocols.pulse_sites`), with a ``site`` column.
    """
    from painnet.protocols import pulse_sites
    from painnet.readouts import neuron_response_table

    output = model.config.output
    tests = pulse_sites(model.config.protocol, model.pulse_train[: model.delivered])
    inputs = _readout_inputs(model)
    frames = [
        neuron_response_table(
            *inputs,
            output.response_window,
            output.baseline_window,
            model.time_ms,
            select=tests == site,
        ).assign(site=site)
        for site in range(model.config.protocol.sites)
    ]
    return pd.concat(frames, ignore_index=True)


SENSITIZATION_READOUTS = {
    "ltp_potentiation": "potentiation",
    "excitability": "excitability",
    "chronic_state": "chronic",
}
"""Summary key → engine state row of the slow sensitization states (:mod:`painnet.sensitization`)."""


def sensitization_of(model: PainModel) -> pd.DataFrame:
    """Mean sensitization states of each projection population now (tidy: member × population).

    Columns: ``member``, ``population``, ``neurons`` and, averaged over the population's
    neurons, ``ltp_potentiation`` (Graupner–Brunel ρ of the plastic afferent synapses, 0–1),
    ``excitability`` (the activity-maintained state e, 0–1) and ``chronic_state`` (s, 0–1).
    """
    from painnet.engine.layout import S

    rows = []
    for name in projection_populations(model.config):
        ids = model.populations[name]
        for m in range(len(model.members)):
            row = {"member": m, "population": name, "neurons": len(ids)}
            for key, state in SENSITIZATION_READOUTS.items():
                values = model.engine.state[m, S[state], ids.start : ids.stop]
                row[key] = float(values.mean()) if len(ids) else float("nan")
            rows.append(row)
    return pd.DataFrame(rows, columns=["member", "population", "neurons", *SENSITIZATION_READOUTS])


def pain_of(model: PainModel) -> np.ndarray:
    """Pain scores recorded every ``output.record_interval``: ``float[B, T]`` (empty: ``[B, 0]``)."""
    if not model.pain_trace:
        return np.zeros((len(model.members), 0))
    return np.stack([scores for _, scores in model.pain_trace], axis=1)


def summarize(
    responses: pd.DataFrame,
    config: ExperimentConfig,
    neurons: pd.DataFrame | None = None,
    pain: np.ndarray | None = None,
    *,
    pain_times: np.ndarray | None = None,
    sites: pd.DataFrame | None = None,
    touch: pd.DataFrame | None = None,
    states: pd.DataFrame | None = None,
    trains: pd.DataFrame | None = None,
) -> dict:
    """Scalar readouts: per projection population, and the WDR population's at the top level.

    Readouts that describe the whole output are at the top level instead: ``pain_score_mean``,
    ``pain_score_peak`` and ``pain_score_rest``, ``allodynia_index`` (the NS population's
    ``touch_responding_fraction``) and ``ltp_potentiation``, ``excitability`` and
    ``chronic_state`` (means over every projection neuron). Definitions: :mod:`painnet.readouts`.

    Args:
        responses: the response table (:func:`responses_of`).
        config: the run's config.
        neurons: the per-neuron table (:func:`neuron_responses_of`) for ``responding_fraction``
            (the allodynia index of a touch protocol), ``evoked_spikes`` and ``spontaneous_rate``;
            without it these are NaN.
        pain: pain scores ``[members, times]`` (:func:`pain_of`) for ``pain_score_mean`` and
            ``pain_score_peak`` (mean over members of each member's mean and peak); NaN without.
        pain_times: the time (ms) of each column of ``pain``, for ``pain_score_rest``: the mean
            score up to the first stimulus (spontaneous pain; the whole run if there is no
            stimulus); NaN without, or with nothing recorded before the first stimulus.
        sites: the per-site table (:func:`site_responses_of`) for ``receptive_field_sites`` and
            ``receptive_field_fraction``; NaN without.
        touch: the per-neuron table of the touch pulses (``neuron_responses_of(model, "touch")``)
            for ``touch_responding_fraction`` and ``allodynia_index``; NaN without.
        trains: the per-pulse table of a multi-train protocol (:func:`train_responses_of`); with
            trains named ``baseline`` and ``test`` it gives ``potentiation_final`` and
            ``potentiation_mean`` (test responses as % of baseline: LTP, SCIENCE V4) per
            population and, pooled over the projection neurons, at the top level.
        states: the sensitization table (:func:`sensitization_of`) for ``ltp_potentiation``,
            ``excitability`` and ``chronic_state`` at the end of the run (mean over neurons and
            members); NaN without.
    """
    from painnet.readouts import receptive_field_readouts, responding_readouts, windup_readouts

    projection = projection_populations(config)
    output = config.output
    nan = float("nan")
    summary: dict = {}
    for name in projection:
        summary[name] = windup_readouts(responses, name, output.windup_pulses)
        summary[name].update(
            responding_readouts(neurons, name, output.responding_threshold)
            if neurons is not None
            else {"responding_fraction": nan, "evoked_spikes": nan, "spontaneous_rate": nan}
        )
        summary[name]["touch_responding_fraction"] = (
            responding_readouts(touch, name, output.responding_threshold)["responding_fraction"]
            if touch is not None
            else nan
        )
        summary[name].update(
            receptive_field_readouts(
                sites, name, output.responding_threshold, config.protocol.sites
            )
            if sites is not None
            else {"receptive_field_sites": nan, "receptive_field_fraction": nan}
        )
        mine = states[states["population"] == name] if states is not None else None
        for key in SENSITIZATION_READOUTS:
            summary[name][key] = float(mine[key].mean()) if mine is not None else nan
    main = next(
        (n for n in projection if config.model.populations[n].type == "wdr"),
        next(iter(projection), None),
    )
    if main is not None:
        summary = {**summary[main], "windup_population": main, **summary}
    ns = next((n for n in projection if config.model.populations[n].type == "ns"), None)
    summary["allodynia_index"] = summary[ns]["touch_responding_fraction"] if ns else nan
    for key in SENSITIZATION_READOUTS:
        if states is None or states.empty or states["neurons"].sum() == 0:
            summary[key] = nan
        else:  # every projection neuron weighs the same; members weigh the same
            summary[key] = float(
                (states[key] * states["neurons"]).groupby(states["member"]).sum().mean()
                / states.groupby("member")["neurons"].sum().mean()
            )
    if trains is not None and {"baseline", "test"} <= set(trains["train"]):
        from painnet.readouts import potentiation_readouts

        for name in projection:
            summary[name].update(potentiation_readouts(trains, name))
        pooled = trains.groupby(["member", "train", "pulse"], as_index=False)[
            ["spikes", "neurons"]
        ].sum()
        pooled["spikes_per_neuron"] = pooled["spikes"] / pooled["neurons"]
        summary.update(potentiation_readouts(pooled.assign(population="projection"), "projection"))
    has_pain = pain is not None and pain.size
    summary["pain_score_mean"] = float(pain.mean(axis=1).mean()) if has_pain else nan
    summary["pain_score_peak"] = float(pain.max(axis=1).mean()) if has_pain else nan
    summary["pain_score_rest"] = nan
    if has_pain and pain_times is not None:
        from painnet.protocols import pulse_times

        pulses = pulse_times(config.protocol)
        rest = np.asarray(pain_times) <= (pulses[0] if len(pulses) else np.inf)
        if rest.any():
            summary["pain_score_rest"] = float(pain[:, rest].mean(axis=1).mean())
    return summary


def train_responses_of(model: PainModel) -> pd.DataFrame | None:
    """Spikes per pulse with each pulse's train, for multi-train protocols (else None)."""
    from painnet.readouts import train_response_table

    trains = model.config.protocol.trains
    if trains is None:
        return None
    member, time_ms, neuron, pulses, projection, members = _readout_inputs(model)
    return train_response_table(
        member,
        time_ms,
        neuron,
        pulses,
        model.pulse_train[: len(pulses)],
        [t.name for t in trains],
        projection,
        members,
        model.config.output.response_window,
        model.time_ms,
    )


def member_summaries(model: PainModel) -> list[dict]:
    """:func:`summarize` for each batch member on its own (for sweeps)."""
    responses = responses_of(model)
    neurons = neuron_responses_of(model)
    pain = pain_of(model)
    times = np.array([t for t, _ in model.pain_trace])
    sites = site_responses_of(model)
    touch = neuron_responses_of(model, stimulus="touch")
    states = sensitization_of(model)
    trains = train_responses_of(model)
    return [
        summarize(
            responses[responses["member"] == m],
            model.config,
            neurons[neurons["member"] == m],
            pain[m : m + 1],
            pain_times=times,
            sites=sites[sites["member"] == m],
            touch=touch[touch["member"] == m],
            states=states[states["member"] == m],
            trains=None if trains is None else trains[trains["member"] == m],
        )
        for m in range(len(model.members))
    ]
