"""The supraspinal readout: projection-neuron output → a 0–10 pain score.

The brain is not modelled; it reads the projection neurons (every population of a projection type,
WDR and NS by default). Their mean firing rate ``r`` (Hz per neuron) is smoothed with time
constant ``τ`` (the temporal integration of pain perception) and mapped through a saturating
curve::

    τ dr̄/dt = r − r̄,        score = 10 · r̄ⁿ / (r̄ⁿ + r50ⁿ)

so silence scores 0, ``r50`` scores 5 and the score saturates at 10. ``r50`` is calibrated so
that the standard acute noxious stimulus (a 1-Hz train at 1.5 × C threshold) scores about 6 and
spontaneous activity about 0 (``model.pain`` in ``docs/parameters.md``). The mapping is a
readout, not a mechanism: it changes nothing in the network.
"""

from __future__ import annotations

import numpy as np

from painnet.config.schema import PainReadout


def pain_score(rate_hz: np.ndarray | float, readout: PainReadout) -> np.ndarray:
    """Pain score 0–10 of a (smoothed) mean projection rate (Hz per neuron)."""
    r = np.maximum(np.asarray(rate_hz, dtype=float), 0.0) ** readout.hill
    return 10.0 * r / (r + readout.half_rate**readout.hill)


def smoothed_rate(
    times_ms: np.ndarray, spike_times_ms: np.ndarray, n_neurons: int, readout: PainReadout
) -> np.ndarray:
    """Exponentially smoothed mean rate (Hz per neuron) of spikes at ``times_ms`` (sorted).

    Each spike adds ``1/(n_neurons τ)`` and the trace decays with τ: the exact solution of the
    smoothing equation for a spike train, sampled at ``times_ms``.
    """
    tau = readout.smoothing
    spikes = np.sort(np.asarray(spike_times_ms, dtype=float))
    out = np.zeros(len(times_ms))
    if n_neurons == 0 or len(spikes) == 0:
        return out
    # trace(t) = Σ_{s ≤ t} exp(-(t - s)/τ) / (n τ); accumulate in order with a running sum
    # rescaled to a reference time, chunked so the exponent stays small.
    counts = np.searchsorted(spikes, times_ms, "right")
    level = 0.0
    last_t = float(times_ms[0]) if len(times_ms) else 0.0
    taken = 0
    for k, (t, c) in enumerate(zip(times_ms, counts, strict=True)):
        level *= np.exp(-(t - last_t) / tau)
        new = spikes[taken:c]
        level += float(np.exp(-(t - new) / tau).sum())
        taken, last_t = c, t
        out[k] = level
    return out / (n_neurons * tau * 1e-3)
