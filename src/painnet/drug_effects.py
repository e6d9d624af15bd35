"""Drug effects on the spiking network: the last link of dose → concentration → occupancy → effect.

:mod:`painnet.pharmacology` turns each member's regimen into dimensionless effect factors over
time (relative to the drug-free state the network is calibrated in). Here they become the
engine's per-member parameters, updated at every model step:

| factor                      | engine parameter                                            |
|-----------------------------|-------------------------------------------------------------|
| ``nmda_gain``               | ``const.nmda_gain`` (NMDA conductance and its Ca²⁺ entry)   |
| ``c_release``               | ``release_scale`` of C fibres (every synapse they make)     |
| ``adelta_release``          | ``release_scale`` of Aδ fibres                              |
| ``inhibitory_gain``         | ``release_scale`` of inhibitory interneurons                |
| ``k_conductance_opioid``    | ``potassium_conductance`` of the opioid-responsive neurons  |
| ``k_conductance_descending``| ``potassium_conductance`` of the α2-responsive neurons      |

The responsive neurons are a fixed random subset (``drugs.modifiers.opioid_postsynaptic.fraction``
and ``drugs.modifiers.descending.fraction``) of every dorsal-horn population, drawn from the
network seed (stream ``drug_targets``), so drug and control members share it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from painnet.config.schema import ExperimentConfig
from painnet.engine.core import Engine
from painnet.engine.layout import C, K


def has_drugs(config: ExperimentConfig) -> bool:
    """Whether ``config`` gives any drug or NMDA block."""
    d = config.drugs
    return d.ketamine is not None or d.morphine is not None or d.nmda_block is not None


class DrugEffects:
    """Per-member effect tables on the model-step grid, written into the engine step by step.

    Args:
        members: one config per batch member.
        engine: the engine whose arrays are updated.
        populations: node ranges per population name.
        types: agent type per population name.
        step_ms: the model step (ms); tables are sampled at its multiples.
        duration_ms: how far ahead to tabulate (later times reuse the last value).
        seed: network seed (subset of responsive neurons).
        stream_keys: each member's input-stream key (virtual-patient draws).
    """

    def __init__(
        self,
        members: Sequence[ExperimentConfig],
        engine: Engine,
        populations: dict[str, range],
        types: dict[str, str],
        step_ms: float,
        duration_ms: float,
        seed: int,
        stream_keys: Sequence[int],
    ) -> None:
        from painnet.pharmacology import Pharmacology
        from painnet.seeds import stream

        self.engine = engine
        self.step_ms = step_ms
        times = np.arange(int(np.ceil(duration_ms / step_ms)) + 1) * step_ms
        self.pharmacology = [
            Pharmacology.from_config(member.drugs, rng=stream(seed, "patients", key))
            for member, key in zip(members, stream_keys, strict=True)
        ]
        self.tables = [ph.effects(times) for ph in self.pharmacology]
        self.c_fibres = _ids(populations, types, ("c_fibre",))
        self.adelta_fibres = _ids(populations, types, ("adelta_fibre",))
        self.inhibitory = _ids(populations, types, ("inhibitory_interneuron",))
        dorsal_horn = [r for name, r in populations.items() if not types[name].endswith("_fibre")]
        # one fixed order per population and receptor system: a member's subset is the first
        # `fraction` of it, so subsets are shared by members and nested as the fraction grows
        orders = {
            system: [
                stream(seed, "drug_targets", 2 * i + j).permutation(len(r))
                for i, r in enumerate(dorsal_horn)
            ]
            for j, system in enumerate(("opioid", "descending"))
        }
        modifiers = [m.drugs.modifiers for m in members]
        self.opioid_cells = [
            _subset(dorsal_horn, orders["opioid"], m.opioid_postsynaptic.fraction)
            for m in modifiers
        ]
        self.descending_cells = [
            _subset(dorsal_horn, orders["descending"], m.descending.fraction) for m in modifiers
        ]

    def apply(self, time_ms: float) -> None:
        """Write every member's effects at ``time_ms`` into the engine's arrays."""
        cell, const = self.engine.cell, self.engine.const
        for b, fx in enumerate(self.tables):
            k = min(round(time_ms / self.step_ms), len(fx.nmda_gain) - 1)
            const[b, K["nmda_gain"]] = fx.nmda_gain[k]
            cell[b, C["release_scale"], self.c_fibres] = fx.c_release[k]
            cell[b, C["release_scale"], self.adelta_fibres] = fx.adelta_release[k]
            cell[b, C["release_scale"], self.inhibitory] = fx.inhibitory_gain[k]
            g = cell[b, C["potassium_conductance"]]
            g[:] = 0.0
            g[self.opioid_cells[b]] += fx.k_conductance_opioid[k]
            g[self.descending_cells[b]] += fx.k_conductance_descending[k]


def drug_table(pharmacology: Sequence, times_ms: np.ndarray) -> pd.DataFrame:
    """Concentrations (ng/mL and µM), occupancies and vital signs of each member over ``times_ms``.

    One row per member and time (``member``, ``time_s``, ``<drug>_plasma_ng_ml``,
    ``<drug>_effect_ng_ml``, ``occupancy_<target>``, ``heart_rate``...).
    """
    frames = []
    for m, ph in enumerate(pharmacology):
        columns = {"member": np.full(len(times_ms), m), "time_s": np.asarray(times_ms) / 1000.0}
        frames.append(pd.DataFrame({**columns, **ph.columns(times_ms)}))
    return pd.concat(frames, ignore_index=True)


def _ids(populations: dict[str, range], types: dict[str, str], wanted: tuple[str, ...]):
    ranges = [np.arange(r.start, r.stop) for n, r in populations.items() if types[n] in wanted]
    return np.concatenate(ranges) if ranges else np.zeros(0, np.int64)


def _subset(ranges: list[range], orders: list[np.ndarray], fraction: float) -> np.ndarray:
    """The first ``fraction`` of each range's neurons in its fixed order."""
    chosen = [
        np.sort(order[: round(fraction * len(r))]) + r.start
        for r, order in zip(ranges, orders, strict=True)
    ]
    return np.concatenate(chosen) if chosen else np.zeros(0, np.int64)
