"""The slow clock: sensitization states, drugs and pain over days to weeks.

Each step (``run.slow_step``, default 1 min) of every batch member:

1. the inputs of the network are gathered at the step's start: ongoing C drive from
   ``condition.ongoing_input`` (its rate × fraction of fibres: the mean extra rate per C fibre),
   the drug effect factors from the pharmacology chain (:mod:`painnet.pharmacology`), and the
   projection neurons' synaptic gain and sensitization current from their slow states;
2. the measured transfer function (:mod:`painnet.slowclock.transfer`) gives the projection
   neurons' mean rate and their calcium statistics at those inputs;
3. the slow states advance over the step with the same equations as on the fast clock
   (:mod:`painnet.sensitization`), driven by those calcium statistics;
4. the pain score is read from the rate (:mod:`painnet.pain`; its 2-s smoothing is instant at
   this scale) and a PCA pump, when configured, may give a morphine bolus.

Approximations (the price of the speed; ``tests/test_slow_clock.py`` measures their effect
against the fast clock): states are population means of the projection neurons, interneurons
keep their drug-free, unsensitized state apart from the NMDA gain and release factors; the
opioid/α2 K⁺ conductance enters as the current it carries at the leak reversal; the inhibitory
gain of the cholinergic modifier is not represented; ongoing input is C only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from painnet.config.schema import ExperimentConfig
from painnet.sensitization import (
    SensitizationParameters,
    advance_chronic,
    advance_excitability,
    advance_potentiation,
    sensitization_current,
    synaptic_gain,
)
from painnet.slowclock.transfer import TransferFunction


def c_drive(config: ExperimentConfig, times_ms: np.ndarray) -> np.ndarray:
    """Mean extra firing rate per C fibre (Hz) from ``condition.ongoing_input`` at ``times_ms``."""
    c_names = [n for n, p in config.model.populations.items() if p.type == "c_fibre"]
    rate = np.zeros(len(times_ms))
    for spec in config.condition.ongoing_input:
        if spec.population in c_names:
            active = (times_ms >= spec.start) & (times_ms < spec.end)
            rate += np.where(active, spec.rate * spec.fraction, 0.0)
    return rate


def unsupported(config: ExperimentConfig) -> list[str]:
    """Why ``config`` cannot run on the slow clock (empty when it can)."""
    reasons = []
    if config.protocol.trains is not None or config.protocol.stimulus != "none":
        reasons.append(
            "protocol: stimulus pulses need the fast clock (set protocol.stimulus: none, or "
            "run.clock: fast)"
        )
    types = {n: p.type for n, p in config.model.populations.items()}
    for k, spec in enumerate(config.condition.ongoing_input):
        if types.get(spec.population) != "c_fibre":
            reasons.append(
                f"condition.ongoing_input.{k}.population: the slow clock models ongoing C-fibre "
                f"input only, got {spec.population!r} (use run.clock: fast)"
            )
    return reasons


@dataclass
class SlowRun:
    """The result of a slow-clock run: one tidy time series and the PCA totals."""

    timeseries: pd.DataFrame
    opioid_total_mg: np.ndarray


def simulate_slow(
    config: ExperimentConfig,
    transfer: TransferFunction,
    members: Sequence[ExperimentConfig] | None = None,
    stream_keys: Sequence[int] | None = None,
    progress: bool = False,
) -> SlowRun:
    """Run ``config`` (and its batch members) on the slow clock.

    Args:
        config: the experiment; ``run.slow_step`` sets the step, ``config.duration`` the span.
        transfer: the network's measured transfer function.
        members: per-member configs (default ``run.replicates`` copies of ``config``).
        stream_keys: input-stream key per member (virtual-patient draws).
        progress: show a progress bar.
    """
    from painnet.pharmacology import Pharmacology
    from painnet.pharmacology.pca import PCAPump
    from painnet.progress import progress_bar
    from painnet.seeds import stream

    members = list(members) if members is not None else [config] * config.run.replicates
    keys = list(stream_keys) if stream_keys is not None else list(range(len(members)))
    b = len(members)
    dt = config.run.slow_step
    n_steps = int(np.ceil(config.duration / dt))
    times = np.arange(n_steps + 1) * dt
    p = SensitizationParameters.from_configs(members)
    pharma = [
        Pharmacology.from_config(m.drugs, rng=stream(config.run.seed, "patients", k))
        for m, k in zip(members, keys, strict=True)
    ]
    pumps = [
        PCAPump.from_config(m.drugs.morphine.pca)
        if m.drugs.morphine is not None and m.drugs.morphine.pca is not None
        else None
        for m in members
    ]
    potassium = np.array([m.model.receptors.potassium.reversal for m in members])
    projection = _projection_cells(config)
    leak_reversal = float(
        np.mean([config.model.populations[n].cell.leak_reversal for n in projection])
    )
    drive = np.stack([c_drive(m, times) for m in members])  # (B, T+1)
    effects = [_effect_table(ph, times) for ph in pharma]  # per member: name -> (T+1,)
    rho = np.zeros(b)
    e = np.zeros(b)
    s = np.array([m.condition.chronic_state or 0.0 for m in members])
    columns = ("pain_score", "rate_projection", "calcium", "potentiation", "excitability")
    series: dict[str, np.ndarray] = {
        name: np.zeros((b, n_steps + 1))
        for name in (*columns, "chronic_state", "pca_bolus_mg", "synaptic_gain", "current_pa")
    }
    rate_names = [f"rate_{n}" for n in projection]
    for name in rate_names:
        series[name] = np.zeros((b, n_steps + 1))
    half = np.array([m.model.pain.half_rate for m in members])
    hill = np.array([m.model.pain.hill for m in members])
    with progress_bar(progress, n_steps, f"slow clock: {config.duration / 3.6e6:.1f} h") as advance:
        for k in range(n_steps + 1):
            fx = {name: np.array([table[name][k] for table in effects]) for name in effects[0]}
            gain = synaptic_gain(rho[:, None], s[:, None], p)[:, 0]
            current = sensitization_current(e[:, None], s[:, None], p)[:, 0] + fx[
                "k_conductance"
            ] * (potassium - leak_reversal)
            out = transfer(
                c_rate=drive[:, k],
                nmda_gain=fx["nmda_gain"],
                c_release=fx["c_release"],
                synaptic_gain=gain,
                current=current,
            )
            r = np.maximum(out["rate"], 0.0) ** hill
            scores = 10.0 * r / (r + half**hill)
            for i, pump in enumerate(pumps):
                if pump is not None and k < n_steps:
                    given = pump.request(times[k], float(scores[i]))
                    if given > 0:
                        series["pca_bolus_mg"][i, k] = given
                        pharma[i].add_dose("morphine", times[k], given, "iv")
                        effects[i] = _effect_table(pharma[i], times)
            values = {
                "pain_score": scores,
                "rate_projection": out["rate"],
                "calcium": out["calcium"],
                "potentiation": rho,
                "excitability": e,
                "chronic_state": s,
                "synaptic_gain": gain,
                "current_pa": current,
                **{name: out[name] for name in rate_names},
            }
            for name, value in values.items():
                series[name][:, k] = value
            if k == n_steps:
                break
            e = advance_excitability(e[:, None], out["excitability_drive"][:, None], dt, p)[:, 0]
            s = advance_chronic(s[:, None], out["chronic_refresh"][:, None], dt, p)[:, 0]
            rho = advance_potentiation(
                rho[:, None],
                out["above_potentiation"][:, None],
                out["above_depression"][:, None],
                dt,
                p,
            )[:, 0]
            advance(1)
    frames = []
    for i in range(b):
        frame = {"member": np.full(n_steps + 1, i), "time_h": times / 3.6e6}
        frame.update({name: values[i] for name, values in series.items()})
        frame["c_drive_hz"] = drive[i]
        frame.update(effects[i])
        frame.update(_drug_columns(pharma[i], times))
        frames.append(pd.DataFrame(frame))
    totals = np.array([pump.total_mg if pump is not None else 0.0 for pump in pumps])
    return SlowRun(pd.concat(frames, ignore_index=True), totals)


def _effect_table(pharma, times: np.ndarray) -> dict[str, np.ndarray]:
    """The effect factors the slow clock uses, over the whole time grid."""
    fx = pharma.effects(times)
    return {
        "nmda_gain": np.asarray(fx.nmda_gain, dtype=float),
        "c_release": np.asarray(fx.c_release, dtype=float),
        "k_conductance": np.asarray(fx.k_conductance_opioid + fx.k_conductance_descending),
    }


def _projection_cells(config: ExperimentConfig) -> list[str]:
    from painnet.agents import is_projection_type

    return [n for n, p in config.model.populations.items() if is_projection_type(p.type)]


def _drug_columns(pharma, times: np.ndarray) -> dict[str, np.ndarray]:
    """Concentrations (ng/mL), occupancies and vital signs of one member over ``times``."""
    columns: dict[str, np.ndarray] = {}
    for drug, values in pharma.concentrations(times).items():
        columns[f"{drug}_plasma_ng_ml"] = values["plasma_ng_ml"]
        columns[f"{drug}_effect_ng_ml"] = values["effect_ng_ml"]
    for target, value in pharma.occupancy(times).items():
        columns[f"occupancy_{target}"] = value
    for sign, value in pharma.monitoring(times).items():
        columns[sign] = value
    return columns
