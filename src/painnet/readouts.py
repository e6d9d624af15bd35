"""Readouts of projection-neuron output: responses per stimulus and the wind-up ratio.

Definitions (used in ``summary.json`` and the figures):

- **Response to stimulus k**, ``R_k``: spikes of a population in the window
  ``[t_k + w0, t_k + min(w1, ISI))`` after stimulus k (``output.response_window``, default
  90–800 ms: the C-fibre response plus its post-discharge, SCIENCE I.1), reported per neuron.
- **First response**: ``R_1`` (spikes per neuron).
- **Wind-up ratio**: ``mean(R_14, R_15, R_16) / R_1`` (``output.windup_pulses``; with fewer than
  16 pulses, the last three). ``R_1`` is pooled over the population's neurons and the batch
  members to tame its noise (SCIENCE I.1 pitfalls). 1 means no wind-up.
- **Wind-up spikes**: ``sum_k R_k - n R_1``, the classic measure of Dickenson & Sullivan 1987.
- **Total spikes**: ``sum_k R_k`` per neuron.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def response_table(
    member: np.ndarray,
    time_ms: np.ndarray,
    neuron: np.ndarray,
    pulses: np.ndarray,
    populations: dict[str, range],
    members: int,
    window: tuple[float, float],
    duration: float = np.inf,
) -> pd.DataFrame:
    """Spikes per stimulus for each population and member (tidy: one row per member, population, pulse).

    Only stimuli whose whole response window lies within ``duration`` (ms) are counted.
    """
    w0, w1 = window
    interval = float(np.min(np.diff(pulses))) if len(pulses) > 1 else np.inf
    end = min(w1, interval)
    pulses = pulses[pulses + end <= duration]
    rows = []
    for name, ids in populations.items():
        in_pop = (neuron >= ids.start) & (neuron < ids.stop)
        for m in range(members):
            t = np.sort(time_ms[in_pop & (member == m)])
            lo = np.searchsorted(t, pulses + w0, "left")
            hi = np.searchsorted(t, pulses + end, "left")
            counts = hi - lo
            for k, (tp, c) in enumerate(zip(pulses, counts, strict=True), start=1):
                rows.append(
                    (
                        m,
                        name,
                        k,
                        tp / 1000.0,
                        int(c),
                        len(ids),
                        c / len(ids) if len(ids) else np.nan,
                    )
                )
    return pd.DataFrame(
        rows,
        columns=[
            "member",
            "population",
            "pulse",
            "time_s",
            "spikes",
            "neurons",
            "spikes_per_neuron",
        ],
    )


def windup_readouts(
    responses: pd.DataFrame, population: str, windup_pulses: tuple[int, int]
) -> dict[str, float]:
    """Scalar readouts of one population from the response table (see module docstring)."""
    table = responses[responses["population"] == population]
    by_pulse = table.groupby("pulse")[["spikes", "neurons"]].sum()
    if by_pulse.empty:
        return {
            "first_response": float("nan"),
            "windup_ratio": float("nan"),
            "total_spikes": float("nan"),
            "windup_spikes": float("nan"),
        }
    per_neuron = by_pulse["spikes"] / by_pulse["neurons"]
    n = len(per_neuron)
    first, last = windup_pulses
    if last > n:
        first, last = max(1, n - 2), n
    r1 = float(per_neuron.loc[1])
    late = float(per_neuron.loc[first:last].mean())
    return {
        "first_response": r1,
        "late_response": late,
        "windup_ratio": late / r1 if r1 > 0 else float("nan"),
        "windup_spikes": float(per_neuron.sum() - n * r1),
        "total_spikes": float(per_neuron.sum()),
        "windup_pulses": [first, last],
    }
