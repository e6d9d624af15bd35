"""Compiled neuron kernel (numba, cached, parallel over batch members).

Same equations as :mod:`painnet.engine.kernel_numpy` (the reference; ``tests/test_engine.py``
checks they agree), written as explicit loops. Per kernel step and member:

1. synaptic input due now leaves the delay ring buffer and the background events arrive;
2. afferent spikes scheduled for this step are recorded and sent down their synapses;
3. every dorsal-horn neuron integrates one step (exponential Euler for V with the Mg²⁺ block and
   CAN gate frozen over the step; exact decay of conductances and calcium; Euler for the CAN gate;
   the GABA_A conductance enters V's equation times the neuron's ``inhibition_scale``; a K⁺
   conductance and the sensitization current are per-neuron cell parameters);
4. neurons crossing threshold spike, reset, and send their spikes down their synapses.

A spike delivers ``weight × release_scale[pre]`` on every receptor, and the AMPA weight of a
plastic synapse is further multiplied by ``synaptic_gain[post]`` (LTP), both read when the spike
is sent.

Speed: step 3 is a branch-free loop over contiguous rows that LLVM vectorizes; for that its two
exponentials use :func:`_exp` (scaling and squaring of a Taylor polynomial, relative error
~1e-14 for the arguments that occur) instead of libm ``exp``, which cannot be vectorized here.
Step 4 is a short scalar loop. One member runs in a serial twin (no thread-pool launch per call);
several run in parallel. ``benchmarks/README.md`` has the measurements.
"""

from __future__ import annotations

import os

# Idle OpenMP threads sleep instead of spinning: on a busy 2-core machine (a browser, a second
# process) spinning workers made each batched call wait for a core. Read by libgomp when numba
# loads its threading layer (first parallel call), so it must be set before that; users may
# override it in the environment.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numba
import numpy as np

from painnet import calcium as _calcium
from painnet import receptors as _receptors
from painnet.engine.layout import CELL, CONST, STATE, C, K, R, S

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
(
    _CAP,
    _GL,
    _EL,
    _TH,
    _RESET,
    _REF,
    _GCAN,
    _BIAS,
    _ECL,
    _GSCALE,
    _BGE,
    _BGI,
    _RELEASE,
    _SGAIN,
    _GK,
    _ISENS,
) = (
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
        "inhibition_scale",
        "background_excitatory_weight",
        "background_inhibitory_weight",
        "release_scale",
        "synaptic_gain",
        "potassium_conductance",
        "sensitization_current",
    )
)
_AMPA_COLUMN = R["ampa"]
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
    _EPOT,
) = range(len(K))


@numba.njit(cache=True, inline="always")
def _propagate(b, j, t, buf, indptr, post, weights, delays, plastic, cell, depth):
    """Queue neuron j's spike: weight × j's release scale (× the target's gain on plastic AMPA)."""
    release = cell[b, _RELEASE, j]
    for s in range(indptr[j], indptr[j + 1]):
        slot = (t + delays[s]) % depth
        i = post[s]
        for r in range(4):
            w = weights[s, r] * release
            if r == _AMPA_COLUMN and plastic[s]:
                w *= cell[b, _SGAIN, i]
            buf[b, slot, i, r] += w


@numba.njit(cache=True, inline="always", fastmath=True, error_model="numpy")
def _exp(x):
    """exp(x) for |x| ≲ 8, branch-free so loops using it vectorize (relative error ~1e-14).

    exp(x) = (exp(x/64))^64: a degree-8 Taylor polynomial at x/64, squared six times.
    """
    y = x * (1.0 / 64.0)
    p = 1.0 + y * (
        1.0
        + y
        * (
            0.5
            + y
            * (
                1.0 / 6.0
                + y
                * (
                    1.0 / 24.0
                    + y
                    * (1.0 / 120.0 + y * (1.0 / 720.0 + y * (1.0 / 5040.0 + y * (1.0 / 40320.0))))
                )
            )
        )
    )
    p = p * p
    p = p * p
    p = p * p
    p = p * p
    p = p * p
    return p * p


@numba.njit(cache=True, error_model="numpy", fastmath=True)
def _member(
    b,
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
    plastic,
    aff_ptr,
    aff_idx,
    bg_ptr,
    bg_idx,
    bg_channel,
    rec_step,
    rec_neuron,
    rec_n,
):
    """Advance member ``b`` (see :func:`advance`)."""
    n_neurons = state.shape[2]
    depth = buf.shape[1]
    k = const[b]
    f = first_dh
    n = n_neurons - f
    # contiguous rows of the dorsal-horn neurons
    v_row, ampa, nmda_rise, nmda_decay = (
        state[b, _V, f:],
        state[b, _AMPA, f:],
        state[b, _NR, f:],
        state[b, _ND, f:],
    )
    nk1_rise, nk1_decay, gaba = state[b, _KR, f:], state[b, _KD, f:], state[b, _GABA, f:]
    calcium, gate = state[b, _CA, f:], state[b, _M, f:]
    g_leak_row, e_leak, g_can_max, e_cl, gaba_scale = (
        cell[b, _GL, f:],
        cell[b, _EL, f:],
        cell[b, _GCAN, f:],
        cell[b, _ECL, f:],
        cell[b, _GSCALE, f:],
    )
    g_k_row, sensitization = cell[b, _GK, f:], cell[b, _ISENS, f:]
    bias, threshold, reset, ref_steps = (
        cell[b, _BIAS, f:],
        cell[b, _TH, f:],
        cell[b, _RESET, f:],
        cell[b, _REF, f:],
    )
    neg_dt_over_c = -dt / cell[b, _CAP, f:]
    refractory_row = refractory[b, f:]
    v_new = np.empty(n)
    # constants as locals: loads from `const` inside the loop would block vectorization (aliasing)
    nmda_scale = k[_NGAIN] * k[_NNORM]
    mg_over_kd = k[_MG] / _receptors.JAHR_STEVENS_KD_UM
    mg_slope = -_receptors.JAHR_STEVENS_SLOPE
    nk1_norm, e_ampa, e_nmda, e_nk1, e_can = k[_KNORM], k[_EA], k[_EN], k[_EK], k[_ECAN]
    e_potassium = k[_EPOT]
    ca_fraction, ca_per_charge, ca_rest, ca_decay = k[_CAF], k[_CAQ], k[_CAR], k[_CAD]
    can_half, can_tau_max = k[_CANK], k[_CANT]
    ampa_decay, gaba_decay = k[_KA], k[_KG]
    nmda_rise_decay, nmda_decay_decay, nk1_rise_decay, nk1_decay_decay = (
        k[_KNR],
        k[_KND],
        k[_KKR],
        k[_KKD],
    )
    # Leak, K⁺ conductance and injected currents are constant over a call: fold them into one
    # resting conductance and current (fewer arrays in the vectorized loop).
    g_rest = np.empty(n)
    i_rest = np.empty(n)
    for i in range(n):
        g_rest[i] = g_leak_row[i] + g_k_row[i]
        i_rest[i] = (
            g_leak_row[i] * e_leak[i] + g_k_row[i] * e_potassium + bias[i] + sensitization[i]
        )
    n_rec = rec_n[b]
    for step in range(nsteps):
        t = t0 + step
        slot = t % depth
        # 1. synaptic input arriving now
        x = buf[b, slot]
        for i in range(f, n_neurons):
            if x[i, 0] != 0.0 or x[i, 1] != 0.0 or x[i, 2] != 0.0 or x[i, 3] != 0.0:
                ampa[i - f] += x[i, 0]
                nmda_rise[i - f] += x[i, 1]
                nmda_decay[i - f] += x[i, 1]
                nk1_rise[i - f] += x[i, 2]
                nk1_decay[i - f] += x[i, 2]
                gaba[i - f] += x[i, 3]
                x[i, 0] = 0.0
                x[i, 1] = 0.0
                x[i, 2] = 0.0
                x[i, 3] = 0.0
        for e in range(bg_ptr[b, step], bg_ptr[b, step + 1]):
            i = bg_idx[e]
            if bg_channel[e] == 0:
                ampa[i - f] += cell[b, _BGE, i]
            else:
                gaba[i - f] += cell[b, _BGI, i]
        # 2. afferent spikes
        for e in range(aff_ptr[b, step], aff_ptr[b, step + 1]):
            j = aff_idx[e]
            spike_count[b, j] += 1
            last_spike[b, j] = t
            rec_step[b, n_rec] = t
            rec_neuron[b, n_rec] = j
            n_rec += 1
            _propagate(b, j, t, buf, indptr, post, weights, delays, plastic, cell, depth)
        # 3. integrate every dorsal-horn neuron (branch-free: vectorized)
        for i in range(n):
            v = v_row[i]
            g_nmda = nmda_scale * (nmda_decay[i] - nmda_rise[i])
            g_nmda_eff = g_nmda / (1.0 + _exp(mg_slope * v) * mg_over_kd)  # Jahr–Stevens block
            nmda_current = g_nmda_eff * (v - e_nmda)
            g_nk1 = nk1_norm * (nk1_decay[i] - nk1_rise[i])
            m = gate[i]
            g_can = g_can_max[i] * m * m
            g_ampa = ampa[i]
            g_gaba = gaba[i]
            g_gaba_eff = gaba_scale[i] * g_gaba  # disinhibition; the trace stays unscaled
            g_total = g_rest[i] + g_ampa + g_nmda_eff + g_nk1 + g_gaba_eff + g_can
            drive = (
                i_rest[i]
                + g_ampa * e_ampa
                + g_nmda_eff * e_nmda
                + g_nk1 * e_nk1
                + g_gaba_eff * e_cl[i]
                + g_can * e_can
            )
            v_inf = drive / g_total
            v_int = v_inf + (v - v_inf) * _exp(g_total * neg_dt_over_c[i])
            v_new[i] = v if refractory_row[i] > 0 else v_int
            ca = calcium[i]
            gate[i] = m + dt * _can_gate_rate(ca, m, can_half, can_tau_max)
            calcium[i] = (
                ca_rest
                + (ca - ca_rest) * ca_decay
                + _calcium_influx(nmda_current, ca_fraction, ca_per_charge, dt)
            )
            ampa[i] = g_ampa * ampa_decay
            nmda_rise[i] *= nmda_rise_decay
            nmda_decay[i] *= nmda_decay_decay
            nk1_rise[i] *= nk1_rise_decay
            nk1_decay[i] *= nk1_decay_decay
            gaba[i] = g_gaba * gaba_decay
        # 4. refractoriness, threshold, spikes
        for i in range(n):
            v = v_new[i]
            if refractory_row[i] > 0:
                refractory_row[i] -= 1
            elif v >= threshold[i]:
                v = reset[i]
                refractory_row[i] = int(ref_steps[i])
                spike_count[b, f + i] += 1
                last_spike[b, f + i] = t
                rec_step[b, n_rec] = t
                rec_neuron[b, n_rec] = f + i
                n_rec += 1
                _propagate(b, f + i, t, buf, indptr, post, weights, delays, plastic, cell, depth)
            v_row[i] = v
    rec_n[b] = n_rec


@numba.njit(cache=True, parallel=True)
def _parallel(*args):
    for b in numba.prange(args[4].shape[0]):
        _member(b, *args)


@numba.njit(cache=True)
def _serial(*args):
    for b in range(args[4].shape[0]):
        _member(b, *args)


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
    plastic,
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
    Members run on numba's threads when there are several (and more than one thread).
    """
    args = (
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
        plastic,
        aff_ptr,
        aff_idx,
        bg_ptr,
        bg_idx,
        bg_channel,
        rec_step,
        rec_neuron,
        rec_n,
    )
    if state.shape[0] == 1 or numba.get_num_threads() == 1:
        _serial(*args)
    else:
        _parallel(*args)


def warm_up() -> None:
    """Compile (or load from cache) the kernel on a tiny problem."""
    b, n = 1, 2
    f8, i8 = np.float64, np.int64
    advance(
        0,
        1,
        0.1,
        1,
        np.zeros((b, len(STATE), n)),
        np.ones((b, len(CELL), n)),
        np.ones((b, len(CONST))),
        np.zeros((b, 2, n, 4)),
        np.zeros((b, n), np.int32),
        np.zeros((b, n), i8),
        np.zeros((b, n), i8),
        np.zeros(n + 1, i8),
        np.zeros(0, np.int32),
        np.zeros((0, 4), f8),
        np.zeros(0, np.int32),
        np.zeros(0, np.bool_),
        np.zeros((b, 2), i8),
        np.zeros(0, np.int32),
        np.zeros((b, 2), i8),
        np.zeros(0, np.int32),
        np.zeros(0, np.int8),
        np.zeros((b, 4), i8),
        np.zeros((b, 4), np.int32),
        np.zeros(b, i8),
    )
