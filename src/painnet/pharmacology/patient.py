"""One virtual patient's drugs: dose → concentration → receptor occupancy → effect factors.

:class:`Pharmacology` assembles the chain from the ``drugs`` config section: each drug's
compartment model (:mod:`~painnet.pharmacology.pk`) with published parameters
(:mod:`~painnet.pharmacology.drugs`) scaled to the patient (and drawn from between-subject
distributions when ``patient.variability`` is on), its regimen, the receptor occupancy of every
target (:mod:`~painnet.pharmacology.occupancy`), the effect factors the network uses
(:mod:`~painnet.pharmacology.effects`) and the monitor (:mod:`~painnet.pharmacology.monitoring`).

All public methods take times in ms (painnet's canonical time unit) as an array (or a number)
and return arrays shaped like it. Kinetics are linear, so the concentrations are exact sums over
the doses and a dose added during a run (:meth:`Pharmacology.add_dose`, e.g. a PCA bolus) only
changes what follows it.

Receptor occupancy uses **effect-site** concentrations (SCIENCE D2 tabulates plasma values;
they agree at steady state). Ligands at one target compete (Gaddum): ketamine and norketamine at
the NMDA PCP site, morphine and ketamine at µ. Only morphine *activates* µ: ketamine's µ
occupancy (≤ 2 % at analgesic levels) is reported but has no opioid effect (SCIENCE 0.4:
naloxone does not block ketamine's anti-hyperalgesia), so it only competes with morphine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from painnet.config.drugs import Drugs, Ketamine, Morphine, Patient
from painnet.pharmacology.drugs import (
    KETAMINE_AFFINITY,
    KETAMINE_FEMALE_CLEARANCE,
    KETAMINE_MODELS,
    KETAMINE_ROUTES,
    MOLAR_MASS,
    MORPHINE_ROUTES,
    NORKETAMINE,
    NORKETAMINE_AFFINITY,
    SARTON_2000,
    TARGETS,
    Affinity,
    Route,
)
from painnet.pharmacology.effects import EffectFactors, effect_factors
from painnet.pharmacology.monitoring import alarms, vital_signs
from painnet.pharmacology.occupancy import occupancy_ratio, shared_occupancy
from painnet.pharmacology.pk import Absorption, DoseEvent, PKModel
from painnet.pharmacology.regimens import (
    MS_PER_MIN,
    TargetWindow,
    regimen_events,
    target_windows,
)
from painnet.pharmacology.variability import TYPICAL, Individual, sample_patient

_NG_PER_ML = 1000.0  # mg/L → ng/mL


@dataclass
class _Drug:
    """A configured drug: its kinetics and what its parent (and metabolite) bind.

    Attributes:
        pk: the compartment model with the doses.
        affinity: target → affinity of the parent drug.
        metabolite: name of the modelled metabolite, or None.
        metabolite_affinity: target → affinity of the metabolite.
        racemic_equivalent: factor turning its concentration into racemic-ketamine-equivalent
            concentration for the monitor (0 for drugs the monitor reads otherwise).
        targets: target-controlled windows (``kind: target`` entries and the
            ``target_concentration`` shorthand).
    """

    pk: PKModel
    affinity: dict[str, Affinity]
    metabolite: str | None = None
    metabolite_affinity: dict[str, Affinity] | None = None
    racemic_equivalent: float = 0.0
    targets: tuple[TargetWindow, ...] = ()


class Pharmacology:
    """The drugs of one virtual patient, from regimen to effect factors.

    Build it with :meth:`from_config`. Drugs are named ``"ketamine"`` (racemic or S-ketamine,
    as configured) and ``"morphine"``; the optional metabolite is ``"norketamine"``.
    """

    def __init__(self, config: Drugs, drugs: dict[str, _Drug]) -> None:
        self.config = config
        self._drugs = drugs

    @classmethod
    def from_config(cls, drugs: Drugs, rng: np.random.Generator | None = None) -> Pharmacology:
        """The pharmacology of the configured drugs and patient.

        Args:
            drugs: the ``drugs`` config section.
            rng: random stream for the between-subject draw (used when
                ``patient.variability`` is on and ``patient.seed`` is null).

        Raises:
            ValueError: variability is on but neither a seed nor ``rng`` is given.
        """
        patient = drugs.patient
        individuals = {"ketamine": TYPICAL, "morphine": TYPICAL}
        if patient.variability:
            if patient.seed is not None:
                rng = np.random.default_rng(patient.seed)
            elif rng is None:
                raise ValueError(
                    "drugs.patient.variability is on: set drugs.patient.seed or pass rng"
                )
            individuals = sample_patient(rng, patient)
        built: dict[str, _Drug] = {}
        if drugs.ketamine is not None:
            built["ketamine"] = _ketamine(drugs.ketamine, patient, individuals["ketamine"])
        if drugs.morphine is not None:
            built["morphine"] = _morphine(drugs.morphine, patient, individuals["morphine"])
        return cls(drugs, built)

    # ---- doses ------------------------------------------------------------------------------

    @property
    def drugs(self) -> tuple[str, ...]:
        """The configured drugs (parents; metabolites are reported with them)."""
        return tuple(self._drugs)

    def routes(self, drug: str) -> tuple[str, ...]:
        """Routes ``drug`` can be given by."""
        return self._drug(drug).pk.route_names

    def add_dose(self, drug: str, time_ms: float, amount_mg: float, route: str = "iv") -> None:
        """Give a bolus decided during the run (e.g. a PCA bolus).

        Args:
            drug: ``"ketamine"`` or ``"morphine"``; it must be configured.
            time_ms: when (ms).
            amount_mg: how much (mg).
            route: one of :meth:`routes`.
        """
        if not (math.isfinite(time_ms) and math.isfinite(amount_mg) and amount_mg >= 0):
            raise ValueError(
                f"a dose needs a finite time and amount >= 0, got {time_ms}, {amount_mg}"
            )
        self._drug(drug).pk.add(DoseEvent(route, time_ms / MS_PER_MIN, amount=amount_mg))

    def cumulative_dose(self, times_ms: np.ndarray) -> dict[str, np.ndarray]:
        """Drug given by each time, all routes (mg), by drug.

        A target entry counts what a plasma-targeted pump would deliver to hold its target
        alone (:meth:`~painnet.pharmacology.regimens.TargetWindow.given`); next to other doses
        of the same drug a real pump would give less.
        """
        minutes = _minutes(times_ms)
        out = {}
        for name, drug in self._drugs.items():
            given = drug.pk.given(minutes)
            for window in drug.targets:
                given = given + window.given(minutes, drug.pk.disposition)
            out[name] = given
        return out

    # ---- the chain --------------------------------------------------------------------------

    def concentrations(self, times_ms: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
        """Plasma and effect-site concentrations by drug (and metabolite).

        Target entries hold plasma and effect site at their target during their window, or at
        what the other doses give when that is higher (a pump cannot remove drug); they form no
        norketamine.

        Returns:
            ``{drug: {"plasma_ng_ml", "effect_ng_ml", "plasma_um", "effect_um"}}`` for every
            configured drug and ``"norketamine"`` when modelled.
        """
        minutes = _minutes(times_ms)
        out: dict[str, dict[str, np.ndarray]] = {}
        for name, drug in self._drugs.items():
            mg_per_l = drug.pk.concentrations(minutes)
            for window in drug.targets:  # an ideal TCI: plasma and effect site at the target
                during = window.during(minutes)
                for site in ("plasma", "effect"):
                    mg_per_l[site] = np.where(
                        during, np.maximum(mg_per_l[site], window.concentration), mg_per_l[site]
                    )
            out[name] = _units(mg_per_l["plasma"], mg_per_l["effect"], MOLAR_MASS[name])
            if drug.metabolite is not None:
                out[drug.metabolite] = _units(
                    mg_per_l["metabolite_plasma"],
                    mg_per_l["metabolite_effect"],
                    MOLAR_MASS[drug.metabolite],
                )
        return out

    def occupancy(self, times_ms: np.ndarray) -> dict[str, np.ndarray]:
        """Receptor occupancy by target (fractions 0–1).

        Returns:
            ``nmda`` (the ``nmda_block`` override when set), ``mu_opioid``, ``kappa_opioid``,
            ``muscarinic``, ``net`` and ``sert``.
        """
        occupancy, _, _ = self._occupancy(times_ms)
        return occupancy

    def effects(self, times_ms: np.ndarray) -> EffectFactors:
        """The effect factors on the network (relative to the drug-free state)."""
        occupancy, mu_activation, nmda_from_drugs = self._occupancy(times_ms)
        return effect_factors(occupancy, mu_activation, nmda_from_drugs, self.config.modifiers)

    def monitoring(self, times_ms: np.ndarray) -> dict[str, np.ndarray]:
        """Vital signs from the effect-site concentrations (:mod:`~painnet.pharmacology.monitoring`).

        Returns:
            ``dissociation`` (score 0–100), ``heart_rate`` (bpm), ``mean_arterial_pressure``
            (mmHg) and ``respiratory_drive`` (fraction of baseline).
        """
        concentrations = self.concentrations(times_ms)
        zero = np.zeros(np.shape(_minutes(times_ms)))
        ketamine = zero
        if "ketamine" in self._drugs:
            equivalent = self._drugs["ketamine"].racemic_equivalent
            ketamine = equivalent * concentrations["ketamine"]["effect_ng_ml"]
        morphine = concentrations["morphine"]["effect_um"] if "morphine" in self._drugs else zero
        return vital_signs(ketamine, morphine, self.config.monitoring)

    def alarms(self, times_ms: np.ndarray) -> dict[str, np.ndarray]:
        """Alarm flags from the vital signs (thresholds in ``drugs.monitoring``).

        Returns:
            Boolean arrays ``tachycardia``, ``hypertension``, ``respiratory_depression`` and
            ``dissociation``.
        """
        return alarms(self.monitoring(times_ms), self.config.monitoring)

    def columns(self, times_ms: np.ndarray) -> dict[str, np.ndarray]:
        """Everything a run reports about the drugs, as table columns over ``times_ms``.

        ``<drug>_plasma_ng_ml``, ``<drug>_effect_ng_ml``, ``<drug>_plasma_um`` and
        ``<drug>_effect_um`` per drug (and metabolite), ``occupancy_<target>`` per target, and
        the vital signs of :meth:`monitoring`.
        """
        columns: dict[str, np.ndarray] = {}
        for drug, values in self.concentrations(times_ms).items():
            for key in ("plasma_ng_ml", "effect_ng_ml", "plasma_um", "effect_um"):
                columns[f"{drug}_{key}"] = values[key]
        for target, value in self.occupancy(times_ms).items():
            columns[f"occupancy_{target}"] = value
        columns.update(self.monitoring(times_ms))
        return columns

    # ---- internals --------------------------------------------------------------------------

    def _drug(self, drug: str) -> _Drug:
        if drug not in self._drugs:
            configured = ", ".join(self._drugs) or "none"
            raise ValueError(
                f"drug {drug!r} is not configured (configured: {configured}); add drugs.{drug}"
            )
        return self._drugs[drug]

    def _occupancy(
        self, times_ms: np.ndarray
    ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """Occupancy by target as applied, µ activation and NMDA occupancy from the drugs.

        The µ activation is the share held by agonists; the NMDA occupancy from the drugs
        ignores the ``nmda_block`` override.
        """
        concentrations = self.concentrations(times_ms)
        shape = np.shape(_minutes(times_ms))
        ratios: dict[str, list[tuple[np.ndarray, bool]]] = {target: [] for target in TARGETS}
        for name, drug in self._drugs.items():
            ligands = [(concentrations[name]["effect_um"], drug.affinity)]
            if drug.metabolite is not None and drug.metabolite_affinity is not None:
                ligands.append(
                    (concentrations[drug.metabolite]["effect_um"], drug.metabolite_affinity)
                )
            for effect, affinities in ligands:
                for target, affinity in affinities.items():
                    ratio = occupancy_ratio(effect, affinity.k, affinity.hill)
                    ratios[target].append((ratio, affinity.agonist))
        occupancy = {
            target: shared_occupancy([r for r, _ in found]) if found else np.zeros(shape)
            for target, found in ratios.items()
        }
        mu = ratios["mu_opioid"]
        agonists = [r for r, agonist in mu if agonist]
        mu_activation = (
            np.sum(agonists, axis=0) / (1.0 + np.sum([r for r, _ in mu], axis=0))
            if agonists
            else np.zeros(shape)
        )
        nmda_from_drugs = occupancy["nmda"]
        if self.config.nmda_block is not None:
            t = np.broadcast_to(np.asarray(times_ms, dtype=float), shape)
            end = self.config.nmda_block_end
            during = (t >= self.config.nmda_block_start) & (t < (np.inf if end is None else end))
            occupancy["nmda"] = np.where(during, self.config.nmda_block, occupancy["nmda"])
        return occupancy, mu_activation, nmda_from_drugs


def _minutes(times_ms: np.ndarray) -> np.ndarray:
    return np.asarray(times_ms, dtype=float) / MS_PER_MIN


def _units(plasma: np.ndarray, effect: np.ndarray, molar_mass: float) -> dict[str, np.ndarray]:
    """mg/L → ng/mL and µM (1 µM = molar mass ng/mL)."""
    plasma_ng, effect_ng = plasma * _NG_PER_ML, effect * _NG_PER_ML
    return {
        "plasma_ng_ml": plasma_ng,
        "effect_ng_ml": effect_ng,
        "plasma_um": plasma_ng / molar_mass,
        "effect_um": effect_ng / molar_mass,
    }


def _absorption(routes: dict[str, Route], individual: Individual) -> dict[str, Absorption]:
    return {
        name: route.absorption(
            rate_factor=individual.absorption,
            bioavailability=individual.bioavailability(route.bioavailability),
        )
        for name, route in routes.items()
    }


def _ketamine(config: Ketamine, patient: Patient, individual: Individual) -> _Drug:
    """Ketamine (racemic or S-ketamine) for one patient, with its regimen."""
    ke0 = math.log(2) / (config.effect_half_time / MS_PER_MIN)
    clearance = individual.clearance
    if patient.sex == "female":
        clearance *= KETAMINE_FEMALE_CLEARANCE
    disposition = KETAMINE_MODELS[config.pk_model].scaled(
        patient.weight, ke0, clearance_factor=clearance, volume_factor=individual.volume
    )
    metabolite = NORKETAMINE.scaled(patient.weight, ke0) if config.norketamine else None
    pk = PKModel(disposition, _absorption(KETAMINE_ROUTES[config.form], individual), metabolite)
    pk.extend(regimen_events(config.regimen, patient.weight))

    affinity = dict(KETAMINE_AFFINITY[config.form])
    published_nmda = affinity["nmda"]
    k_nmda = published_nmda.k if config.nmda_ki is None else config.nmda_ki
    affinity["nmda"] = Affinity(k_nmda, published_nmda.source, config.nmda_hill)
    return _Drug(
        pk=pk,
        affinity=affinity,
        metabolite="norketamine" if config.norketamine else None,
        metabolite_affinity=NORKETAMINE_AFFINITY[config.form] if config.norketamine else None,
        racemic_equivalent=KETAMINE_AFFINITY["racemic"]["nmda"].k / published_nmda.k,
        targets=tuple(target_windows(config.regimen, config.target_concentration)),
    )


def _morphine(config: Morphine, patient: Patient, individual: Individual) -> _Drug:
    """Morphine (IV) for one patient, with its regimen; µ activation with sex-specific C50."""
    female = patient.sex == "female"
    ke0 = config.ke0_female if female else config.ke0_male
    disposition = SARTON_2000.scaled(
        patient.weight, ke0, clearance_factor=individual.clearance, volume_factor=individual.volume
    )
    pk = PKModel(disposition, _absorption(MORPHINE_ROUTES, individual))
    pk.extend(regimen_events(config.regimen, patient.weight))
    c50 = config.mu_c50_female if female else config.mu_c50_male
    source = "Sarton 2000 AC50 (pain tolerance), by sex"
    return _Drug(
        pk=pk,
        affinity={"mu_opioid": Affinity(c50, source, config.mu_hill, agonist=True)},
        targets=tuple(target_windows(config.regimen, config.target_concentration)),
    )
