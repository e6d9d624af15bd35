"""Pathological conditions (``condition:`` in a config) as changes to the network's parameters.

**Disinhibition** (SCIENCE B4). Spinal inhibition normally keeps touch (Aβ) input away from
lamina I nociceptive-specific (NS) projection neurons: Aβ fibres reach them only through a
polysynaptic excitatory-interneuron chain that GABA_A/glycine inhibition holds shut. Blocking that
inhibition (bicuculline + strychnine) unmasks Aβ drive in a majority of lamina I projection
neurons instead of a small minority (Torsney & MacDermott 2006); after nerve injury, loss of the
KCC2 chloride exporter shifts the anion reversal by about +20–25 mV, so GABA/glycine inhibit less
or even excite (Coull et al. 2003, 2005; modelled by Prescott et al. 2006). Both are per-neuron
cell parameters of the engine (:data:`painnet.engine.layout.CELL`)::

    g_GABA,eff = inhibition_scale × g_GABA          (in the membrane equation of both kernels)
    E_Cl       = model.receptors.gaba_a.reversal + chloride_shift

The stored GABA_A conductance trace stays unscaled, so a change of ``inhibition_scale`` (by an
agent rule, or between batch members) acts at once. Populations the condition does not name keep
``inhibition_scale = 1`` and the unshifted E_Cl.
"""

from __future__ import annotations

from painnet.config.schema import ExperimentConfig


def inhibition(config: ExperimentConfig, population: str) -> tuple[float, float]:
    """``(inhibition_scale, chloride_shift in mV)`` of a dorsal-horn population under the config.

    ``(1.0, 0.0)`` when there is no disinhibition or it does not name ``population``.
    """
    disinhibition = config.condition.disinhibition
    if disinhibition is None:
        return 1.0, 0.0
    names = disinhibition.populations
    if names is not None and population not in names:
        return 1.0, 0.0
    return disinhibition.inhibition_scale, disinhibition.chloride_shift
