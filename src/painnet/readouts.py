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
- **Responding fraction** (for a touch protocol, the **allodynia index**; SCIENCE V8): the fraction
  of a population's neurons that respond to the stimulus. Neuron i responds when

      evoked_i - spontaneous_i * window >= theta

  where ``evoked_i`` is its mean spike count per stimulus in the response window (pooled over
  stimuli and batch members), ``spontaneous_i`` its rate in ``output.baseline_window`` before
  the first stimulus, ``window`` the response window's length and ``theta`` is
  ``output.responding_threshold`` (default 1 spike per stimulus). Subtracting the spontaneous
  expectation keeps ongoing firing (which disinhibition also raises) from counting as a
  response. With an empty baseline window (a stimulus at t = 0) nothing is subtracted.
- **Evoked spikes**: mean over neurons of ``evoked_i`` (spikes per neuron per stimulus, not
  corrected); **spontaneous rate**: mean over neurons of ``spontaneous_i`` (Hz).
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


def neuron_response_table(
    member: np.ndarray,
    time_ms: np.ndarray,
    neuron: np.ndarray,
    pulses: np.ndarray,
    populations: dict[str, range],
    members: int,
    window: tuple[float, float],
    baseline: tuple[float, float],
    duration: float = np.inf,
) -> pd.DataFrame:
    """Evoked and spontaneous spikes of every neuron (tidy: one row per member and neuron).

    Columns: ``member``, ``population``, ``neuron`` (node id), ``stimuli`` (stimuli counted, as in
    :func:`response_table`), ``window_ms`` (length of each response window), ``evoked_spikes``
    (spikes in all counted response windows), ``baseline_ms`` and ``baseline_spikes`` (the
    ``baseline`` window, capped at the first stimulus and at ``duration``).
    """
    w0, w1 = window
    interval = float(np.min(np.diff(pulses))) if len(pulses) > 1 else np.inf
    end = min(w1, interval)
    first = float(pulses[0]) if len(pulses) else np.inf
    pulses = pulses[pulses + end <= duration]
    b0, b1 = baseline[0], min(baseline[1], first, duration)
    baseline_ms = max(0.0, b1 - b0)
    frames = []
    for name, ids in populations.items():
        in_pop = (neuron >= ids.start) & (neuron < ids.stop)
        for m in range(members):
            mine = in_pop & (member == m)
            t, who = time_ms[mine], neuron[mine] - ids.start
            order = np.argsort(t, kind="stable")
            t, who = t[order], who[order]
            evoked = np.zeros(len(ids), np.int64)
            for tp in pulses:
                lo, hi = np.searchsorted(t, [tp + w0, tp + end], "left")
                evoked += np.bincount(who[lo:hi], minlength=len(ids))
            quiet = (t >= b0) & (t < b1)
            spontaneous = np.bincount(who[quiet], minlength=len(ids))
            frames.append(
                pd.DataFrame(
                    {
                        "member": m,
                        "population": name,
                        "neuron": np.arange(ids.start, ids.stop),
                        "stimuli": len(pulses),
                        "window_ms": end - w0,
                        "evoked_spikes": evoked,
                        "baseline_ms": baseline_ms,
                        "baseline_spikes": spontaneous,
                    }
                )
            )
    columns = [
        "member",
        "population",
        "neuron",
        "stimuli",
        "window_ms",
        "evoked_spikes",
        "baseline_ms",
        "baseline_spikes",
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def responding_readouts(
    neurons: pd.DataFrame, population: str, threshold: float
) -> dict[str, float]:
    """Responding fraction, evoked spikes and spontaneous rate of one population (module docstring).

    Args:
        neurons: the table of :func:`neuron_response_table` (any subset of members).
        population: the population's name.
        threshold: spikes per stimulus above the spontaneous expectation that count as a response
            (``output.responding_threshold``).
    """
    table = neurons[neurons["population"] == population]
    per_neuron = table.groupby("neuron")[
        ["stimuli", "evoked_spikes", "baseline_ms", "baseline_spikes"]
    ].sum()
    nan = float("nan")
    if per_neuron.empty or (per_neuron["stimuli"] == 0).all():
        return {"responding_fraction": nan, "evoked_spikes": nan, "spontaneous_rate": nan}
    window_ms = float(table["window_ms"].iloc[0])
    evoked = per_neuron["evoked_spikes"] / per_neuron["stimuli"]
    measured = per_neuron["baseline_ms"] > 0
    rate_hz = (1000.0 * per_neuron["baseline_spikes"] / per_neuron["baseline_ms"]).where(measured)
    expected = (rate_hz.fillna(0.0) * window_ms / 1000.0).astype(float)
    responding = evoked - expected >= threshold
    return {
        "responding_fraction": float(responding.mean()),
        "evoked_spikes": float(evoked.mean()),
        "spontaneous_rate": float(rate_hz.mean()) if measured.any() else nan,
    }
