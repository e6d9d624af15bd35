"""Ongoing activity: spontaneous afferent firing and synaptic noise onto dorsal-horn neurons.

Both are Poisson processes drawn from a member's own ``background`` stream in fixed chunks of
biological time (:data:`CHUNK_MS`), so a member's input does not depend on how the run is cut
into model steps or how many members run together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from painnet.engine.layout import BACKGROUND_EXCITATORY, BACKGROUND_INHIBITORY

CHUNK_MS = 1000.0
"""Biological time drawn at once per member (ms)."""


@dataclass
class BackgroundActivity:
    """Poisson sources for one run.

    Attributes:
        afferent_ids, afferent_rates: fibres and their spontaneous rates (Hz).
        extra: windows of ongoing (inflammatory, ectopic) firing on top of them; a chunk
            uses the rates in force at its start.
        dh_ids: dorsal-horn neurons receiving synaptic noise.
        excitatory_rate, inhibitory_rate: noise event rates per neuron (Hz).
    """

    afferent_ids: np.ndarray
    afferent_rates: np.ndarray
    dh_ids: np.ndarray
    excitatory_rate: float
    inhibitory_rate: float
    extra: tuple[tuple[float, float, np.ndarray], ...] = ()
    """Windows ``(start_ms, end_ms, rates)`` of ongoing firing added to ``afferent_rates``."""

    def rates_at(self, t_ms: float) -> np.ndarray:
        """Afferent firing rates (Hz) in force at ``t_ms``."""
        rates = self.afferent_rates
        for start, end, extra in self.extra:
            if start <= t_ms < end:
                rates = rates + extra
        return rates

    def draw(self, rng: np.random.Generator, start_step: int, n_steps: int, dt: float):
        """Events in steps [start_step, start_step + n_steps) for one member.

        Returns:
            ``(aff_steps, aff_ids)`` and ``(bg_steps, bg_ids, bg_channels)``, each sorted by step.
        """
        seconds = n_steps * dt * 1e-3
        counts = rng.poisson(self.rates_at(start_step * dt) * seconds)
        aff_ids = np.repeat(self.afferent_ids, counts)
        aff_steps = rng.integers(start_step, start_step + n_steps, len(aff_ids))
        order = _order(aff_steps, start_step, n_steps)
        ids, steps, channels = [], [], []
        for channel, rate in (
            (BACKGROUND_EXCITATORY, self.excitatory_rate),
            (BACKGROUND_INHIBITORY, self.inhibitory_rate),
        ):
            c = rng.poisson(rate * seconds, len(self.dh_ids))
            ids.append(np.repeat(self.dh_ids, c))
            steps.append(rng.integers(start_step, start_step + n_steps, int(c.sum())))
            channels.append(np.full(int(c.sum()), channel, np.int8))
        bg_ids, bg_steps, bg_ch = (np.concatenate(x) for x in (ids, steps, channels))
        bg_order = _order(bg_steps, start_step, n_steps)
        return (
            (aff_steps[order], aff_ids[order]),
            (bg_steps[bg_order], bg_ids[bg_order], bg_ch[bg_order]),
        )


def _order(steps: np.ndarray, start: int, n_steps: int) -> np.ndarray:
    """Stable sort order of event steps (a radix sort on 16-bit offsets when the chunk allows)."""
    if n_steps <= np.iinfo(np.uint16).max + 1:
        return np.argsort((steps - start).astype(np.uint16), kind="stable")
    return np.argsort(steps, kind="stable")
