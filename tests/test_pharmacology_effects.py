"""Occupancy (SCIENCE D2), effect factors relative to no drug, monitoring and virtual patients."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from painnet.config.drugs import Drugs, Modifiers, Monitoring, Patient
from painnet.pharmacology import EffectFactors, Pharmacology
from painnet.pharmacology.drugs import KAMP_2020, KETAMINE_AFFINITY
from painnet.pharmacology.monitoring import alarms, vital_signs
from painnet.pharmacology.occupancy import (
    occupancy,
    occupancy_ratio,
    shared_occupancy,
    tone_with_antagonist,
)
from painnet.pharmacology.variability import TYPICAL, sample_patient

MIN = 6e4
HOUR = 60 * MIN
TIMES = np.array([0.0, 1, 5, 10, 30, 60, 240]) * MIN


def pharmacology(**drugs) -> Pharmacology:
    return Pharmacology.from_config(Drugs.model_validate(drugs))


# ---- occupancy ---------------------------------------------------------------------------------

# SCIENCE D2: occupancy at 0.63 µM (analgesic) and 8.4 µM (anaesthetic)
D2_TABLE = [
    ("racemic", "nmda", 0.56, 0.94),
    ("esketamine", "nmda", 0.68, 0.97),
    ("racemic", "mu_opioid", 0.015, 0.17),
    ("racemic", "kappa_opioid", 0.022, 0.23),
    ("racemic", "muscarinic", 0.10, 0.60),
    ("racemic", "net", 0.009, 0.11),
    ("racemic", "sert", 0.004, 0.05),
]


@pytest.mark.parametrize(("form", "target", "at_analgesic", "at_anaesthetic"), D2_TABLE)
def test_occupancy_matches_science_d2(form, target, at_analgesic, at_anaesthetic):
    affinity = KETAMINE_AFFINITY[form][target]
    found = occupancy(np.array([0.63, 8.4]), affinity.k, affinity.hill)
    np.testing.assert_allclose(found, [at_analgesic, at_anaesthetic], atol=0.01)


def test_steady_state_infusion_occupies_nmda_as_d2():
    """150 ng/mL at steady state (12.6 mg/h with CL 84 L/h) ≈ 0.63 µM → about 56 % NMDA block."""
    rate = f"{0.150 * KAMP_2020.clearance * 60:.6g} mg/h"
    p = pharmacology(ketamine={"regimen": [{"kind": "infusion", "rate": rate}]})
    late = np.array([300 * HOUR])
    assert p.concentrations(late)["ketamine"]["effect_ng_ml"][0] == pytest.approx(150, rel=1e-6)
    assert p.occupancy(late)["nmda"][0] == pytest.approx(0.56, abs=0.01)
    assert p.effects(late).nmda_gain[0] == pytest.approx(0.44, abs=0.01)


def test_competing_ligands_share_the_site():
    a, b = occupancy_ratio(1.0, 1.0), occupancy_ratio(3.0, 1.0)
    assert shared_occupancy([a]) == pytest.approx(0.5)
    assert shared_occupancy([a, b]) == pytest.approx(4 / 5)
    assert shared_occupancy([a, b]) < occupancy(1.0, 1.0) + occupancy(3.0, 1.0)


def test_antagonist_lowers_an_agonist_tone():
    assert tone_with_antagonist(0.3, 0.0) == 0.3
    # Gaddum: x = 3/7; with r = 1 the activation is x/(1 + x + 1)
    assert tone_with_antagonist(0.3, 1.0) == pytest.approx((3 / 7) / (1 + 3 / 7 + 1))


def test_norketamine_competes_at_nmda():
    dose = [{"kind": "bolus", "dose": "0.5 mg/kg", "route": "oral"}]
    t = np.array([2 * HOUR])
    alone = pharmacology(ketamine={"regimen": dose}).occupancy(t)["nmda"]
    both = pharmacology(ketamine={"regimen": dose, "norketamine": True}).occupancy(t)["nmda"]
    assert both[0] > alone[0]


def test_morphine_and_ketamine_compete_at_mu():
    morphine = {"regimen": [{"kind": "bolus", "dose": "5 mg"}]}
    ket = {"regimen": [{"kind": "bolus", "dose": "100 mg"}]}
    t = np.array([30 * MIN])
    mu_morphine = pharmacology(morphine=morphine).occupancy(t)["mu_opioid"][0]
    mu_ketamine = pharmacology(ketamine=ket).occupancy(t)["mu_opioid"][0]
    mu_both = pharmacology(morphine=morphine, ketamine=ket).occupancy(t)["mu_opioid"][0]
    assert max(mu_morphine, mu_ketamine) < mu_both < mu_morphine + mu_ketamine
    # only morphine activates µ: ketamine competes, so it slightly lowers morphine's action
    alone = pharmacology(morphine=morphine).effects(t).k_conductance_opioid[0]
    with_ketamine = pharmacology(morphine=morphine, ketamine=ket).effects(t).k_conductance_opioid[0]
    assert with_ketamine < alone
    assert pharmacology(ketamine=ket).effects(t).k_conductance_opioid[0] == 0.0


# ---- effect factors ----------------------------------------------------------------------------


def assert_drug_free(factors: EffectFactors, nmda_gain: float = 1.0) -> None:
    for field in dataclasses.fields(factors):
        values = getattr(factors, field.name)
        assert values.shape == TIMES.shape
        if field.name == "descending_activity":
            assert np.all(values == Drugs().modifiers.descending.baseline_activity)
        elif field.name.startswith("k_conductance"):
            assert np.all(values == 0.0), field.name
        elif field.name == "nmda_gain":
            assert np.all(values == nmda_gain)
        else:
            assert np.all(values == 1.0), field.name


def test_no_drug_gives_exactly_the_calibrated_network():
    p = pharmacology()
    assert p.drugs == ()
    assert_drug_free(p.effects(TIMES))
    assert all(np.all(v == 0.0) for v in p.occupancy(TIMES).values())


def test_before_the_first_dose_nothing_changes():
    late = [{"kind": "bolus", "dose": "1 mg/kg", "at": "1 d"}]
    p = pharmacology(ketamine={"regimen": late}, morphine={"regimen": late})
    assert_drug_free(p.effects(TIMES))


def test_nmda_block_override_replaces_only_the_nmda_occupancy():
    p = pharmacology(nmda_block=0.6)
    assert_drug_free(p.effects(TIMES), nmda_gain=1.0 - 0.6)
    with_ketamine = pharmacology(
        nmda_block=0.0, ketamine={"regimen": [{"kind": "bolus", "dose": "0.5 mg/kg"}]}
    )
    factors = with_ketamine.effects(TIMES)
    assert np.all(factors.nmda_gain == 1.0)
    assert factors.descending_activity[3] > factors.descending_activity[0]  # follows the drug


def test_disabled_modifiers_leave_release_and_conductances_alone():
    off = {name: {"enabled": False} for name in Modifiers.model_fields}
    p = pharmacology(
        modifiers=off,
        ketamine={"regimen": [{"kind": "bolus", "dose": "1 mg/kg"}]},
        morphine={"regimen": [{"kind": "bolus", "dose": "10 mg"}]},
    )
    factors = p.effects(TIMES)
    assert np.all(factors.c_release == 1.0)
    assert np.all(factors.inhibitory_gain == 1.0)
    assert np.all(factors.k_conductance_opioid == 0.0)
    assert np.all(factors.k_conductance_descending == 0.0)
    assert np.all(factors.nmda_gain[1:] < 1.0)


def test_morphine_acts_in_the_literature_direction():
    """µ activation lowers C/Aδ release by up to E_max and opens a K⁺ conductance (SCIENCE G1)."""
    p = pharmacology(morphine={"regimen": [{"kind": "bolus", "dose": "10 mg"}]})
    factors, mu = p.effects(TIMES), p.occupancy(TIMES)["mu_opioid"]
    assert np.all(mu[1:] > 0)
    np.testing.assert_allclose(factors.c_release, 1 - 0.6 * mu)
    np.testing.assert_allclose(factors.adelta_release, factors.c_release)
    np.testing.assert_allclose(factors.k_conductance_opioid, 1.0 * mu)
    assert np.all(factors.inhibitory_gain == 1.0)  # GABA-release inhibition is off by default
    assert np.all(factors.nmda_gain == 1.0)


def test_ketamine_acts_in_the_literature_direction():
    """NMDA block; muscarinic antagonism lowers the cholinergic tone (SCIENCE 0.3); more
    descending inhibition (SCIENCE 0.5, G3)."""
    bolus = {"regimen": [{"kind": "bolus", "dose": "0.5 mg/kg"}]}
    p = pharmacology(ketamine=bolus)
    factors = p.effects(TIMES)
    active = slice(1, None)
    assert np.all(factors.nmda_gain[active] < 1)
    assert np.all(factors.inhibitory_gain[active] < 1)  # less M2/M4 drive of inhibition
    assert np.all(factors.descending_activity[active] > 0.2)
    assert np.all(factors.k_conductance_descending[active] > 0)
    assert np.all(factors.c_release[active] < 1)  # descending α2 outweighs the lost M2 tone

    only_cholinergic = pharmacology(
        ketamine=bolus, modifiers={"descending": {"enabled": False}}
    ).effects(TIMES)
    assert np.all(only_cholinergic.c_release[active] > 1)  # antagonism removes M2 inhibition


def test_effects_accept_a_single_time():
    p = pharmacology(ketamine={"regimen": [{"kind": "bolus", "dose": "10 mg"}]})
    factors = p.effects(5 * MIN)
    assert np.ndim(factors.nmda_gain) == 0
    assert 0 < float(factors.nmda_gain) < 1


def test_add_dose_needs_a_configured_drug_and_route():
    p = pharmacology(ketamine={})
    with pytest.raises(ValueError, match="'morphine' is not configured"):
        p.add_dose("morphine", 0.0, 1.0)
    with pytest.raises(ValueError, match="unknown route 'rectal'"):
        p.add_dose("ketamine", 0.0, 1.0, "rectal")
    with pytest.raises(ValueError, match="amount >= 0"):
        p.add_dose("ketamine", 0.0, -1.0)
    assert p.routes("ketamine") == ("iv", "im", "sc", "intranasal", "oral")


# ---- monitoring ------------------------------------------------------------------------------


def test_monitor_without_drugs_shows_baselines():
    p = pharmacology()
    signs = p.monitoring(TIMES)
    assert np.all(signs["dissociation"] == 0)
    assert np.all(signs["heart_rate"] == 70)
    assert np.all(signs["mean_arterial_pressure"] == 90)
    assert np.all(signs["respiratory_drive"] == 1)
    assert not any(flags.any() for flags in p.alarms(TIMES).values())


def test_monitor_curves():
    monitor = Monitoring()
    ketamine = np.array([0.0, 50, 125, 200, 400, 2000])
    morphine = np.array([0.0, 0.0, 0.0, 0.032, 0.032, 0.032])
    signs = vital_signs(ketamine, morphine, monitor)
    np.testing.assert_allclose(signs["dissociation"], [0, 0, 50, 100, 100, 100])  # Bowdle 1998
    assert signs["heart_rate"][-1] == pytest.approx(70 + 13)  # half of E_max at C50
    assert signs["respiratory_drive"][3] == pytest.approx(0.5)  # Dahan 2004 C50
    flags = alarms(signs, monitor)
    np.testing.assert_array_equal(flags["dissociation"], [0, 0, 1, 1, 1, 1])
    assert not flags["respiratory_depression"].any()


def test_s_ketamine_haemodynamics_at_anaesthetic_levels():
    """V12: MAP +27 % at about 2000 ng/mL S-ketamine (Långsjö 2005), ±25 %."""
    equivalent = (
        2000 * KETAMINE_AFFINITY["racemic"]["nmda"].k / KETAMINE_AFFINITY["esketamine"]["nmda"].k
    )
    signs = vital_signs(np.array([equivalent]), np.zeros(1), Monitoring())
    assert signs["mean_arterial_pressure"][0] / 90 - 1 == pytest.approx(0.27, rel=0.25)


@pytest.mark.xfail(
    strict=True,
    reason="the AnaSim/Tweed heart-rate curve (26 bpm, C50 2 µg/mL, n 3) gives +30.5 % at 2000 "
    "ng/mL S-ketamine (racemic-equivalent 3333 ng/mL); Långsjö 2005 reports +43.5 %",
)
def test_s_ketamine_heart_rate_at_anaesthetic_levels():
    """V12: HR +43.5 % at about 2000 ng/mL S-ketamine (Långsjö 2005), ±25 %."""
    equivalent = 2000 * 0.5 / 0.30
    signs = vital_signs(np.array([equivalent]), np.zeros(1), Monitoring())
    assert signs["heart_rate"][0] / 70 - 1 == pytest.approx(0.435, rel=0.25)


def test_morphine_depresses_breathing_and_ketamine_does_not():
    t = np.array([60 * MIN])
    morphine = pharmacology(morphine={"regimen": [{"kind": "bolus", "dose": "0.1 mg/kg"}]})
    ketamine = pharmacology(ketamine={"regimen": [{"kind": "bolus", "dose": "1 mg/kg"}]})
    assert morphine.monitoring(t)["respiratory_drive"][0] < 0.5
    assert ketamine.monitoring(t)["respiratory_drive"][0] == 1.0
    assert ketamine.monitoring(np.array([2 * MIN]))["dissociation"][0] == 100


# ---- virtual patients --------------------------------------------------------------------------


def test_variability_is_reproducible_and_off_by_default():
    dose = {"regimen": [{"kind": "bolus", "dose": "20 mg", "route": "oral"}]}
    t = np.array([60 * MIN])

    def level(patient: dict, rng=None) -> float:
        drugs = Drugs.model_validate({"ketamine": dose, "patient": patient})
        return Pharmacology.from_config(drugs, rng).concentrations(t)["ketamine"]["plasma_ng_ml"][0]

    typical = level({})
    assert level({}, np.random.default_rng(5)) == typical  # no variability: rng unused
    assert level({"variability": True, "seed": 3}) == level({"variability": True, "seed": 3})
    assert level({"variability": True, "seed": 3}) != level({"variability": True, "seed": 4})
    assert level({"variability": True}, np.random.default_rng(1)) != typical
    with pytest.raises(ValueError, match=r"drugs\.patient\.seed"):
        level({"variability": True})


def test_morphine_draw_does_not_depend_on_ketamine():
    dose = {"regimen": [{"kind": "bolus", "dose": "5 mg"}]}
    t = np.array([30 * MIN])
    patient = {"variability": True, "seed": 11}
    alone = Pharmacology.from_config(Drugs.model_validate({"morphine": dose, "patient": patient}))
    both = Pharmacology.from_config(
        Drugs.model_validate({"morphine": dose, "ketamine": dose, "patient": patient})
    )
    assert (
        alone.concentrations(t)["morphine"]["plasma_ng_ml"][0]
        == (both.concentrations(t)["morphine"]["plasma_ng_ml"][0])
    )


def test_between_subject_distributions():
    rng = np.random.default_rng(0)
    patient = Patient()
    draws = [sample_patient(rng, patient)["ketamine"] for _ in range(4000)]
    clearance = np.array([d.clearance for d in draws])
    assert np.median(clearance) == pytest.approx(1.0, abs=0.03)
    assert np.std(clearance) / np.mean(clearance) == pytest.approx(0.3, rel=0.1)
    oral_f = np.array([d.bioavailability(0.17) for d in draws])
    assert np.all((oral_f > 0) & (oral_f < 1))
    assert np.std(oral_f) / np.mean(oral_f) == pytest.approx(0.11, rel=0.2)
    assert TYPICAL.bioavailability(0.17) == 0.17
    assert draws[0].bioavailability(1.0) == 1.0
