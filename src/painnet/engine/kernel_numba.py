"""Compiled neuron kernel (numba, cached, parallel over batch members).

Same equations as :mod:`painnet.engine.kernel_numpy` (the reference; ``tests/test_kernels.py``
checks they agree), written as explicit loops. Per kernel step and member:

1. synaptic input due now leaves the delay ring buffer and the background events arrive;
2. afferent spikes scheduled for this step are recorded and sent down their synapses;
3. every dorsal-horn neuron integrates one step (exponential Euler for V with the Mg²⁺ block and
   CAN gate frozen over the step; exact decay of conductances and calcium; Euler for the CAN gate);
4. neurons crossing threshold spike, reset, and send their spikes down their synapses.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from painnet import calcium as _calcium
from painnet import receptors as _receptors
from painnet.engine.layout import C, K, S

_mg_block = numba.njit(cache=True, inline="always")(_receptors.mg_block)
_can_gate_rate = numba.njit(cache=True, inline="always")(_calcium.can_gate_rate)
_calcium_influx = numba.njit(cache=True, inline="always")(_calcium.calcium_influx)

# State rows
_V, _AMPA, _NR, _ND, _KR, _KD, _GABA, _CA, _M = (
    S[n]
    for n in (
        "v",
        "ampa",
        "nmda_rise",
        "nmda_decay",
        "nk1_rise",
        "nk1_decay",
        "gaba_a",
        "calcium",
        "can_gate",
    )
)
# Cell rows
_CAP, _GL, _EL, _TH, _RESET, _REF, _GCAN, _BIAS, _ECL, _BGE, _BGI = (
    C[n]
    for n in (
        "capacitance",
        "leak_conductance",
        "leak_reversal",
        "threshold",
        "reset",
        "refractory_steps",
        "can_conductance",
        "bias_current",
        "chloride_reversal",
        "background_excitatory_weight",
        "background_inhibitory_weight",
    )
)
# Constants
(
    _KA,
    _KNR,
    _KND,
    _KKR,
    _KKD,
    _KG,
    _NNORM,
    _KNORM,
    _EA,
    _EN,
    _EK,
    _MG,
    _NGAIN,
    _CAF,
    _CAQ,
    _CAR,
    _CAD,
    _CANK,
    _CANT,
    _ECAN,
) = range(len(K))


@numba.njit(cache=True, inline="always")
def _propagate(b, j, t, buf, indptr, post, weights, delays, depth):
    for s in range(indptr[j], indptr[j + 1]):
        slot = (t + delays[s]) % depth
        i = post[s]
        for r in range(4):
            buf[b, slot, i, r] += weights[s, r]


@numba.njit(cache=True, parallel=True)
def advance(
    t0,
    nsteps,
    dt,
    first_dh,
    state,
    cell,
    const,
    buf,
    refractory,
    spike_count,
    last_spike,
    indptr,
    post,
    weights,
    delays,
    aff_ptr,
    aff_idx,
    bg_ptr,
    bg_idx,
    bg_channel,
    rec_step,
    rec_neuron,
    rec_n,
):
    """Advance all batch members ``nsteps`` kernel steps from step ``t0`` (see module docstring).

    Event pointers ``aff_ptr``/``bg_ptr`` are ``int64[B, nsteps + 1]`` offsets into the flat event
    arrays. Spikes are appended to ``rec_step``/``rec_neuron`` (``[B, capacity]``) at ``rec_n[b]``.
    """
    n_members = state.shape[0]
    n_neurons = state.shape[2]
    depth = buf.shape[1]
    for b in numba.prange(n_members):
        k = const[b]
        for step in range(nsteps):
            t = t0 + step
            slot = t % depth
            # 1. synaptic input arriving now
            for i in range(first_dh, n_neurons):
                x = buf[b, slot, i]
                if x[0] != 0.0 or x[1] != 0.0 or x[2] != 0.0 or x[3] != 0.0:
                    state[b, _AMPA, i] += x[0]
                    state[b, _NR, i] += x[1]
                    state[b, _ND, i] += x[1]
                    state[b, _KR, i] += x[2]
                    state[b, _KD, i] += x[2]
                    state[b, _GABA, i] += x[3]
                    x[0] = 0.0
                    x[1] = 0.0
                    x[2] = 0.0
                    x[3] = 0.0
            for e in range(bg_ptr[b, step], bg_ptr[b, step + 1]):
                i = bg_idx[e]
                if bg_channel[e] == 0:
                    state[b, _AMPA, i] += cell[b, _BGE, i]
                else:
                    state[b, _GABA, i] += cell[b, _BGI, i]
            # 2. afferent spikes
            for e in range(aff_ptr[b, step], aff_ptr[b, step + 1]):
                j = aff_idx[e]
                spike_count[b, j] += 1
                last_spike[b, j] = t
                rec_step[b, rec_n[b]] = t
                rec_neuron[b, rec_n[b]] = j
                rec_n[b] += 1
                _propagate(b, j, t, buf, indptr, post, weights, delays, depth)
            # 3-4. integrate dorsal-horn neurons
            for i in range(first_dh, n_neurons):
                v = state[b, _V, i]
                g_nmda = k[_NGAIN] * k[_NNORM] * (state[b, _ND, i] - state[b, _NR, i])
                g_nk1 = k[_KNORM] * (state[b, _KD, i] - state[b, _KR, i])
                g_nmda_eff = g_nmda * _mg_block(v, k[_MG])
                nmda_current = g_nmda_eff * (v - k[_EN])
                m = state[b, _M, i]
                g_can = cell[b, _GCAN, i] * m * m
                g_ampa = state[b, _AMPA, i]
                g_gaba = state[b, _GABA, i]
                g_leak = cell[b, _GL, i]
                if refractory[b, i] > 0:
                    refractory[b, i] -= 1
                else:
                    g_total = g_leak + g_ampa + g_nmda_eff + g_nk1 + g_gaba + g_can
                    drive = (
                        g_leak * cell[b, _EL, i]
                        + g_ampa * k[_EA]
                        + g_nmda_eff * k[_EN]
                        + g_nk1 * k[_EK]
                        + g_gaba * cell[b, _ECL, i]
                        + g_can * k[_ECAN]
                        + cell[b, _BIAS, i]
                    )
                    v_inf = drive / g_total
                    v = v_inf + (v - v_inf) * math.exp(-dt * g_total / cell[b, _CAP, i])
                    if v >= cell[b, _TH, i]:
                        v = cell[b, _RESET, i]
                        refractory[b, i] = int(cell[b, _REF, i])
                        spike_count[b, i] += 1
                        last_spike[b, i] = t
                        rec_step[b, rec_n[b]] = t
                        rec_neuron[b, rec_n[b]] = i
                        rec_n[b] += 1
                        _propagate(b, i, t, buf, indptr, post, weights, delays, depth)
                state[b, _V, i] = v
                ca = state[b, _CA, i]
                state[b, _M, i] = m + dt * _can_gate_rate(ca, m, k[_CANK], k[_CANT])
                state[b, _CA, i] = (
                    k[_CAR]
                    + (ca - k[_CAR]) * k[_CAD]
                    + _calcium_influx(nmda_current, k[_CAF], k[_CAQ], dt)
                )
                state[b, _AMPA, i] = g_ampa * k[_KA]
                state[b, _NR, i] *= k[_KNR]
                state[b, _ND, i] *= k[_KND]
                state[b, _KR, i] *= k[_KKR]
                state[b, _KD, i] *= k[_KKD]
                state[b, _GABA, i] = g_gaba * k[_KG]


def warm_up() -> None:
    """Compile (or load from cache) the kernel on a tiny problem."""
    b, n = 1, 2
    f8, i8 = np.float64, np.int64
    advance(
        0,
        1,
        0.1,
        1,
        np.zeros((b, 9, n)),
        np.ones((b, 11, n)),
        np.ones((b, 20)),
        np.zeros((b, 2, n, 4)),
        np.zeros((b, n), np.int32),
        np.zeros((b, n), i8),
        np.zeros((b, n), i8),
        np.zeros(n + 1, i8),
        np.zeros(0, np.int32),
        np.zeros((0, 4), f8),
        np.zeros(0, np.int32),
        np.zeros((b, 2), i8),
        np.zeros(0, np.int32),
        np.zeros((b, 2), i8),
        np.zeros(0, np.int32),
        np.zeros(0, np.int8),
        np.zeros((b, 4), i8),
        np.zeros((b, 4), np.int32),
        np.zeros(b, i8),
    )
