"""Effect factors: receptor occupancy → dimensionless changes of the network.

Every factor is **relative to the drug-free state** the network is calibrated in: the drug-free
cholinergic tone ``a₀`` and descending activity ``D₀`` are part of that calibration, so with no
drug every release and gain factor is exactly 1 and the extra conductances are exactly 0. The
engine multiplies its calibrated quantities by the factors (and adds the conductances).

With ``a_µ`` the µ-opioid activation (the µ occupancy by agonists), ``a`` the muscarinic activation
(:func:`~painnet.pharmacology.occupancy.tone_with_antagonist`), ``D`` the descending activity and
``s`` each modifier's ``scale``:

- ``nmda_gain = 1 − b`` (b the NMDA occupancy, or the ``nmda_block`` override);
- ``c_release = adelta_release =
  (1 − s·E_µ·a_µ) · (1 − s·E_M2·a)/(1 − s·E_M2·a₀) · (1 − s·E_α2·D)/(1 − s·E_α2·D₀)``
  (opioid, cholinergic and descending presynaptic inhibition; SCIENCE G1–G3);
- ``inhibitory_gain = (1 + s·E_i·a)/(1 + s·E_i·a₀) · (1 − s·E_GABA·a_µ)``;
- ``k_conductance_opioid = s·g_µ·a_µ`` (nS, in the opioid-responsive neurons);
- ``k_conductance_descending = s·g_α2·(D − D₀)/(1 − D₀)`` (nS, in the α2-responsive neurons);
- ``descending_activity = D = D₀ + (1 − D₀)·min(1, gain·b_PK)``, b_PK the NMDA occupancy from
  the drugs (not the override).

A disabled modifier contributes exactly 1 (or 0 nS). The C and Aδ factors are equal here: the
cited studies give one magnitude for both (Heinke 2011; Zhang 2007); they are separate so the
engine can route them to separate terminals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from painnet.config.drugs import Modifiers
from painnet.pharmacology.occupancy import tone_with_antagonist


@dataclass(frozen=True)
class EffectFactors:
    """Drug effects on the network at a set of times, all arrays shaped like the times.

    Attributes:
        nmda_gain: multiplier on NMDA conductance and its Ca²⁺ entry (1 = no block).
        c_release: multiplier on C-fibre transmitter release (1 = drug-free).
        adelta_release: multiplier on Aδ-fibre transmitter release (1 = drug-free).
        inhibitory_gain: multiplier on inhibitory-interneuron output (1 = drug-free).
        k_conductance_opioid: extra GIRK K⁺ conductance in opioid-responsive neurons (nS).
        k_conductance_descending: extra α2 K⁺ conductance in descending-responsive neurons (nS).
        descending_activity: descending-inhibition activity (0–1; its drug-free value is the
            configured baseline).
    """

    nmda_gain: np.ndarray
    c_release: np.ndarray
    adelta_release: np.ndarray
    inhibitory_gain: np.ndarray
    k_conductance_opioid: np.ndarray
    k_conductance_descending: np.ndarray
    descending_activity: np.ndarray


def effect_factors(
    occupancy: dict[str, np.ndarray],
    mu_activation: np.ndarray,
    nmda_from_drugs: np.ndarray,
    modifiers: Modifiers,
) -> EffectFactors:
    """The effect factors from receptor occupancy.

    Args:
        occupancy: fractions by target (``nmda`` as applied — the override if set —,
            ``muscarinic``...) from :meth:`Pharmacology.occupancy`.
        mu_activation: fraction of µ receptors held by agonists (opioids; ketamine only
            competes).
        nmda_from_drugs: NMDA occupancy from the drug concentrations alone (drives the
            descending systems; ignores the teaching override).
        modifiers: the configured modifiers.

    Returns:
        The factors, shaped like the occupancy arrays.
    """
    mu = np.asarray(mu_activation, dtype=float)
    ones = np.ones_like(mu)
    zeros = np.zeros_like(mu)

    release = ones.copy()
    inhibition = ones.copy()
    k_opioid = zeros.copy()

    pre = modifiers.opioid_presynaptic
    if pre.enabled:
        release *= 1.0 - pre.scale * pre.emax * mu

    post = modifiers.opioid_postsynaptic
    if post.enabled:
        k_opioid = post.scale * post.max_conductance * mu

    gaba = modifiers.opioid_gaba_release
    if gaba.enabled:
        inhibition *= 1.0 - gaba.scale * gaba.emax * mu

    tone = modifiers.cholinergic_tone
    if tone.enabled:
        blocked = occupancy["muscarinic"]
        activation = tone_with_antagonist(tone.baseline_tone, blocked / (1.0 - blocked))
        e_release = tone.scale * tone.release_emax
        e_inhibit = tone.scale * tone.inhibitory_emax
        release *= (1.0 - e_release * activation) / (1.0 - e_release * tone.baseline_tone)
        inhibition *= (1.0 + e_inhibit * activation) / (1.0 + e_inhibit * tone.baseline_tone)

    down = modifiers.descending
    baseline = down.baseline_activity
    activity = np.full_like(mu, baseline)
    k_descending = zeros.copy()
    if down.enabled:
        drive = np.minimum(1.0, down.ketamine_gain * np.asarray(nmda_from_drugs, dtype=float))
        activity = baseline + (1.0 - baseline) * drive
        e_release = down.scale * down.release_emax
        release *= (1.0 - e_release * activity) / (1.0 - e_release * baseline)
        k_descending = down.scale * down.max_conductance * (activity - baseline) / (1.0 - baseline)

    return EffectFactors(
        nmda_gain=1.0 - occupancy["nmda"],
        c_release=release,
        adelta_release=release.copy(),
        inhibitory_gain=inhibition,
        k_conductance_opioid=k_opioid,
        k_conductance_descending=k_descending,
        descending_activity=activity,
    )
