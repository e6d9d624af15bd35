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
- **Allodynia index**: the responding fraction of the NS population counted over the *touch*
  stimuli only (``touch_responding_fraction`` of each population; NaN without touch stimuli).
  For a protocol whose only stimulus is touch it equals the NS ``responding_fraction``.
- **Receptive field** (secondary hyperalgesia, the recruitment of the "subliminal fringe";
  Woolf & King 1989). The skin is ``protocol.sites`` sites, each a share of every fibre class
  (:mod:`painnet.protocols`); the trains that name a site test it. Neuron i's receptive field is
  the number of sites s at which it responds by the rule above, with ``evoked_i`` counted over
  the stimuli of site s only (window and spontaneous baseline as above, shared by all sites):

      RF_i = #{s : evoked_i,s - spontaneous_i * window >= theta}

  ``receptive_field_sites`` is the mean of ``RF_i`` over the population's neurons and
  ``receptive_field_fraction`` that mean divided by ``protocol.sites``. With one site (the
  default) every stimulus tests the whole nerve and ``RF_i`` is 1 for a responding neuron, 0
  otherwise. Both are NaN unless every site was tested.
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
    select: np.ndarray | None = None,
) -> pd.DataFrame:
    """Evoked and spontaneous spikes of every neuron (tidy: one row per member and neuron).

    Columns: ``member``, ``population``, ``neuron`` (node id), ``stimuli`` (stimuli counted, as in
    :func:`response_table`), ``window_ms`` (length of each response window), ``evoked_spikes``
    (spikes in all counted response windows), ``baseline_ms`` and ``baseline_spikes`` (the
    ``baseline`` window, capped at the first stimulus and at ``duration``).

    ``select`` (a boolean per pulse) counts only some stimuli, e.g. those of one skin site or the
    touch stimuli; the window's end (capped at the shortest interval between *all* pulses) and
    the baseline (ending at the first of all pulses) stay those of the whole protocol.
    """
    w0, w1 = window
    interval = float(np.min(np.diff(pulses))) if len(pulses) > 1 else np.inf
    end = min(w1, interval)
    first = float(pulses[0]) if len(pulses) else np.inf
    if select is not None:
        pulses = pulses[np.asarray(select, dtype=bool)]
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
    responding, evoked, rate_hz = _responds(per_neuron, window_ms, threshold)
    return {
        "responding_fraction": float(responding.mean()),
        "evoked_spikes": float(evoked.mean()),
        "spontaneous_rate": float(rate_hz.mean()) if rate_hz.notna().any() else nan,
    }


def _responds(
    counts: pd.DataFrame, window_ms: float, threshold: float
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The responding rule on summed counts (module docstring): responds, evoked, spontaneous Hz."""
    evoked = counts["evoked_spikes"] / counts["stimuli"]
    measured = counts["baseline_ms"] > 0
    rate_hz = (1000.0 * counts["baseline_spikes"] / counts["baseline_ms"]).where(measured)
    expected = (rate_hz.fillna(0.0) * window_ms / 1000.0).astype(float)
    return evoked - expected >= threshold, evoked, rate_hz


def receptive_field_readouts(
    sites: pd.DataFrame, population: str, threshold: float, n_sites: int
) -> dict[str, float]:
    """Receptive-field size of one population's neurons (module docstring).

    Args:
        sites: per-site neuron counts: :func:`neuron_response_table` tables, one per site counting
            that site's stimuli (``select``), concatenated with a ``site`` column (any subset of
            members; see :func:`painnet.run.site_responses_of`).
        population: the population's name.
        threshold: ``output.responding_threshold`` (spikes per stimulus above spontaneous).
        n_sites: ``protocol.sites``.

    Returns:
        ``receptive_field_sites`` (mean over neurons of the number of sites they respond to) and
        ``receptive_field_fraction`` (that ÷ ``n_sites``); NaN unless every site was tested.
    """
    nan = float("nan")
    table = sites[sites["population"] == population]
    per_site = table.groupby(["neuron", "site"])[
        ["stimuli", "evoked_spikes", "baseline_ms", "baseline_spikes"]
    ].sum()
    tested = per_site[per_site["stimuli"] > 0]
    if tested.empty or set(tested.index.get_level_values("site")) != set(range(n_sites)):
        return {"receptive_field_sites": nan, "receptive_field_fraction": nan}
    window_ms = float(table["window_ms"].iloc[0])
    responding = _responds(tested, window_ms, threshold)[0]
    neurons = per_site.index.get_level_values("neuron").unique()
    size = responding.groupby(level="neuron").sum().reindex(neurons, fill_value=0)
    return {
        "receptive_field_sites": float(size.mean()),
        "receptive_field_fraction": float(size.mean()) / n_sites,
    }


def train_response_table(
    member: np.ndarray,
    time_ms: np.ndarray,
    neuron: np.ndarray,
    pulses: np.ndarray,
    pulse_train: np.ndarray,
    train_names: list[str],
    populations: dict[str, range],
    members: int,
    window: tuple[float, float],
    duration: float = np.inf,
) -> pd.DataFrame:
    """Spikes per pulse of a multi-train protocol, with the train's name (tidy table).

    Each pulse's window is ``[t + w0, t + min(w1, gap to the next pulse))``, so a fast
    conditioning train does not shorten the windows of isolated test pulses.
    """
    w0, w1 = window
    following = np.append(pulses[1:], np.inf)
    ends = pulses + np.minimum(w1, following - pulses)
    keep = ends <= duration
    rows = []
    for name, ids in populations.items():
        in_pop = (neuron >= ids.start) & (neuron < ids.stop)
        for m in range(members):
            t = np.sort(time_ms[in_pop & (member == m)])
            counts = np.searchsorted(t, ends, "left") - np.searchsorted(t, pulses + w0, "left")
            for k in np.flatnonzero(keep):
                rows.append(
                    (
                        m,
                        name,
                        train_names[pulse_train[k]],
                        k + 1,
                        pulses[k] / 1000.0,
                        int(counts[k]),
                        len(ids),
                        counts[k] / len(ids) if len(ids) else np.nan,
                    )
                )
    columns = [
        "member",
        "population",
        "train",
        "pulse",
        "time_s",
        "spikes",
        "neurons",
        "spikes_per_neuron",
    ]
    return pd.DataFrame(rows, columns=columns)


def potentiation_readouts(table: pd.DataFrame, population: str) -> dict[str, float]:
    """C-evoked responses of the ``test`` train as % of the ``baseline`` train (LTP; SCIENCE V4).

    Returns ``potentiation_baseline`` (spikes per neuron per baseline pulse, pooled over members),
    ``potentiation_final`` (the last test pulse, % of baseline) and ``potentiation_mean`` (all
    test pulses, %); NaN without both trains.
    """
    rows = table[table["population"] == population]
    base = rows[rows["train"] == "baseline"]["spikes_per_neuron"].mean()
    tests = rows[rows["train"] == "test"].groupby("pulse")["spikes_per_neuron"].mean()
    nan = float("nan")
    if not np.isfinite(base) or base <= 0 or tests.empty:
        return {"potentiation_baseline": nan, "potentiation_final": nan, "potentiation_mean": nan}
    return {
        "potentiation_baseline": float(base),
        "potentiation_final": float(100.0 * tests.iloc[-1] / base),
        "potentiation_mean": float(100.0 * tests.mean() / base),
    }
