"""Published parameter sets: molar masses, disposition models, routes and receptor affinities.

Every constant names its source (a SCIENCE.md section, or the paper when SCIENCE.md does not yet
list it) or says ``assumption``/``calibrated``; ``docs/pharmacology.md`` tabulates them with the
alternatives. Values are the typical 70-kg adult; :func:`Mammillary.scaled` adapts a model to a
patient. The knobs worth sweeping (effect-site half-time, NMDA affinity, morphine potency...)
live in the config (:mod:`painnet.config.drugs`); these sets are the published facts behind them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from painnet.pharmacology.pk import Absorption, Disposition, Metabolite

#: Molar masses (g/mol) that convert ng/mL to µM (1 µM = M ng/mL).
MOLAR_MASS: dict[str, float] = {
    # ketamine free base; SCIENCE "Units" (Zanos 2018 Table 1): 1 µM = 237.7 ng/mL
    "ketamine": 237.73,
    # norketamine free base C12H14ClNO: ketamine minus CH2 (14.03 g/mol); by calculation
    "norketamine": 223.70,
    # morphine free base C17H19NO3; by calculation from the formula (PubChem CID 5288826)
    "morphine": 285.34,
}

#: Receptor targets with an occupancy readout (SCIENCE D2).
TARGETS = ("nmda", "mu_opioid", "kappa_opioid", "muscarinic", "net", "sert")

FORMS = ("racemic", "esketamine")


# --------------------------------------------------------------------------------------------
# Disposition
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mammillary:
    """A published mammillary disposition model at its reference body mass.

    Volumes scale linearly with body mass; clearances with ``(W/W_ref)^clearance_exponent``
    (1 for models published per kg; 0.75 for allometric models).

    Attributes:
        name: config name of the model.
        source: the publication and SCIENCE.md section.
        central_volume: V1 at the reference mass (L).
        clearance: CL at the reference mass (L/min).
        peripherals: ``(Q, V)`` per peripheral compartment at the reference mass (L/min, L).
        reference_mass: body mass the values are given for (kg).
        clearance_exponent: exponent of body mass on clearances.
    """

    name: str
    source: str
    central_volume: float
    clearance: float
    peripherals: tuple[tuple[float, float], ...]
    reference_mass: float = 70.0
    clearance_exponent: float = 1.0

    @classmethod
    def from_rate_constants(
        cls,
        name: str,
        source: str,
        *,
        central_volume_per_kg: float,
        k10: float,
        k12: float,
        k21: float,
        k13: float,
        k31: float,
    ) -> Mammillary:
        """A three-compartment model published as V1 (L/kg) and micro-rate constants (1/min).

        CL = k10·V1, Q2 = k12·V1, V2 = Q2/k21, Q3 = k13·V1, V3 = Q3/k31; everything scales
        linearly with body mass.
        """
        v1 = central_volume_per_kg * 70.0
        q2, q3 = k12 * v1, k13 * v1
        return cls(name, source, v1, k10 * v1, ((q2, q2 / k21), (q3, q3 / k31)), 70.0, 1.0)

    def scaled(
        self,
        body_mass: float,
        ke0: float,
        *,
        clearance_factor: float = 1.0,
        volume_factor: float = 1.0,
    ) -> Disposition:
        """This model for one patient.

        Args:
            body_mass: the patient's mass (kg).
            ke0: plasma–effect-site rate constant (1/min).
            clearance_factor: multiplies CL (sex, between-subject variability).
            volume_factor: multiplies every volume (between-subject variability).
        """
        size = body_mass / self.reference_mass
        flow = size**self.clearance_exponent
        volume = size * volume_factor
        return Disposition(
            central_volume=self.central_volume * volume,
            clearance=self.clearance * flow * clearance_factor,
            peripherals=tuple((q * flow, v * volume) for q, v in self.peripherals),
            ke0=ke0,
        )

    @property
    def steady_state_volume(self) -> float:
        """Vss at the reference mass (L)."""
        return self.central_volume + sum(v for _, v in self.peripherals)


#: Default ketamine model: Kamp 2020's meta-analytic three-compartment form (SCIENCE E1, [M] via
#: the AnaSim ``KetaminePK`` docstring): CL 84, Q2 161, Q3 79 L/h; V1 25, V2 56, V3 157 L at
#: 70 kg. Its CL (84 L/h) and Vss (238 L) agree with the meta-analysis' pooled CL 79 L/h and V
#: 252 L within 6 % (SCIENCE E1 [H]). Allometric scaling (volumes ∝ W, clearances ∝ W^0.75) as
#: in AnaSim and Flint 2017.
KAMP_2020 = Mammillary(
    name="kamp2020",
    source="Kamp et al. 2020 Anesthesiology 133:1192, three-compartment form (SCIENCE E1)",
    central_volume=25.0,
    clearance=84.0 / 60.0,
    peripherals=((161.0 / 60.0, 56.0), (79.0 / 60.0, 157.0)),
    reference_mass=70.0,
    clearance_exponent=0.75,
)

#: Alternative: Domino 1982 three-compartment rate constants (SCIENCE E1 [H]); small V1 (4.4 L)
#: and higher CL (1.93 L/min), so earlier, higher bolus peaks; scales linearly with body mass.
DOMINO_1982 = Mammillary.from_rate_constants(
    "domino1982",
    "Domino et al. 1982 (PMID 7198883), SCIENCE E1",
    central_volume_per_kg=0.063,
    k10=0.4381,
    k12=0.5921,
    k21=0.2470,
    k13=0.590,
    k31=0.0146,
)

KETAMINE_MODELS: dict[str, Mammillary] = {m.name: m for m in (KAMP_2020, DOMINO_1982)}

#: Morphine: Sarton 2000 three-compartment model (SCIENCE G1 [H]): V1 0.075 L/kg; k10 0.3,
#: k12 0.183, k13 0.29, k21 0.087, k31 0.013 /min.
SARTON_2000 = Mammillary.from_rate_constants(
    "sarton2000",
    "Sarton et al. 2000 Anesthesiology 93:1245 (SCIENCE G1)",
    central_volume_per_kg=0.075,
    k10=0.3,
    k12=0.183,
    k21=0.087,
    k13=0.29,
    k31=0.013,
)

#: Ketamine clearance in women relative to men: about +20 % (Sigtermans 2009 Anesthesiology,
#: S-ketamine; SCIENCE E1 [H]).
KETAMINE_FEMALE_CLEARANCE = 1.2


@dataclass(frozen=True)
class MetaboliteModel:
    """A metabolite in one apparent compartment (CL and V divided by the fraction metabolised).

    Attributes:
        clearance: apparent CL_m at 70 kg (L/min), scaled by ``(W/70)^0.75``.
        volume: apparent V_m at 70 kg (L), scaled by ``W/70``.
        source: where the numbers come from.
    """

    clearance: float
    volume: float
    source: str

    def scaled(self, body_mass: float, ke0: float, clearance_factor: float = 1.0) -> Metabolite:
        """The metabolite for one patient (effect site with rate constant ``ke0``, 1/min)."""
        size = body_mass / 70.0
        return Metabolite(
            volume=self.volume * size,
            clearance=self.clearance * size**0.75 * clearance_factor,
            ke0=ke0,
        )


#: Norketamine: apparent clearance 53.2 L/h/70 kg (Flint 2017 Paediatr Anaesth 27:1098, S-ketamine
#: in paediatric ICU; SCIENCE E1 [H]). Flint fixed the apparent volume (not identifiable); here it
#: is set to ketamine's Vss (assumption: norketamine distributes like its lipophilic parent; no
#: adult value in SCIENCE). Weakly constrained — see docs/pharmacology.md for the misses.
NORKETAMINE = MetaboliteModel(
    clearance=53.2 / 60.0,
    volume=KAMP_2020.steady_state_volume,
    source="Flint 2017 (SCIENCE E1) for CL; assumption V = ketamine Vss (Kamp 2020)",
)


# --------------------------------------------------------------------------------------------
# Routes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Bioavailability and absorption speed of one extravascular route.

    Attributes:
        bioavailability: F (fraction of the dose reaching the circulation as parent drug).
        absorption_half_time: ln 2 / ka (min).
        first_pass_metabolite: fraction of the non-bioavailable dose that becomes norketamine
            before reaching the circulation (pre-systemic formation; only with norketamine on).
        source: where F, the absorption half-time and the first-pass fraction come from.
    """

    bioavailability: float
    absorption_half_time: float
    first_pass_metabolite: float
    source: str

    def absorption(
        self, *, rate_factor: float = 1.0, bioavailability: float | None = None
    ) -> Absorption:
        """The route as a :class:`~painnet.pharmacology.pk.Absorption` (optionally individualized)."""
        return Absorption(
            bioavailability=self.bioavailability if bioavailability is None else bioavailability,
            rate=math.log(2) / self.absorption_half_time * rate_factor,
            to_metabolite=self.first_pass_metabolite,
        )


# Absorption half-times are calibrated: chosen so that the default model (Kamp 2020, 70 kg) peaks
# at the reported Tmax; SCIENCE E3 gives Tmax, not ka. The first-pass norketamine fraction 0.82
# is calibrated so that oral S-ketamine gives a norketamine/S-ketamine AUC ratio of 16.5 (Fanta
# 2015, SCIENCE D4/V10): ratio = (CL/CL_m)·(1 + f·(1 − F)/F) with F 0.08.
_FIRST_PASS = 0.82

_IM = Route(
    0.93,
    11.7,
    0.0,
    "F: Clements 1982 (SCIENCE E3 [M]); t½abs calibrated to Tmax 10 min (E3: 5–15 min); "
    "assumption: no first-pass metabolism",
)
_SC = Route(
    0.9,
    29.9,
    0.0,
    "assumption: F 0.9, middle of 'about 0.8–1.0' (SCIENCE E3 [L], no human F); t½abs "
    "calibrated to Tmax 20 min (E3: 15–30 min); no first-pass metabolism",
)
_INTRANASAL = Route(
    0.13,
    23.7,
    _FIRST_PASS,
    "F: atomizer 30 mg, Pharmacotherapy 2022 Table 6 (SCIENCE E3 [H]; 0.17/0.13/0.11 at "
    "10/30/50 mg); t½abs calibrated to Tmax 16 min (50 mg); assumption: the unabsorbed dose is "
    "swallowed and meets the oral first pass",
)


def _oral(bioavailability: float, source: str) -> Route:
    return Route(
        bioavailability,
        57.4,
        _FIRST_PASS,
        f"F: {source}; t½abs calibrated to Tmax 45 min (SCIENCE E3: 0.5–1 h); first-pass "
        "norketamine calibrated to Fanta 2015 (AUC ratio 16.5)",
    )


#: Extravascular routes of ketamine by form (IV needs no entry: F = 1, SCIENCE E3).
KETAMINE_ROUTES: dict[str, dict[str, Route]] = {
    "racemic": {
        "im": _IM,
        "sc": _SC,
        "intranasal": _INTRANASAL,
        "oral": _oral(0.17, "0.17–0.20 racemic (Clements 1982; Yanagihara 2003; SCIENCE E3 [H])"),
    },
    "esketamine": {
        "im": _IM,
        "sc": _SC,
        "intranasal": _INTRANASAL,
        "oral": _oral(0.08, "S-ketamine 0.08 (Fanta 2015; SCIENCE E3 [H])"),
    },
}

#: Morphine is given IV only here (Sarton 2000 is an IV model; SCIENCE has no morphine route data).
MORPHINE_ROUTES: dict[str, Route] = {}


# --------------------------------------------------------------------------------------------
# Receptor affinities
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Affinity:
    """Concentration for half occupancy of one target by one ligand.

    Attributes:
        k: Ki or IC50 (µM): occupancy = (C/K)^n / (1 + (C/K)^n).
        source: where K comes from.
        hill: Hill coefficient n.
        agonist: whether occupancy by this ligand activates the receptor's effects (morphine at
            µ); otherwise it only occupies (blocks, or competes with agonists).
    """

    k: float
    source: str
    hill: float = 1.0
    agonist: bool = False


_KETAMINE_OTHER = {
    # occupies µ but is given no efficacy: its opioid action is negligible and naloxone does not
    # block its effects (SCIENCE 0.4), so it only competes with opioids there
    "mu_opioid": Affinity(42.0, "Hirota 1999 pKi 4.38 (SCIENCE D2 [H])"),
    "kappa_opioid": Affinity(28.0, "Hirota 1999 pKi 4.55 (SCIENCE D2 [H])"),
    "muscarinic": Affinity(5.7, "Durieux 1995 m1 IC50 (SCIENCE D2 [H]); antagonist"),
    "net": Affinity(66.8, "Nishimura 1998 (SCIENCE D2 [H])"),
    "sert": Affinity(162.0, "Nishimura 1998 (SCIENCE D2 [H])"),
}

#: Ketamine affinities by form. The racemate's NMDA K 0.5 µM is SCIENCE D2's recommendation; it
#: equals the mixture of Ebert 1997's S 0.30 and R 1.4 µM (1/(0.5/0.30 + 0.5/1.4) = 0.49 µM).
#: Other targets: racemic values for both forms (assumption; S is 2–3× R only at µ, Hirota 1999,
#: where occupancy is ≤ 2 % at analgesic levels).
KETAMINE_AFFINITY: dict[str, dict[str, Affinity]] = {
    "racemic": {
        "nmda": Affinity(0.5, "SCIENCE D2 'use about 0.5' (Ki 0.12–0.66 µM, [³H]MK-801)"),
        **_KETAMINE_OTHER,
    },
    "esketamine": {
        "nmda": Affinity(0.30, "Ebert 1997 S-ketamine Ki (SCIENCE D2 [M])"),
        **_KETAMINE_OTHER,
    },
}

#: Norketamine at the NMDA PCP site (SCIENCE D4 [M], Ebert 1997): S 1.7 µM; the racemate by the
#: same mixture rule as ketamine: 1/(0.5/1.7 + 0.5/13) = 3.0 µM. No other targets (assumption).
NORKETAMINE_AFFINITY: dict[str, dict[str, Affinity]] = {
    "racemic": {"nmda": Affinity(3.0, "Ebert 1997 S 1.7 / R 13 µM mixed 1:1 (SCIENCE D4)")},
    "esketamine": {"nmda": Affinity(1.7, "Ebert 1997 S-norketamine Ki (SCIENCE D4 [M])")},
}
