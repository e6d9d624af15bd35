"""Between-subject variability: one virtual patient's deviations from the typical parameters.

Clearance, volumes (one common factor) and absorption rate are lognormal around the typical
value, ``P_i = P·exp(η)``, ``η ~ N(0, ω²)``, ``ω² = ln(1 + CV²)`` so that CV is the coefficient
of variation. Bioavailability is logit-normal, ``logit F_i = logit F + z·CV_F/(1 − F)``, so it
stays in (0, 1) and its CV is about ``CV_F`` for small CVs; F = 1 (IV) is never varied. CVs
are in ``drugs.patient`` (SCIENCE E1, E3).

Draws come in a fixed order — four standard normals per drug, for every drug in
:data:`DRUG_ORDER`, whether or not it is given — so a patient's morphine parameters are the same
with and without ketamine (common random numbers for drug-vs-control comparisons).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from painnet.config.drugs import Patient

#: Drugs in the order their deviations are drawn.
DRUG_ORDER = ("ketamine", "morphine")


@dataclass(frozen=True)
class Individual:
    """One patient's deviations for one drug (all neutral by default: the typical patient).

    Attributes:
        clearance: factor on clearance.
        volume: factor on every distribution volume.
        absorption: factor on every absorption rate ka.
        bioavailability_z: standard-normal deviate of bioavailability on the logit scale.
        cv_bioavailability: CV of bioavailability the deviate is scaled to.
    """

    clearance: float = 1.0
    volume: float = 1.0
    absorption: float = 1.0
    bioavailability_z: float = 0.0
    cv_bioavailability: float = 0.0

    def bioavailability(self, typical: float) -> float:
        """This patient's F for a route whose typical F is ``typical``."""
        if typical >= 1.0 or self.bioavailability_z == 0.0 or self.cv_bioavailability == 0.0:
            return typical
        omega = self.cv_bioavailability / (1.0 - typical)
        logit = math.log(typical / (1.0 - typical)) + omega * self.bioavailability_z
        return 1.0 / (1.0 + math.exp(-logit))


TYPICAL = Individual()


def _lognormal(z: float, cv: float) -> float:
    return math.exp(math.sqrt(math.log1p(cv * cv)) * z)


def sample_patient(rng: np.random.Generator, patient: Patient) -> dict[str, Individual]:
    """Draw one virtual patient's deviations for every drug in :data:`DRUG_ORDER`.

    Args:
        rng: the random stream (four standard normals are drawn per drug).
        patient: the CVs.
    """
    out = {}
    for drug in DRUG_ORDER:
        z_cl, z_v, z_ka, z_f = rng.standard_normal(4)
        out[drug] = Individual(
            clearance=_lognormal(z_cl, patient.cv_clearance),
            volume=_lognormal(z_v, patient.cv_volume),
            absorption=_lognormal(z_ka, patient.cv_absorption),
            bioavailability_z=float(z_f),
            cv_bioavailability=patient.cv_bioavailability,
        )
    return out
