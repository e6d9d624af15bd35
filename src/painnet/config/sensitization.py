"""Config classes of the sensitization states (``model.sensitization``): LTP, excitability, chronic.

All three are driven by the neuron's NMDA-dependent calcium pool (``model.receptors.calcium``),
so NMDA block acts on each of them through calcium alone (SCIENCE §0, §B, §C4, §F2; DESIGN §2).
The equations are in :mod:`painnet.sensitization`.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from painnet.config.fields import Section, param
from painnet.units import Concentration, Current, Time


class LTP(Section):
    """Synaptic potentiation ρ of plastic afferent synapses: the Graupner–Brunel bistable rule.

    ``τ dρ/dt = −ρ(1−ρ)(ρ*−ρ) + γp(1−ρ)Θ[c−θp] − γd ρ Θ[c−θd]`` with c the neuron's NMDA calcium;
    the AMPA weight of its plastic input synapses is ``1 + (potentiated_gain − 1)·ρ`` times the
    baseline. Bistable: once ρ passes ρ* it settles UP without calcium, so NMDA block after
    induction cannot undo it (Benrath 2005), while block before induction keeps c below θp.
    """

    enabled: bool = Field(True, description="Whether plastic synapses potentiate.")
    depression_threshold: Concentration = param(
        "3.5 µM",
        "Calcium above which synapses depress (θd).",
        "assumption: θd = θp. Graupner & Brunel 2012 put θd below θp (1 vs 1.3 of a 20-ms spine transient); the slow 3-s pool used here would take seconds to fall through such a band after every potentiating event and erase it, so the model has no LTD band (limitation)",
        gt=0,
        le=100,
    )
    potentiation_threshold: Concentration = param(
        "3.5 µM",
        "Calcium above which synapses potentiate (θp).",
        "calibrated (seed 1) between protocols, not to an LTP magnitude: projection-neuron Ca²⁺ peaks at 2.5–2.8 µM in a 16-pulse 1-Hz wind-up train and ~1.7–2 µM under 2-Hz tonic C drive (no LTP), 4–5 µM during 2-Hz LFS and > 40 µM during HFS (LTP; Ruscheweyh 2011, SCIENCE B1)",
        gt=0,
        le=100,
    )
    gamma_potentiation: float = param(
        6.18,
        "Potentiation rate γp.",
        "calibrated (seed 1): the Graupner & Brunel 2012 'DP' rates (γp 321.8, γd 200, SCIENCE C4) divided by 52, keeping γp/γd, because the plasticity calcium here is the 3-s NMDA pool, not a 20-ms spine transient: ρ then crosses ρ* after ~25 s above θp (HFS gives 44–52 s, 2-Hz LFS ~115 s, HFS under 90 % NMDA block 0–11 s)",
        unit="1",
        ge=0,
        le=1e5,
    )
    gamma_depression: float = param(
        3.82,
        "Depression rate γd.",
        "calibrated with gamma_potentiation: Graupner & Brunel 2012 'DP' γd 200 divided by 52 (SCIENCE C4)",
        unit="1",
        ge=0,
        le=1e5,
    )
    tau: Time = param(
        "150 s",
        "Time constant τ of ρ.",
        "Graupner & Brunel 2012 'DP' set (SCIENCE C4)",
        gt=0,
        le=1e9,
    )
    unstable_point: float = param(
        0.5,
        "Unstable fixed point ρ* between the DOWN (0) and UP (1) states.",
        "Graupner & Brunel 2012 (SCIENCE C4)",
        unit="1",
        gt=0,
        lt=1,
    )
    potentiated_gain: float = param(
        2.8,
        "AMPA weight of a potentiated (UP) plastic synapse relative to its DOWN weight.",
        "calibrated (seed 1) so that HFS raises the C-fibre response (100–300 ms, spikes of projection neurons) to about the middle of the 149–173 % of baseline field potentials after HFS (Benrath 2004, 2005; SCIENCE B1, V4); the response grows less than the weight (inhibition, saturation) — validated on held-out seeds in docs/validation.md",
        unit="1",
        ge=1,
        le=10,
    )

    @model_validator(mode="after")
    def _ordered(self) -> LTP:
        if self.depression_threshold > self.potentiation_threshold:
            raise ValueError(
                "depression_threshold must not exceed potentiation_threshold (θd ≤ θp)"
            )
        return self


class Excitability(Section):
    """Activity-maintained excitability e (minutes), sustained by ongoing NMDA calcium.

    ``de/dt = (e∞(c) − e)/τ`` with ``e∞ = c^n/(c^n + K^n)`` (calcium above rest) and
    τ = ``tau_on`` while e rises, ``tau_off`` while it falls; the neuron receives a depolarizing
    current ``e × current``. NMDA block lowers c, so e decays while the afferent drive continues —
    the reversible central sensitization of Woolf & Thompson 1991 (SCIENCE §0, V7).
    """

    enabled: bool = Field(True, description="Whether the excitability state is simulated.")
    half_activation: Concentration = param(
        "0.6 µM",
        "Calcium (above rest) at which e∞ is one half.",
        "calibrated (seed 1) between protocols: projection-neuron Ca²⁺ sits ~0.2 µM above rest with spontaneous activity (e∞ ≈ 0.01) and ~0.8–1.6 µM above under 1–2 Hz tonic C drive (e∞ ≈ 0.8–0.98)",
        gt=0,
        le=100,
    )
    hill: float = param(
        4.0,
        "Hill coefficient of e∞(c).",
        "assumption: switch-like kinase activation (PKC/ERK) by calcium",
        unit="1",
        ge=1,
        le=20,
    )
    tau_on: Time = param(
        "60 s",
        "Time constant while e rises.",
        "assumption: facilitation builds over the 20-s (1 Hz) conditioning trains of Woolf & Thompson 1991 without dominating a 16-s wind-up train",
        gt=0,
        le=1e9,
    )
    tau_off: Time = param(
        "5 min",
        "Time constant while e falls.",
        "Woolf & Wall 1986 (facilitation ~10 min after brief cutaneous-nerve conditioning, SCIENCE B1) — a 5-min time constant",
        gt=0,
        le=1e9,
    )
    current: Current = param(
        "10 pA",
        "Depolarizing current at e = 1.",
        "assumption: of the order of the rheobase gap of the projection neurons (leak 2–3 nS × ~10 mV)",
        ge=0,
        le=1000,
    )


class Chronic(Section):
    """The chronic state s (days–weeks), refreshed by ongoing NMDA calcium.

    ``ds/dt = a(c)(1 − s)/τ_on − (1 − a(c)) s/τ_off`` with ``a = c^n/(c^n + K^n)`` (calcium above
    rest): pathological input keeps refreshing it through NMDA; when NMDA block removes the
    refresh the state decays with ``decay_time``, and comes back with ``onset_half_life`` once
    the block ends. It adds ``s × current`` of depolarizing current and multiplies plastic AMPA
    weights by ``1 + s (synaptic_gain − 1)``. Assumed biology in ``docs/odd.md`` (§7, chronic state).
    """

    enabled: bool = Field(True, description="Whether the chronic state is simulated.")
    half_activation: Concentration = param(
        "0.4 µM",
        "Calcium (above rest) at which the NMDA refresh a(c) is one half.",
        "assumption: ongoing pathological afferent drive keeps projection-neuron NMDA calcium above this; rest and spontaneous activity stay below",
        gt=0,
        le=100,
    )
    hill: float = param(
        4.0,
        "Hill coefficient of a(c).",
        "assumption: switch-like, as the excitability state",
        unit="1",
        ge=1,
        le=20,
    )
    onset_half_life: Time = param(
        "10.9 d",
        "Half-life with which the state re-establishes while refreshed (relief offset).",
        "Dahan et al. 2011 Eur J Pain 15:258 (onset/offset t½ of relief 10.9 ± 4.0 d, SCIENCE F2, E2)",
        gt=0,
        le=1e12,
    )
    decay_time: Time = param(
        "2 d",
        "Time constant of decay while NMDA refresh is absent.",
        "assumption: turnover of the maintenance machinery (days), so a 100-h block erodes the state (Sigtermans 2009) while a 30-min infusion does not (Noppers 2011) — SCIENCE F2",
        gt=0,
        le=1e12,
    )
    current: Current = param(
        "15 pA",
        "Depolarizing current at s = 1.",
        "assumption: maintained hyperexcitability of projection neurons in chronic pain (same order as the excitability state)",
        ge=0,
        le=1000,
    )
    synaptic_gain: float = param(
        1.5,
        "Plastic AMPA weight multiplier at s = 1 (consolidated, structural potentiation).",
        "assumption: late-phase LTP of C-fibre synapses persists in chronic pain (Sandkühler 2007, SCIENCE B2)",
        unit="1",
        ge=1,
        le=10,
    )


class Sensitization(Section):
    """Central sensitization on three slow timescales (wind-up, the fourth, is the CAN current)."""

    ltp: LTP = Field(default_factory=LTP)
    excitability: Excitability = Field(default_factory=Excitability)
    chronic: Chronic = Field(default_factory=Chronic)
