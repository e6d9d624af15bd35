"""Reference neuron kernel in numpy: the same equations as the compiled kernel, vectorized.

Slower (Python loop over kernel steps) but easy to read and check; ``tests/test_engine.py``
runs both on the same input and requires them to agree. The order of operations per step is the
compiled kernel's (see :mod:`painnet.engine.kernel_numba`).
"""

from __future__ import annotations

import numpy as np

from painnet.calcium import calcium_influx, can_gate_rate
from painnet.engine.layout import C, K, R, S
from painnet.receptors import mg_block


def _propagate(b, neurons, t, buf, indptr, post, weights, delays, plastic, cell):
    """Add the weights of all synapses of ``neurons`` (in order) to the ring buffer of member b.

    Weights are scaled by the presynaptic ``release_scale`` and, for the AMPA weight of plastic
    synapses, by the postsynaptic ``synaptic_gain``.
    """
    if len(neurons) == 0:
        return
    starts, ends = indptr[neurons], indptr[neurons + 1]
    counts = ends - starts
    syn = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
    if len(syn) == 0:
        return
    release = np.repeat(cell[b, C["release_scale"], neurons], counts)
    w = weights[syn] * release[:, None]
    targets = post[syn]
    w[:, R["ampa"]] *= np.where(plastic[syn], cell[b, C["synaptic_gain"], targets], 1.0)
    slots = (t + delays[syn]) % buf.shape[1]
    np.add.at(buf[b], (slots, targets), w)


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
    """Advance all members ``nsteps`` steps; same signature and effects as the numba kernel."""
    depth = buf.shape[1]
    dh = slice(first_dh, state.shape[2])
    for b in range(state.shape[0]):
        k = const[b]
        st, ce = state[b], cell[b]
        for step in range(nsteps):
            t = t0 + step
            slot = t % depth
            x = buf[b, slot, dh]
            st[S["ampa"], dh] += x[:, 0]
            st[S["nmda_rise"], dh] += x[:, 1]
            st[S["nmda_decay"], dh] += x[:, 1]
            st[S["nk1_rise"], dh] += x[:, 2]
            st[S["nk1_decay"], dh] += x[:, 2]
            st[S["gaba_a"], dh] += x[:, 3]
            x[:] = 0.0
            events = slice(bg_ptr[b, step], bg_ptr[b, step + 1])
            for i, ch in zip(bg_idx[events], bg_channel[events], strict=True):
                if ch == 0:
                    st[S["ampa"], i] += ce[C["background_excitatory_weight"], i]
                else:
                    st[S["gaba_a"], i] += ce[C["background_inhibitory_weight"], i]
            afferents = aff_idx[aff_ptr[b, step] : aff_ptr[b, step + 1]].astype(np.int64)
            for j in afferents:
                spike_count[b, j] += 1
                last_spike[b, j] = t
                rec_step[b, rec_n[b]] = t
                rec_neuron[b, rec_n[b]] = j
                rec_n[b] += 1
                _propagate(b, np.array([j]), t, buf, indptr, post, weights, delays, plastic, cell)

            v = st[S["v"], dh]
            g_nmda = (
                k[K["nmda_gain"]]
                * k[K["nmda_norm"]]
                * (st[S["nmda_decay"], dh] - st[S["nmda_rise"], dh])
            )
            g_nk1 = k[K["nk1_norm"]] * (st[S["nk1_decay"], dh] - st[S["nk1_rise"], dh])
            g_nmda_eff = g_nmda * mg_block(v, k[K["magnesium"]])
            nmda_current = g_nmda_eff * (v - k[K["nmda_reversal"]])
            m = st[S["can_gate"], dh].copy()
            g_can = ce[C["can_conductance"], dh] * m * m
            g_ampa = st[S["ampa"], dh].copy()
            g_gaba = st[S["gaba_a"], dh].copy()
            g_gaba_eff = ce[C["inhibition_scale"], dh] * g_gaba  # the trace stays unscaled
            # leak, K⁺ conductance and injected currents: one resting conductance and current
            g_leak = ce[C["leak_conductance"], dh]
            g_k = ce[C["potassium_conductance"], dh]
            g_rest = g_leak + g_k
            i_rest = (
                g_leak * ce[C["leak_reversal"], dh]
                + g_k * k[K["potassium_reversal"]]
                + ce[C["bias_current"], dh]
                + ce[C["sensitization_current"], dh]
            )
            g_total = g_rest + g_ampa + g_nmda_eff + g_nk1 + g_gaba_eff + g_can
            drive = (
                i_rest
                + g_ampa * k[K["ampa_reversal"]]
                + g_nmda_eff * k[K["nmda_reversal"]]
                + g_nk1 * k[K["nk1_reversal"]]
                + g_gaba_eff * ce[C["chloride_reversal"], dh]
                + g_can * k[K["can_reversal"]]
            )
            v_inf = drive / g_total
            v_new = v_inf + (v - v_inf) * np.exp(-dt * g_total / ce[C["capacitance"], dh])
            ref = refractory[b, dh]
            resting = ref > 0
            v_new = np.where(resting, v, v_new)
            spiking = ~resting & (v_new >= ce[C["threshold"], dh])
            ref[resting] -= 1
            v_new = np.where(spiking, ce[C["reset"], dh], v_new)
            ref[spiking] = ce[C["refractory_steps"], dh][spiking].astype(ref.dtype)
            ca = st[S["calcium"], dh].copy()
            st[S["v"], dh] = v_new
            st[S["can_gate"], dh] = m + dt * can_gate_rate(
                ca, m, k[K["can_half_activation"]], k[K["can_tau_max"]]
            )
            st[S["calcium"], dh] = (
                k[K["calcium_resting"]]
                + (ca - k[K["calcium_resting"]]) * k[K["calcium_decay"]]
                + calcium_influx(
                    nmda_current, k[K["calcium_fraction"]], k[K["calcium_per_charge"]], dt
                )
            )
            st[S["ampa"], dh] = g_ampa * k[K["ampa_decay"]]
            st[S["nmda_rise"], dh] *= k[K["nmda_rise_decay"]]
            st[S["nmda_decay"], dh] *= k[K["nmda_decay_decay"]]
            st[S["nk1_rise"], dh] *= k[K["nk1_rise_decay"]]
            st[S["nk1_decay"], dh] *= k[K["nk1_decay_decay"]]
            st[S["gaba_a"], dh] = g_gaba * k[K["gaba_decay"]]
            fired = np.flatnonzero(spiking) + first_dh
            n = len(fired)
            spike_count[b, fired] += 1
            last_spike[b, fired] = t
            rec_step[b, rec_n[b] : rec_n[b] + n] = t
            rec_neuron[b, rec_n[b] : rec_n[b] + n] = fired
            rec_n[b] += n
            _propagate(b, fired, t, buf, indptr, post, weights, delays, plastic, cell)
