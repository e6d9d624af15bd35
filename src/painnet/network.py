"""Build the dorsal-horn network as a seeded ``networkx.DiGraph`` from labelled connection rules.

Nodes are integers 0..N-1 (afferent populations first, then dorsal-horn populations, each in
config order) with attributes ``population``, ``type`` and ``name`` (e.g. ``"WDR[3]"``); afferent
nodes also carry their fixed ``threshold`` (× C threshold) and ``latency`` (ms). Edges carry peak
conductances ``ampa``, ``nmda``, ``nk1``, ``gaba_a`` (nS), ``delay`` (ms), ``plastic`` and the
``rule`` label. The graph is the user-facing description; :mod:`painnet.engine.compile` turns
it into arrays.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from painnet.agents import is_afferent_type
from painnet.config.schema import Connection, ModelSpec
from painnet.seeds import stream


def population_order(spec: ModelSpec) -> list[str]:
    """Population names in node order: afferents first, then dorsal-horn populations."""
    names = list(spec.populations)
    afferent = [n for n in names if is_afferent_type(spec.populations[n].type)]
    return afferent + [n for n in names if n not in afferent]


def population_slices(spec: ModelSpec) -> dict[str, range]:
    """Node ids of each population."""
    out, start = {}, 0
    for name in population_order(spec):
        size = spec.populations[name].size
        out[name] = range(start, start + size)
        start += size
    return out


def _lognormal_factor(rng: np.random.Generator, cv: float, n: int) -> np.ndarray:
    """Multiplicative heterogeneity with mean 1 and coefficient of variation ``cv``."""
    if cv == 0:
        return np.ones(n)
    sigma = np.sqrt(np.log1p(cv * cv))
    return rng.lognormal(-0.5 * sigma * sigma, sigma, n)


def _draw_partners(
    rule: Connection, pre: range, post_id: int, rng: np.random.Generator
) -> np.ndarray:
    candidates = np.asarray(pre)
    candidates = candidates[candidates != post_id]
    if rule.probability is not None:
        k = rng.binomial(len(candidates), rule.probability)
    else:
        k = min(rule.in_degree, len(candidates))
    return np.sort(rng.choice(candidates, size=k, replace=False))


def build_network(spec: ModelSpec, seed: int) -> nx.DiGraph:
    """The network for ``spec`` under root ``seed`` (same seed → identical graph)."""
    rng = stream(seed, "network")
    graph = nx.DiGraph()
    slices = population_slices(spec)
    for name, ids in slices.items():
        pop = spec.populations[name]
        attrs = [
            {"population": name, "type": pop.type, "name": f"{name}[{k}]"} for k in range(len(ids))
        ]
        if is_afferent_type(pop.type):
            aff = pop.afferent
            thresholds = aff.threshold * _lognormal_factor(rng, aff.threshold_cv, len(ids))
            latencies = aff.latency * _lognormal_factor(rng, aff.latency_cv, len(ids))
            for a, th, lat in zip(attrs, thresholds, latencies, strict=True):
                a["threshold"] = float(th)
                a["latency"] = float(lat)
        graph.add_nodes_from(zip(ids, attrs, strict=True))
    for label, rule in spec.connections.items():
        pre, post = slices[rule.pre], slices[rule.post]
        edges = []
        for post_id in post:
            partners = _draw_partners(rule, pre, post_id, rng)
            n = len(partners)
            factor = _lognormal_factor(rng, rule.weight_cv, n)
            delay = (
                rule.delay + rng.uniform(0.0, rule.delay_jitter, n)
                if rule.delay_jitter
                else np.full(n, rule.delay)
            )
            for pre_id, f, d in zip(partners, factor, delay, strict=True):
                edges.append(
                    (
                        int(pre_id),
                        post_id,
                        {
                            "ampa": rule.ampa * f,
                            "nmda": rule.nmda * f,
                            "nk1": rule.nk1 * f,
                            "gaba_a": rule.gaba_a * f,
                            "delay": float(d),
                            "plastic": rule.plastic,
                            "rule": label,
                        },
                    )
                )
        graph.add_edges_from(edges)
    return graph
