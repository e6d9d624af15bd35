"""Pharmacology: dose → concentration → receptor occupancy → effect factors on the network.

- :mod:`~painnet.pharmacology.pk` — linear compartment models, exact at any time;
- :mod:`~painnet.pharmacology.drugs` — published parameter sets (Kamp 2020, Domino 1982,
  Sarton 2000, routes, receptor affinities);
- :mod:`~painnet.pharmacology.regimens` — config regimens → dose events;
- :mod:`~painnet.pharmacology.variability` — virtual patients (between-subject variability);
- :mod:`~painnet.pharmacology.occupancy` — occupancy and competition at a target;
- :mod:`~painnet.pharmacology.effects` — occupancy → effect factors relative to no drug;
- :mod:`~painnet.pharmacology.monitoring` — vital signs and alarms;
- :mod:`~painnet.pharmacology.pca` — the patient-controlled analgesia pump;
- :mod:`~painnet.pharmacology.patient` — :class:`Pharmacology`, the chain for one patient.

Equations, parameter choices and known misses: ``docs/pharmacology.md``.
"""

from painnet.pharmacology.effects import EffectFactors
from painnet.pharmacology.patient import Pharmacology
from painnet.pharmacology.pca import PCAPump

__all__ = ["EffectFactors", "PCAPump", "Pharmacology"]
