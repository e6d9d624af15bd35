"""Compile the user-facing graph and config into the engine's arrays.

Synapses are stored by presynaptic neuron (CSR: ``indptr``, ``post``, ``weights[nnz, 4]``,
``delays`` in kernel steps, at least one step). Cell parameters and receptor constants become
``float64[B, ...]`` arrays so every batch member can carry its own parameter set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np

from painnet.conditions import inhibition
from painnet.config.schema import ExperimentConfig, Receptors
from painnet.engine.layout import CELL, CONST, RECEPTOR
from painnet.receptors import dual_exponential_peak_norm


@dataclass(frozen=True)
class Synapses:
    """CSR synapse table by presynaptic neuron."""

    indptr: np.ndarray  # int64[N + 1]
    post: np.ndarray  # int32[nnz]
    weights: np.ndarray  # float64[nnz, 4] peak conductances (nS): ampa, nmda, nk1, gaba_a
    delays: np.ndarray  # int32[nnz] kernel steps (>= 1)
    plastic: np.ndarray  # bool[nnz]

    @property
    def depth(self) -> int:
        """Ring-buffer depth needed for the longest delay."""
        return int(self.delays.max()) + 1 if len(self.delays) else 2


def compile_synapses(graph: nx.DiGraph, dt: float) -> Synapses:
    """CSR arrays from the graph's edges (``dt`` in ms converts delays to steps)."""
    n = graph.number_of_nodes()
    m = graph.number_of_edges()
    pre = np.empty(m, np.int64)
    post = np.empty(m, np.int32)
    weights = np.empty((m, len(RECEPTOR)), np.float64)
    delays = np.empty(m, np.float64)
    plastic = np.empty(m, bool)
    for e, (u, v, d) in enumerate(graph.edges(data=True)):
        pre[e], post[e] = u, v
        weights[e] = (d["ampa"], d["nmda"], d["nk1"], d["gaba_a"])
        delays[e] = d["delay"]
        plastic[e] = d["plastic"]
    order = np.lexsort((post, pre))
    counts = np.bincount(pre, minlength=n)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    steps = np.maximum(1, np.rint(delays[order] / dt)).astype(np.int32)
    return Synapses(
        indptr, post[order], np.ascontiguousarray(weights[order]), steps, plastic[order]
    )


def cell_parameters(config: ExperimentConfig, graph: nx.DiGraph, members: int) -> np.ndarray:
    """``float64[B, len(CELL), N]`` cell parameters (afferent columns are unused).

    A condition's per-neuron changes (disinhibition: ``inhibition_scale``, the E_Cl shift) are
    applied here (:mod:`painnet.conditions`).
    """
    n = graph.number_of_nodes()
    dt = config.run.dt
    bg = config.protocol.background
    out = np.zeros((len(CELL), n))
    condition = {name: inhibition(config, name) for name in config.model.populations}
    for node, data in graph.nodes(data=True):
        cell = config.model.populations[data["population"]].cell
        inhibition_scale, chloride_shift = condition[data["population"]]
        out[:, node] = (
            cell.capacitance,
            cell.leak_conductance,
            cell.leak_reversal,
            cell.threshold,
            cell.reset,
            max(1, round(cell.refractory / dt)),
            cell.can_conductance,
            cell.bias_current,
            config.model.receptors.gaba_a.reversal + chloride_shift,
            inhibition_scale,
            bg.excitatory_weight,
            bg.inhibitory_weight,
            1.0,  # release_scale (drugs set it during a run)
            1.0,  # synaptic_gain (LTP and the chronic state set it)
            0.0,  # potassium_conductance (opioid / descending K+ conductance)
            0.0,  # sensitization_current
        )
    return np.repeat(out[None], members, axis=0)


def receptor_constants(receptors: Receptors, dt: float) -> np.ndarray:
    """``float64[len(CONST)]`` per-member constants from receptor kinetics.

    The NMDA gain starts at 1 (no block); drugs set it at every model step
    (:mod:`painnet.drug_effects`).
    """
    a, n, k, g = receptors.ampa, receptors.nmda, receptors.nk1, receptors.gaba_a
    ca, can = receptors.calcium, receptors.can
    values = {
        "ampa_decay": math.exp(-dt / a.tau_decay),
        "nmda_rise_decay": math.exp(-dt / n.tau_rise),
        "nmda_decay_decay": math.exp(-dt / n.tau_decay),
        "nk1_rise_decay": math.exp(-dt / k.tau_rise),
        "nk1_decay_decay": math.exp(-dt / k.tau_decay),
        "gaba_decay": math.exp(-dt / g.tau_decay),
        "nmda_norm": dual_exponential_peak_norm(n.tau_rise, n.tau_decay),
        "nk1_norm": dual_exponential_peak_norm(k.tau_rise, k.tau_decay),
        "ampa_reversal": a.reversal,
        "nmda_reversal": n.reversal,
        "nk1_reversal": k.reversal,
        "magnesium": n.magnesium,
        "nmda_gain": 1.0,
        "calcium_fraction": n.calcium_fraction,
        "calcium_per_charge": ca.per_charge,
        "calcium_resting": ca.resting,
        "calcium_decay": math.exp(-dt / ca.tau),
        "can_half_activation": can.half_activation,
        "can_tau_max": can.tau_max,
        "can_reversal": can.reversal,
        "potassium_reversal": receptors.potassium.reversal,
    }
    return np.array([values[name] for name in CONST])
