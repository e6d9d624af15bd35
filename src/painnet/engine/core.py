"""The engine: the whole network's state as arrays of shape (B, N), advanced by a kernel.

B batch members (parameter sets or replicates) run together on one network; each member has its
own input streams. Afferent spikes (stimuli, spontaneous firing) and background synaptic events
wait in per-member queues until the kernel reaches their step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from painnet.background import CHUNK_MS, BackgroundActivity
from painnet.engine import kernel_numpy
from painnet.engine.compile import Synapses
from painnet.engine.layout import CELL, RECEPTOR, STATE, C, K, S

NEVER = np.iinfo(np.int64).min // 2
"""``last_spike`` value of a neuron that has not spiked."""


def _kernel(name: str):
    if name == "numba":
        from painnet.engine import kernel_numba

        return kernel_numba.advance
    if name == "numpy":
        return kernel_numpy.advance
    raise ValueError(f"unknown kernel {name!r}: use 'numba' or 'numpy'")


@dataclass
class _Queue:
    """Pending events of one member, sorted by step."""

    steps: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    columns: tuple[np.ndarray, ...] = ()

    def push(self, steps: np.ndarray, *columns: np.ndarray) -> None:
        if len(steps) == 0:
            return
        if not self.columns:
            self.columns = tuple(np.zeros(0, c.dtype) for c in columns)
        if (len(self.steps) == 0 or steps[0] >= self.steps[-1]) and np.all(steps[1:] >= steps[:-1]):
            # already in order after the queue (the usual case): append, no re-sort
            self.steps = np.concatenate([self.steps, steps.astype(np.int64)])
            self.columns = tuple(
                np.concatenate([a, b.astype(a.dtype)])
                for a, b in zip(self.columns, columns, strict=True)
            )
            return
        all_steps = np.concatenate([self.steps, steps.astype(np.int64)])
        order = np.argsort(all_steps, kind="stable")
        self.steps = all_steps[order]
        self.columns = tuple(
            np.concatenate([a, b.astype(a.dtype)])[order]
            for a, b in zip(self.columns, columns, strict=True)
        )

    def pop_until(self, end: int) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        k = int(np.searchsorted(self.steps, end, "left"))
        steps, self.steps = self.steps[:k], self.steps[k:]
        cols = tuple(c[:k] for c in self.columns)
        self.columns = tuple(c[k:] for c in self.columns)
        return steps, cols


class Engine:
    """State, synapses and inputs of B copies of one network, advanced in kernel steps.

    Args:
        synapses: compiled synapse table.
        first_dh: index of the first dorsal-horn neuron (afferents come first).
        cell: ``float64[B, len(CELL), N]`` cell parameters.
        const: ``float64[B, len(CONST)]`` receptor constants.
        dt: kernel time step (ms).
        background: ongoing activity sources.
        background_rngs: one generator per member.
        kernel: ``"numba"`` or ``"numpy"``.
        record_spikes: keep every spike (needed for per-stimulus readouts).
    """

    def __init__(
        self,
        synapses: Synapses,
        first_dh: int,
        cell: np.ndarray,
        const: np.ndarray,
        dt: float,
        background: BackgroundActivity,
        background_rngs: list,
        kernel: str = "numba",
        record_spikes: bool = True,
    ) -> None:
        self.members, _, self.n = cell.shape
        assert cell.shape[1] == len(CELL)
        self.synapses = synapses
        self.first_dh = first_dh
        self.cell = np.ascontiguousarray(cell, dtype=np.float64)
        self.const = np.ascontiguousarray(const, dtype=np.float64)
        self.dt = dt
        self.kernel_name = kernel
        self._advance = _kernel(kernel)
        self.state = np.zeros((self.members, len(STATE), self.n))
        self.state[:, S["v"], :] = self.cell[:, C["leak_reversal"], :]
        self.state[:, S["calcium"], :] = self.const[:, [K["calcium_resting"]]]
        self.buffer = np.zeros((self.members, synapses.depth, self.n, len(RECEPTOR)))
        self.refractory = np.zeros((self.members, self.n), np.int32)
        self.spike_count = np.zeros((self.members, self.n), np.int64)
        self.last_spike = np.full((self.members, self.n), NEVER, np.int64)
        self.t = 0
        self.background = background
        self._rngs = background_rngs
        self._chunk_steps = max(1, round(CHUNK_MS / dt))
        self._drawn_until = 0
        self._afferent = [_Queue() for _ in range(self.members)]
        self._synaptic = [_Queue() for _ in range(self.members)]
        self.record_spikes = record_spikes
        self._records: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._sorted_spikes: tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None

    @property
    def time(self) -> float:
        """Biological time reached (ms)."""
        return self.t * self.dt

    def inject(self, member: int, times: np.ndarray, neurons: np.ndarray) -> None:
        """Schedule afferent spikes for ``member`` at ``times`` (ms); past times arrive now."""
        steps = np.maximum(np.rint(np.asarray(times) / self.dt).astype(np.int64), self.t)
        self._afferent[member].push(steps, np.asarray(neurons, np.int32))

    def _draw_background(self, until: int) -> None:
        while self._drawn_until < until:
            start = self._drawn_until
            for b in range(self.members):
                (a_steps, a_ids), (s_steps, s_ids, s_ch) = self.background.draw(
                    self._rngs[b], start, self._chunk_steps, self.dt
                )
                self._afferent[b].push(a_steps, a_ids.astype(np.int32))
                self._synaptic[b].push(s_steps, s_ids.astype(np.int32), s_ch)
            self._drawn_until += self._chunk_steps

    @staticmethod
    def _flatten(queues: list[_Queue], t0: int, nsteps: int, n_cols: int):
        """Pop events of [t0, t0+nsteps) from every member: pointers [B, nsteps+1] and columns."""
        edges = t0 + np.arange(nsteps + 1)
        ptr = np.empty((len(queues), nsteps + 1), np.int64)
        parts: list[list[np.ndarray]] = [[] for _ in range(n_cols)]
        offset = 0
        for b, q in enumerate(queues):
            steps, cols = q.pop_until(t0 + nsteps)
            ptr[b] = offset + np.searchsorted(steps, edges, "left")
            offset += len(steps)
            for k in range(n_cols):
                parts[k].append(cols[k] if cols else np.zeros(0))
        return ptr, parts

    def advance(self, nsteps: int) -> None:
        """Advance every member by ``nsteps`` kernel steps."""
        if nsteps <= 0:
            return
        t0 = self.t
        self._draw_background(t0 + nsteps)
        aff_ptr, (aff_idx,) = self._flatten(self._afferent, t0, nsteps, 1)
        bg_ptr, (bg_idx, bg_ch) = self._flatten(self._synaptic, t0, nsteps, 2)
        aff_idx = np.concatenate(aff_idx).astype(np.int32)
        bg_idx = np.concatenate(bg_idx).astype(np.int32)
        bg_ch = np.concatenate(bg_ch).astype(np.int8)
        # Each neuron spikes at most once per refractory period; afferents once per event.
        min_ref = max(1, int(self.cell[:, C["refractory_steps"], self.first_dh :].min(initial=1)))
        capacity = (self.n - self.first_dh) * (nsteps // min_ref + 1) + int(
            np.diff(aff_ptr[:, [0, -1]]).max(initial=0)
        )
        rec_step = np.empty((self.members, capacity), np.int64)
        rec_neuron = np.empty((self.members, capacity), np.int32)
        rec_n = np.zeros(self.members, np.int64)
        self._advance(
            t0,
            nsteps,
            self.dt,
            self.first_dh,
            self.state,
            self.cell,
            self.const,
            self.buffer,
            self.refractory,
            self.spike_count,
            self.last_spike,
            self.synapses.indptr,
            self.synapses.post,
            self.synapses.weights,
            self.synapses.delays,
            self.synapses.plastic,
            aff_ptr,
            aff_idx,
            bg_ptr,
            bg_idx,
            bg_ch,
            rec_step,
            rec_neuron,
            rec_n,
        )
        self.t = t0 + nsteps
        if self.record_spikes:
            for b in range(self.members):
                n = int(rec_n[b])
                if n:
                    self._records.append(
                        (np.full(n, b, np.int32), rec_step[b, :n].copy(), rec_neuron[b, :n].copy())
                    )

    def spikes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All recorded spikes as read-only ``(member, time_ms, neuron)`` arrays, by member then time.

        The sorted result is kept until the engine advances, so the several readouts of a run
        share one sort.
        """
        if self._sorted_spikes is None or self._sorted_spikes[0] != len(self._records):
            if self._records:
                member, step, neuron = (np.concatenate(x) for x in zip(*self._records, strict=True))
                order = np.lexsort((neuron, step, member))
                arrays = (member[order], step[order] * self.dt, neuron[order])
            else:
                arrays = (np.zeros(0, np.int32), np.zeros(0), np.zeros(0, np.int32))
            for a in arrays:
                a.setflags(write=False)
            self._sorted_spikes = (len(self._records), arrays)
        return self._sorted_spikes[1]
