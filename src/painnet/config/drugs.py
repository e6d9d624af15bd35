"""Config classes of the ``drugs`` section: regimens, the patient, ketamine, morphine, modifiers.

The chain they configure (:mod:`painnet.pharmacology`): a **regimen** (boluses, infusions,
repeated doses, titrations in clinical units) → **pharmacokinetics** (compartment models with
published parameters, scaled to the **patient**) → effect-site concentrations → **receptor
occupancy** (SCIENCE D2) → dimensionless **effect factors** on the network, relative to the
drug-free state. ``nmda_block`` is the teaching override that bypasses all of it.

Doses are written as the drug is labelled (``"0.15 mg/kg"``, ``"10 mg"``, ``"5 µg/kg/min"``,
``"22 mg/h"``); per-kilogram amounts are multiplied by ``patient.weight``. Equations and
parameter choices: ``docs/pharmacology.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from painnet.config.fields import Section, param
from painnet.errors import did_you_mean
from painnet.units import (
    CANONICAL,
    BodyMass,
    Concentration,
    Conductance,
    Mass,
    MassConcentration,
    Time,
    accepted_units,
    example,
    format_quantity,
    parse_quantity,
)

# --------------------------------------------------------------------------------------------
# Doses in clinical units: absolute or per kilogram of body mass
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """A dose (mg or mg/kg) or a dose rate (mg/h or mg/kg/h) as written in the config.

    Attributes:
        value: the number in the canonical unit (mg, mg/kg, mg/h or mg/kg/h).
        per_kg: whether it is per kilogram of body mass.
    """

    value: float
    per_kg: bool

    def for_patient(self, body_mass: float) -> float:
        """The absolute amount (mg, or mg/h for rates) for a patient of ``body_mass`` kg."""
        return self.value * body_mass if self.per_kg else self.value


def _amount_type(absolute: str, per_kg: str) -> Any:
    """A config type accepting a quantity of ``absolute`` or ``per_kg`` dimension → :class:`Amount`."""
    units = ", ".join([*accepted_units(absolute), *accepted_units(per_kg)])
    expected = f"'{example(absolute)}' or '{example(per_kg)}'"

    def parse(value: Any) -> Amount:
        if isinstance(value, Amount):
            return value
        for dimension, is_per_kg in ((absolute, False), (per_kg, True)):
            try:
                number = parse_quantity(value, dimension)
            except ValueError:
                continue
            if number < 0:
                raise ValueError(f"expected an amount >= 0 like {expected}, got {value!r}")
            return Amount(number, is_per_kg)
        raise ValueError(f"expected an amount like {expected} (units: {units}), got {value!r}")

    def dump(amount: Amount) -> str:
        return format_quantity(amount.value, per_kg if amount.per_kg else absolute)

    return Annotated[
        Amount,
        BeforeValidator(parse),
        PlainSerializer(dump, return_type=str, when_used="json"),
        WithJsonSchema(
            {
                "type": "string",
                "format": "amount",
                "description": f"{absolute} ({CANONICAL[absolute]}) or {per_kg} "
                f"({CANONICAL[per_kg]}), e.g. {expected}",
            }
        ),
    ]


Dose = _amount_type("mass", "dose per body mass")
Rate = _amount_type("dose rate", "dose rate per body mass")

RouteName = Literal["iv", "im", "sc", "intranasal", "oral"]
InfusionRoute = Literal["iv", "sc"]

_LATEST = 1e12  # ms (about 30 years): upper bound of dose times, so typos are caught


# --------------------------------------------------------------------------------------------
# Regimen entries
# --------------------------------------------------------------------------------------------


class Bolus(Section):
    """One dose at one time; with ``over`` an IV dose is given as a short infusion."""

    kind: Literal["bolus"] = Field(description="Entry type: a single dose.")
    dose: Dose = Field(description="Dose, e.g. '0.15 mg/kg' or '10 mg'.")
    at: Time = param(
        "0 min",
        "Time of the dose from the start of the run.",
        "experiment choice",
        ge=0,
        le=_LATEST,
    )
    route: RouteName = Field("iv", description="Route: iv, im, sc, intranasal or oral.")
    over: Time | None = param(
        None,
        "Give an IV dose as a constant infusion over this time (null = instant push).",
        "experiment choice",
        gt=0,
        le=_LATEST,
    )

    @field_validator("over")
    @classmethod
    def _over_only_iv(cls, value: float | None, info: ValidationInfo) -> float | None:
        route = info.data.get("route")
        if value is not None and route != "iv":
            raise ValueError(
                f"only an IV dose can be given over a time, got route {route!r}; remove 'over' "
                "or use route: iv"
            )
        return value


class Infusion(Section):
    """A constant-rate infusion."""

    kind: Literal["infusion"] = Field(description="Entry type: a constant-rate infusion.")
    rate: Rate = Field(description="Rate, e.g. '0.15 mg/kg/h', '5 µg/kg/min' or '22 mg/h'.")
    start: Time = param(
        "0 h",
        "When the infusion starts (from the start of the run).",
        "experiment choice",
        ge=0,
        le=_LATEST,
    )
    duration: Time | None = param(
        None,
        "How long it runs (null = to the end of the run).",
        "experiment choice",
        gt=0,
        le=_LATEST,
    )
    route: InfusionRoute = Field("iv", description="Route: iv or sc.")


class Repeated(Section):
    """The same dose given ``count`` times, ``every`` apart (e.g. oral ketamine three times a day)."""

    kind: Literal["repeated"] = Field(description="Entry type: a dose repeated at fixed intervals.")
    dose: Dose = Field(description="Each dose, e.g. '0.5 mg/kg' or '25 mg'.")
    every: Time = param(..., "Interval between doses.", "experiment choice", gt=0, le=_LATEST)
    count: int = param(..., "Number of doses.", "experiment choice", unit="count", ge=1, le=100_000)
    start: Time = param(
        "0 h",
        "Time of the first dose (from the start of the run).",
        "experiment choice",
        ge=0,
        le=_LATEST,
    )
    route: RouteName = Field("iv", description="Route: iv, im, sc, intranasal or oral.")


class TitrationStep(Section):
    """One step of a titration: a rate held for a duration."""

    rate: Rate = Field(description="Rate of this step, e.g. '5 mg/h' or '0.1 mg/kg/h'.")
    duration: Time = param(
        ..., "How long this rate is held.", "experiment choice", gt=0, le=_LATEST
    )


class Titration(Section):
    """Consecutive infusion steps (e.g. S-ketamine 5 → 20 mg/h over 100 h, Sigtermans 2009)."""

    kind: Literal["titration"] = Field(description="Entry type: consecutive infusion steps.")
    steps: list[TitrationStep] = Field(min_length=1, description="The steps, in order.")
    start: Time = param(
        "0 h",
        "When the first step starts (from the start of the run).",
        "experiment choice",
        ge=0,
        le=_LATEST,
    )
    route: InfusionRoute = Field("iv", description="Route: iv or sc.")


class Target(Section):
    """Hold the drug at a target concentration: an idealized target-controlled infusion (TCI).

    TCI pumps compute the infusion that keeps the plasma concentration at a set level; volunteer
    studies use them to hold steady ketamine levels (Bowdle 1998: steps of 50 ng/mL for 30 min;
    Sigtermans 2009; SCIENCE D3). Here the pump is ideal: during ``[start, start + duration)``
    the plasma **and the effect-site** concentration equal ``concentration`` from the first
    instant (the effect site is assumed equilibrated, which a real pump reaches only after a few
    t½ke0), or stay at what the other doses give when that is higher (a pump cannot remove drug).
    Outside the window the entry contributes nothing: no washout after the pump stops (use an
    infusion or bolus entry when the offset matters) and no norketamine is formed from it.
    Meant for the fast-clock demos, which last seconds, far shorter than PK equilibration.
    """

    kind: Literal["target"] = Field(
        description="Entry type: a target-controlled infusion (concentration held at a level)."
    )
    concentration: MassConcentration = param(
        ...,
        "Plasma and effect-site concentration held during the window, e.g. '150 ng/mL'.",
        "experiment choice (TCI as in Bowdle 1998 and Sigtermans 2009, SCIENCE D3)",
        ge=0,
        le=100_000,
    )
    start: Time = param(
        "0 ms",
        "When the concentration reaches the target (from the start of the run).",
        "experiment choice",
        ge=0,
        le=_LATEST,
    )
    duration: Time | None = param(
        None,
        "How long the target is held (null = to the end of the run).",
        "experiment choice",
        gt=0,
        le=_LATEST,
    )

    @property
    def route(self) -> str:
        """A target-controlled infusion is intravenous."""
        return "iv"

    @property
    def end(self) -> float:
        """End of the window (ms; ``inf`` without a duration)."""
        return float("inf") if self.duration is None else self.start + self.duration


DOSE_KINDS = ("bolus", "infusion", "repeated", "titration", "target")


def _check_kind(value: Any) -> Any:
    """Explain a missing or unknown ``kind`` before the tagged union sees it."""
    if isinstance(value, Bolus | Infusion | Repeated | Titration | Target):
        return value
    if not isinstance(value, dict):
        raise ValueError(
            f"expected a dose entry (a mapping like {{kind: bolus, dose: '0.15 mg/kg'}}), got {value!r}"
        )
    kind = value.get("kind")
    if kind is None:
        raise ValueError(f"missing 'kind': add kind: {' | '.join(DOSE_KINDS)}")
    if kind not in DOSE_KINDS:
        hint = did_you_mean(str(kind), DOSE_KINDS)
        raise ValueError(
            f"unknown dose kind {kind!r}{f' ({hint})' if hint else ''}; "
            f"kinds: {', '.join(DOSE_KINDS)}"
        )
    return value


DoseEntry = Annotated[
    Bolus | Infusion | Repeated | Titration | Target,
    Field(discriminator="kind"),
    BeforeValidator(_check_kind),
]


# --------------------------------------------------------------------------------------------
# The patient
# --------------------------------------------------------------------------------------------


class Patient(Section):
    """The virtual patient: body mass, sex and (optionally) between-subject variability.

    With ``variability`` the patient's clearance, volumes, absorption rate and bioavailability
    are drawn once: ``P_i = P·exp(η)``, ``η ~ N(0, ω²)``, ``ω² = ln(1 + CV²)``; F on the logit
    scale (it stays in (0, 1)) with ``ω_F = CV_F/(1 − F)``.
    """

    weight: BodyMass = param(
        "70 kg",
        "Body mass: volumes scale with it, clearances with it (per-kg models) or its 0.75 power (allometric models); per-kg doses are multiplied by it.",
        "SCIENCE E1 (parameters given for 70 kg)",
        ge=2,
        le=300,
        label="Body mass",
    )
    sex: Literal["male", "female"] = Field(
        "male",
        description="Sex: ketamine clearance is 20 % higher in women (Sigtermans 2009); morphine effect-site speed and potency differ (Sarton 2000).",
    )
    variability: bool = Field(
        False,
        description="Draw this patient's CL, V, ka and F from lognormal between-subject distributions (a virtual patient) instead of typical values.",
    )
    seed: int | None = param(
        None,
        "Seed of the between-subject draw; null = the random stream the simulation passes in.",
        "experiment choice",
        unit="1",
        ge=0,
        le=2**63 - 1,
    )
    cv_clearance: float = param(
        0.3,
        "Between-subject coefficient of variation of clearance.",
        "SCIENCE E1 practical choice (25–40 %; Fanta 2015 13 %, Flint 2017 40 %)",
        unit="fraction",
        ge=0,
        le=2,
    )
    cv_volume: float = param(
        0.3,
        "Between-subject coefficient of variation of all distribution volumes (one factor).",
        "SCIENCE E1 practical choice (V about 30 %)",
        unit="fraction",
        ge=0,
        le=2,
    )
    cv_absorption: float = param(
        0.5,
        "Between-subject coefficient of variation of the absorption rate ka.",
        "assumption: Tmax varies several-fold between subjects (intranasal GSD 3.0–4.4, SCIENCE E3)",
        unit="fraction",
        ge=0,
        le=3,
    )
    cv_bioavailability: float = param(
        0.11,
        "Between-subject coefficient of variation of bioavailability F.",
        "Fanta 2015 (oral S-ketamine F IIV 11 %, SCIENCE E1/E3)",
        unit="fraction",
        ge=0,
        le=2,
    )


# --------------------------------------------------------------------------------------------
# Drugs
# --------------------------------------------------------------------------------------------


class Ketamine(Section):
    """Ketamine: regimen → PK (Kamp 2020 or Domino 1982) → effect site → NMDA block and more.

    The effect site lags plasma with ``ke0 = ln 2 / effect_half_time``. NMDA occupancy is
    ``b = (C_e/K)^n / (1 + (C_e/K)^n)`` with K per form (SCIENCE D2, I.5); norketamine, when on,
    competes for the same site (SCIENCE D4).
    """

    form: Literal["racemic", "esketamine"] = Field(
        "racemic",
        description="Racemic ketamine or S-ketamine (esketamine): NMDA affinity 0.5 vs 0.30 µM (SCIENCE D2) and oral F 0.17 vs 0.08 (SCIENCE E3).",
    )
    regimen: list[DoseEntry] = Field(
        default_factory=list,
        description="Doses: bolus, infusion, repeated, titration and target entries (see docs/pharmacology.md).",
    )
    target_concentration: MassConcentration | None = param(
        None,
        "Hold plasma and effect-site ketamine at this level for the whole run (shorthand for a regimen entry {kind: target, concentration: ..., start: 0 ms}); null = none.",
        "experiment choice (idealized TCI, SCIENCE D3: analgesia 70–160 ng/mL, dissociation 100–250 ng/mL)",
        ge=0,
        le=100_000,
        label="Ketamine target",
    )
    pk_model: Literal["kamp2020", "domino1982"] = Field(
        "kamp2020",
        description="Disposition model: Kamp 2020 meta-analytic three-compartment model (default; CL 84 L/h, Vss 238 L at 70 kg) or Domino 1982 (V1 4.4 L, higher early bolus peaks) (SCIENCE E1).",
    )
    effect_half_time: Time = param(
        "6.1 min",
        "Plasma–effect-site equilibration half-time t½ke0 (ke0 = ln 2 / t½ke0).",
        "Olofsen 2012 (mean over endpoints 6.1 min; 11.8 min for pain intensity, 0 for cognition; SCIENCE E2)",
        gt=0,
        le=86_400_000,
        label="Ketamine t½ke0",
    )
    norketamine: bool = Field(
        False,
        description="Model norketamine (formed from ketamine, and pre-systemically after oral and intranasal doses) and its competition at the NMDA site (SCIENCE D4).",
    )
    nmda_ki: Concentration | None = param(
        None,
        "Effect-site concentration for half NMDA occupancy; null = published value for the form (racemic 0.5 µM, S-ketamine 0.30 µM). Functional IC50 in 1 mM Mg²⁺ is higher, about 1–5 µM.",
        "SCIENCE D2 (binding Ki; Ebert 1997 for S; Kotermanski & Johnson 2009 for functional)",
        gt=0,
        le=1000,
        label="NMDA K",
    )
    nmda_hill: float = param(
        1.0,
        "Hill coefficient of NMDA occupancy.",
        "SCIENCE I.5 (n ≈ 1)",
        unit="1",
        gt=0,
        le=5,
    )


class PCA(Section):
    """Patient-controlled analgesia: the patient asks for an IV morphine bolus when in pain.

    A request is granted unless the last delivered bolus is younger than ``lockout`` or the bolus
    would push the morphine delivered in the last 60 min above ``hourly_limit``.
    """

    bolus: Mass = param(
        "1 mg",
        "Morphine per granted request (IV).",
        "assumption: common adult IV morphine PCA setting (not in SCIENCE)",
        gt=0,
        le=100,
        label="PCA bolus",
    )
    lockout: Time = param(
        "6 min",
        "Shortest time between two delivered boluses.",
        "assumption: common adult setting, 5–10 min (not in SCIENCE)",
        ge=0,
        le=86_400_000,
        label="PCA lockout",
    )
    hourly_limit: Mass | None = param(
        "10 mg",
        "Most morphine delivered in any 60-min window (null = no limit).",
        "assumption: common adult setting (not in SCIENCE)",
        gt=0,
        le=1000,
    )
    threshold: float = param(
        4.0,
        "Pain score (0–10) at or above which the patient presses the button.",
        "assumption: analgesia is asked for at moderate pain (NRS ≥ 4)",
        unit="NRS (0–10)",
        ge=0,
        le=10,
        label="PCA pain threshold",
    )


class Morphine(Section):
    """Morphine (IV): Sarton 2000 three-compartment PK with sex-specific effect-site speed.

    µ-opioid activation is ``(C_e/C50)^n / (1 + (C_e/C50)^n)`` with C50 the sex-specific analgesic
    potency of Sarton 2000; it drives the opioid modifiers.
    """

    regimen: list[DoseEntry] = Field(
        default_factory=list,
        description="Scheduled doses (IV only); PCA boluses are added during the run.",
    )
    target_concentration: MassConcentration | None = param(
        None,
        "Hold plasma and effect-site morphine at this level for the whole run (shorthand for a regimen entry {kind: target, concentration: ..., start: 0 ms}); null = none.",
        "experiment choice (idealized TCI; µ C50 76.5 nM = 21.8 ng/mL in men, 32.9 nM = 9.4 ng/mL in women, Sarton 2000)",
        ge=0,
        le=10_000,
        label="Morphine target",
    )
    ke0_male: float = param(
        0.0073,
        "Plasma–effect-site rate constant ke0 in men (t½ke0 95 min).",
        "Sarton 2000 (pain tolerance; SCIENCE G1)",
        unit="1/min",
        gt=0,
        le=100,
    )
    ke0_female: float = param(
        0.0024,
        "Plasma–effect-site rate constant ke0 in women (t½ke0 289 min).",
        "Sarton 2000 (pain tolerance; SCIENCE G1)",
        unit="1/min",
        gt=0,
        le=100,
    )
    mu_c50_male: Concentration = param(
        "76.5 nM",
        "Effect-site concentration for half-maximal µ-opioid activation in men.",
        "Sarton 2000 Anesthesiology 93:1245 abstract: AC50 for pain tolerance 76.5 ± 7.4 nM (men), 32.9 ± 7.9 nM (women) (not yet in SCIENCE); assumption: used as the C50 of an Emax model",
        gt=0,
        le=1000,
    )
    mu_c50_female: Concentration = param(
        "32.9 nM",
        "Effect-site concentration for half-maximal µ-opioid activation in women.",
        "Sarton 2000 (as mu_c50_male)",
        gt=0,
        le=1000,
    )
    mu_hill: float = param(
        1.0,
        "Hill coefficient of µ-opioid activation.",
        "assumption: Sarton 2000's AC50 comes from a model without a shape factor",
        unit="1",
        gt=0,
        le=5,
    )
    pca: PCA | None = Field(None, description="Morphine PCA; null = no pump.")

    @field_validator("regimen")
    @classmethod
    def _iv_only(cls, regimen: list[Any]) -> list[Any]:
        for i, entry in enumerate(regimen):
            if entry.route != "iv":
                raise ValueError(
                    f"entry {i} has route {entry.route!r}; morphine is modelled IV only "
                    "(Sarton 2000 is an IV model): use route: iv"
                )
        return regimen


# --------------------------------------------------------------------------------------------
# Modifiers: how receptor occupancy changes the network
# --------------------------------------------------------------------------------------------


def _scale(what: str, label: str | None = None) -> Any:
    return param(
        1.0,
        f"Strength of {what} (1 = literature value, 0 = none); multiplies its maximal effect.",
        "experiment choice",
        unit="1",
        label=label,
        ge=0,
        le=10,
    )


class OpioidPresynaptic(Section):
    """µ-opioid presynaptic inhibition of C and Aδ glutamate release (N-type Ca²⁺ channels).

    Release factor ``1 − scale·emax·a_µ`` on C and Aδ terminals, ``a_µ`` the µ activation.
    """

    enabled: bool = Field(True, description="Whether µ activation reduces C/Aδ release.")
    scale: float = _scale("presynaptic opioid inhibition")
    emax: float = param(
        0.6,
        "Fraction of C/Aδ release removed at full µ activation.",
        "Heinke 2011; Kohno 1999 (40–70 % at saturating DAMGO; SCIENCE G1 E_max 0.5–0.7)",
        unit="fraction",
        ge=0,
        le=1,
    )

    @model_validator(mode="after")
    def _at_most_all(self) -> OpioidPresynaptic:
        if self.scale * self.emax > 1:
            raise ValueError(
                f"scale × emax = {self.scale * self.emax:g} would remove more than all release; "
                "keep it <= 1"
            )
        return self


class OpioidPostsynaptic(Section):
    """µ-opioid GIRK K⁺ conductance in a subset of dorsal-horn neurons.

    ``g_K = scale·max_conductance·a_µ`` in the responsive fraction of neurons (reversal:
    ``model.receptors`` potassium reversal).
    """

    enabled: bool = Field(True, description="Whether µ activation opens a K⁺ conductance.")
    scale: float = _scale("the opioid K⁺ conductance")
    fraction: float = param(
        0.6,
        "Fraction of dorsal-horn neurons with the opioid K⁺ current.",
        "Kohno 1999 (roughly 50–70 % of substantia gelatinosa neurons; SCIENCE G1 [L])",
        unit="fraction",
        ge=0,
        le=1,
    )
    max_conductance: Conductance = param(
        "1 nS",
        "K⁺ conductance at full µ activation.",
        "assumption: an outward current of about 15 pA at −70 mV with E_K −86 mV; SCIENCE G1 gives no amplitude",
        ge=0,
        le=100,
    )


class OpioidGabaRelease(Section):
    """µ-opioid presynaptic inhibition of GABA/glycine release between dorsal-horn neurons.

    Multiplies inhibitory output by ``1 − scale·emax·a_µ`` (disinhibition; off by default).
    """

    enabled: bool = Field(False, description="Whether µ activation reduces inhibitory release.")
    scale: float = _scale("opioid inhibition of GABA release")
    emax: float = param(
        0.3,
        "Fraction of inhibitory release removed at full µ activation.",
        "assumption: SCIENCE G1 gives the direction (evoked and miniature IPSCs fall), no magnitude",
        unit="fraction",
        ge=0,
        le=1,
    )

    @model_validator(mode="after")
    def _at_most_all(self) -> OpioidGabaRelease:
        if self.scale * self.emax > 1:
            raise ValueError(
                f"scale × emax = {self.scale * self.emax:g} would remove more than all release; "
                "keep it <= 1"
            )
        return self


class CholinergicTone(Section):
    """Spinal muscarinic tone: lowers afferent release (M2) and raises inhibitory output (M2/M4).

    Receptor activation is ``a = x/(1 + x + C_e/IC50)`` with ``x = a₀/(1 − a₀)`` set by the
    drug-free tone ``a₀``; ketamine is a competitive antagonist (IC50 5.7 µM, Durieux 1995), so
    it *lowers* the tone. Factors relative to the drug-free state:
    release ``(1 − s·E_r·a)/(1 − s·E_r·a₀)``, inhibition ``(1 + s·E_i·a)/(1 + s·E_i·a₀)``.
    """

    enabled: bool = Field(True, description="Whether ketamine's muscarinic antagonism acts.")
    scale: float = _scale("the cholinergic actions", "Muscarinic tone scale")
    baseline_tone: float = param(
        0.3,
        "Fraction of spinal muscarinic receptors activated by endogenous acetylcholine without drugs.",
        "assumption: atropine raises pain sensitivity, so there is a tone (Chen/Pan 2010, SCIENCE G2); its level is not measured",
        unit="fraction",
        ge=0,
        lt=1,
    )
    release_emax: float = param(
        0.279,
        "Fraction of C/Aδ release removed at full muscarinic activation (M2).",
        "Zhang, Chen & Pan 2007 (oxotremorine-M −27.9 % of monosynaptic EPSCs; SCIENCE G2)",
        unit="fraction",
        ge=0,
        le=1,
    )
    inhibitory_emax: float = param(
        1.0,
        "Fractional increase of inhibitory-interneuron output at full muscarinic activation (M2/M4).",
        "assumption: oxotremorine-M raises GABAergic sIPSCs (Zhang 2005, SCIENCE G2) by an amount SCIENCE does not give; 1 = doubling",
        unit="fraction",
        ge=0,
        le=10,
    )

    @model_validator(mode="after")
    def _at_most_all(self) -> CholinergicTone:
        if self.scale * self.release_emax > 1:
            raise ValueError(
                f"scale × release_emax = {self.scale * self.release_emax:g} would remove more "
                "than all release; keep it <= 1"
            )
        return self


class Descending(Section):
    """Descending noradrenergic/serotonergic inhibition, raised by systemic ketamine.

    Activity ``D = D₀ + (1 − D₀)·min(1, ketamine_gain·b_PK)`` with ``b_PK`` the NMDA occupancy
    from the drug concentrations (not the teaching override): assumption that ketamine's
    supraspinal action on the descending systems (Koizuka 2005; Sonoda & Omote 1996) follows its
    NMDA occupancy. Spinal α2/5-HT actions relative to the drug-free state: release factor
    ``(1 − s·E_r·D)/(1 − s·E_r·D₀)`` on C/Aδ terminals and a K⁺ conductance
    ``s·g_max·(D − D₀)/(1 − D₀)`` in the responsive neurons.
    """

    enabled: bool = Field(True, description="Whether ketamine raises descending inhibition.")
    scale: float = _scale("the spinal descending actions", "Descending inhibition scale")
    baseline_activity: float = param(
        0.2,
        "Descending activity without drugs (0–1).",
        "assumption: a tonic descending tone exists (spinal transection and i.t. yohimbine change nociception; SCIENCE G3); level not measured",
        unit="fraction",
        ge=0,
        lt=1,
    )
    ketamine_gain: float = param(
        1.0,
        "How strongly ketamine's NMDA occupancy drives descending activity toward its maximum.",
        "assumption (Koizuka 2005: systemic ketamine's anti-hypersensitivity is fully reversed by i.t. yohimbine or methysergide; SCIENCE G3)",
        unit="1",
        ge=0,
        le=10,
    )
    release_emax: float = param(
        0.1,
        "Fraction of C/Aδ release removed at full descending activity (α2 on terminals).",
        "calibrated (seed 1) with max_conductance: SCIENCE G3 gives the direction, no magnitude; at 150 ng/mL racemic ketamine the whole chain must keep the first C response within 20 % (SCIENCE A2, V3: NMDA-selective ketamine doses barely change single responses, Headley 1987) — with 0.1 / 0.1 nS it is −16 % (NMDA block alone −10 %), with 0.3 / 1 nS it was −70 %",
        unit="fraction",
        ge=0,
        le=1,
    )
    max_conductance: Conductance = param(
        "0.1 nS",
        "Extra α2 K⁺ conductance at full descending activity, over the drug-free level.",
        "calibrated (seed 1) with release_emax (see there); Ishii 2008 (α2 outward K⁺ current, reversal −86 mV; SCIENCE G3) gives no amplitude at descending (not agonist) levels; Funai 2014: systemic α2 agonism at analgesic doses leaves EPSCs unchanged",
        ge=0,
        le=100,
    )
    fraction: float = param(
        0.92,
        "Fraction of dorsal-horn neurons with the α2 K⁺ current.",
        "Ishii 2008 (92 % of substantia gelatinosa neurons; SCIENCE G3)",
        unit="fraction",
        ge=0,
        le=1,
    )

    @model_validator(mode="after")
    def _at_most_all(self) -> Descending:
        if self.scale * self.release_emax > 1:
            raise ValueError(
                f"scale × release_emax = {self.scale * self.release_emax:g} would remove more "
                "than all release; keep it <= 1"
            )
        return self


class Modifiers(Section):
    """How drug occupancy changes the network besides NMDA block (SCIENCE 0, G1–G3).

    Every factor is relative to the drug-free state, so with no drug all release and gain
    factors are exactly 1 and the extra conductances 0: the network stays as calibrated.
    """

    opioid_presynaptic: OpioidPresynaptic = Field(default_factory=OpioidPresynaptic)
    opioid_postsynaptic: OpioidPostsynaptic = Field(default_factory=OpioidPostsynaptic)
    opioid_gaba_release: OpioidGabaRelease = Field(default_factory=OpioidGabaRelease)
    cholinergic_tone: CholinergicTone = Field(default_factory=CholinergicTone)
    descending: Descending = Field(default_factory=Descending)


# --------------------------------------------------------------------------------------------
# Monitoring
# --------------------------------------------------------------------------------------------


class Monitoring(Section):
    """The patient monitor: vital signs from effect-site concentrations, and alarm thresholds.

    Ketamine (as racemic-equivalent concentration, S-ketamine × K_racemic/K_S at NMDA) raises
    heart rate and arterial pressure by sigmoid Emax models and gives a dissociation score that
    rises linearly between two concentrations; morphine depresses respiratory drive (breathing at
    fixed end-tidal CO₂) by an inhibitory Emax model; ketamine leaves it unchanged.
    """

    heart_rate_baseline: float = param(
        70.0,
        "Heart rate without drugs.",
        "assumption: typical adult resting heart rate",
        unit="bpm",
        gt=0,
        le=250,
    )
    heart_rate_emax: float = param(
        26.0,
        "Largest ketamine-induced rise of heart rate.",
        "Tweed 1972; Bovill 1972 as calibrated in AnaSim (Emax ≈ 26 bpm; SCIENCE F4 [M])",
        unit="bpm",
        ge=0,
        le=200,
    )
    pressure_baseline: float = param(
        90.0,
        "Mean arterial pressure without drugs.",
        "assumption: typical adult MAP",
        unit="mmHg",
        gt=0,
        le=200,
    )
    pressure_emax: float = param(
        0.28,
        "Largest ketamine-induced rise of mean arterial pressure, as a fraction of baseline.",
        "Tweed 1972 (aortic pressure +28 % after 2 mg/kg; SCIENCE F4); assumption: that rise is near maximal",
        unit="fraction",
        ge=0,
        le=2,
    )
    haemodynamic_c50: MassConcentration = param(
        "2000 ng/mL",
        "Racemic-equivalent ketamine effect-site concentration for half the heart-rate and pressure rise.",
        "AnaSim calibration of Tweed 1972 / Bovill 1972 (C50 ≈ 2 µg/mL; SCIENCE F4 [M]); same for pressure (assumption)",
        gt=0,
        le=100_000,
    )
    haemodynamic_hill: float = param(
        3.0,
        "Hill coefficient of the heart-rate and pressure response.",
        "AnaSim calibration (Hill 3; SCIENCE F4 [M])",
        unit="1",
        gt=0,
        le=10,
    )
    dissociation_onset: MassConcentration = param(
        "50 ng/mL",
        "Racemic-equivalent ketamine concentration where the dissociation score starts to rise from 0.",
        "Bowdle 1998 (psychedelic effects linear from 50 to 200 ng/mL; SCIENCE D3, F3)",
        ge=0,
        le=100_000,
    )
    dissociation_full: MassConcentration = param(
        "200 ng/mL",
        "Racemic-equivalent ketamine concentration where the dissociation score reaches 100.",
        "Bowdle 1998 (SCIENCE D3, F3)",
        gt=0,
        le=100_000,
    )
    respiratory_c50: Concentration = param(
        "32 nM",
        "Morphine effect-site concentration that halves respiratory drive (ventilation at fixed end-tidal CO₂).",
        "Dahan et al. 2004 Anesthesiology 101:1201 (integrated potency 32 ± 1.4 nM; not yet in SCIENCE)",
        gt=0,
        le=10_000,
    )
    respiratory_hill: float = param(
        1.0,
        "Hill coefficient of morphine's respiratory depression.",
        "Dahan 2004 (γ = 1 for hypercapnic and hypoxic breathing)",
        unit="1",
        gt=0,
        le=10,
    )
    alarm_heart_rate: float = param(
        100.0,
        "Heart-rate alarm (tachycardia) above this.",
        "assumption: clinical definition of tachycardia",
        unit="bpm",
        gt=0,
        le=300,
    )
    alarm_pressure: float = param(
        110.0,
        "Mean-arterial-pressure alarm above this.",
        "assumption: about +20 % over the 90 mmHg baseline",
        unit="mmHg",
        gt=0,
        le=300,
    )
    alarm_respiratory: float = param(
        0.25,
        "Respiratory-depression alarm when drive falls below this fraction of baseline.",
        "assumption: a quarter of the drug-free drive at fixed CO₂ (for scale: 0.1 mg/kg IV morphine gives about 0.35 at 1 h in this model)",
        unit="fraction",
        ge=0,
        le=1,
    )
    alarm_dissociation: float = param(
        50.0,
        "Dissociation alarm at or above this score (0–100).",
        "assumption: score 50 ≈ 125 ng/mL, inside the dissociative range 100–250 ng/mL (Krystal 1994, SCIENCE F3)",
        unit="score (0–100)",
        ge=0,
        le=100,
    )

    @model_validator(mode="after")
    def _ordered(self) -> Monitoring:
        if self.dissociation_full <= self.dissociation_onset:
            raise ValueError(
                f"dissociation_full ({self.dissociation_full:g} ng/mL) must be above "
                f"dissociation_onset ({self.dissociation_onset:g} ng/mL)"
            )
        return self


# --------------------------------------------------------------------------------------------
# The section
# --------------------------------------------------------------------------------------------


class Drugs(Section):
    """Drugs. ``nmda_block`` is the teaching override: a fraction of NMDA conductance removed.

    ``ketamine`` and ``morphine`` map regimen → concentration → receptor occupancy → effect
    factors on the network (:mod:`painnet.pharmacology`); ``nmda_block``, when set, replaces the
    NMDA occupancy from the pharmacokinetics (everything else still follows the drugs).
    """

    nmda_block: float | None = param(
        None,
        "Fraction of NMDA conductance blocked (0 = none, 1 = complete); scales NMDA current and its Ca²⁺ entry.",
        "teaching override (DESIGN 3); Dickenson & Sullivan 1987 for AP5",
        unit="fraction",
        ge=0,
        le=1,
        label="NMDA block",
    )
    nmda_block_start: Time = param(
        "0 ms",
        "When the nmda_block override starts (before it, NMDA follows the drugs).",
        "experiment choice (e.g. block before vs after LTP induction, SCIENCE V6)",
        ge=0,
        le=_LATEST,
    )
    nmda_block_end: Time | None = param(
        None,
        "When the nmda_block override ends (null: the end of the run).",
        "experiment choice",
        gt=0,
        le=_LATEST,
    )
    ketamine: Ketamine | None = Field(
        None, description="Ketamine (racemic or S-ketamine); null = no ketamine."
    )
    morphine: Morphine | None = Field(None, description="Morphine (IV, PCA); null = no morphine.")
    patient: Patient = Field(default_factory=Patient)
    modifiers: Modifiers = Field(default_factory=Modifiers)
    monitoring: Monitoring = Field(default_factory=Monitoring)


__all__ = [
    "PCA",
    "Amount",
    "Bolus",
    "CholinergicTone",
    "Descending",
    "DoseEntry",
    "Drugs",
    "Infusion",
    "Ketamine",
    "Modifiers",
    "Monitoring",
    "Morphine",
    "OpioidGabaRelease",
    "OpioidPostsynaptic",
    "OpioidPresynaptic",
    "Patient",
    "Repeated",
    "Target",
    "Titration",
    "TitrationStep",
]
