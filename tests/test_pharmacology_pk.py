"""Pharmacokinetics: analytic limits, mass balance, AUC, routes, and the SCIENCE E targets.

Targets that the published parameters miss are strict xfails that state the numbers (SCIENCE
"How to use this file": report a miss, do not re-tune).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from painnet.config.drugs import Drugs
from painnet.pharmacology import Pharmacology
from painnet.pharmacology.drugs import (
    DOMINO_1982,
    KAMP_2020,
    KETAMINE_ROUTES,
    SARTON_2000,
)
from painnet.pharmacology.pk import Absorption, Disposition, DoseEvent, PKModel

MIN = 6e4  # ms per minute
KE0 = math.log(2) / 6.1


def ketamine(regimen, **ketamine_options) -> Pharmacology:
    options = {"regimen": regimen, **ketamine_options}
    patient = options.pop("patient", {})
    return Pharmacology.from_config(Drugs.model_validate({"ketamine": options, "patient": patient}))


def dense_minutes(end: float = 6000.0) -> np.ndarray:
    """A grid fine where concentrations change fast and coarse later (minutes)."""
    return np.unique(np.concatenate([np.linspace(0, 120, 24_001), np.linspace(120, end, 20_000)]))


def kamp(**routes: Absorption) -> PKModel:
    return PKModel(KAMP_2020.scaled(70.0, KE0), routes)


# ---- analytic limits -------------------------------------------------------------------------


def test_one_compartment_matches_closed_forms():
    v, cl, ka, f, ke0 = 20.0, 2.0, 0.3, 0.6, 0.5
    k = cl / v
    model = PKModel(Disposition(v, cl, (), ke0), {"oral": Absorption(f, ka)})
    t = np.linspace(0, 120, 241)
    dose = 10.0

    model.add(DoseEvent("iv", 0.0, amount=dose))
    out = model.concentrations(t)
    np.testing.assert_allclose(out["plasma"], dose / v * np.exp(-k * t), rtol=1e-10)
    effect = dose / v * ke0 / (ke0 - k) * (np.exp(-k * t) - np.exp(-ke0 * t))
    np.testing.assert_allclose(out["effect"], effect, rtol=1e-9, atol=1e-14)

    oral = PKModel(model.disposition, model.routes)
    oral.add(DoseEvent("oral", 0.0, amount=dose))
    bateman = f * dose * ka / (v * (ka - k)) * (np.exp(-k * t) - np.exp(-ka * t))
    np.testing.assert_allclose(oral.concentrations(t)["plasma"], bateman, rtol=1e-9, atol=1e-14)

    infusion = PKModel(model.disposition, {})
    rate, stop = 0.5, 60.0
    infusion.add(DoseEvent("iv", 0.0, rate=rate, duration=stop))
    during = rate / cl * (1 - np.exp(-k * np.minimum(t, stop)))
    expected = np.where(t <= stop, during, during * np.exp(-k * (t - stop)))
    np.testing.assert_allclose(infusion.concentrations(t)["plasma"], expected, rtol=1e-9)


def test_iv_bolus_peak_is_dose_over_central_volume():
    pharmacology = ketamine([{"kind": "bolus", "dose": "10 mg"}])
    plasma = pharmacology.concentrations(np.array([0.0]))["ketamine"]["plasma_ng_ml"]
    assert plasma[0] == pytest.approx(10.0 / KAMP_2020.central_volume * 1000)


@pytest.mark.parametrize("route", ["iv", "im", "sc", "intranasal", "oral"])
@pytest.mark.parametrize("norketamine", [False, True])
def test_mass_balance(route, norketamine):
    """Depot + central + peripheral + eliminated (CL∫C) + never absorbed = dose, at all times."""
    absorption = KETAMINE_ROUTES["racemic"]
    routes = {name: r.absorption() for name, r in absorption.items()}
    metabolite = None
    if norketamine:
        from painnet.pharmacology.drugs import NORKETAMINE

        metabolite = NORKETAMINE.scaled(70.0, KE0)
    model = PKModel(KAMP_2020.scaled(70.0, KE0), routes, metabolite)
    model.add(DoseEvent(route, 5.0, amount=20.0))
    model.add(
        DoseEvent(route, 30.0, rate=0.2, duration=60.0)
        if route in ("iv", "sc")
        else DoseEvent(route, 30.0, amount=5.0)
    )
    t = dense_minutes(600.0)
    amounts = model.amounts(t)
    plasma = model.concentrations(t)["plasma"]
    eliminated = model.disposition.clearance * np.concatenate(
        [[0.0], np.cumsum(np.diff(t) * (plasma[1:] + plasma[:-1]) / 2)]
    )
    given = model.given(t)
    f = 1.0 if route == "iv" else routes[route].bioavailability
    never_absorbed = (1 - f) * (given - amounts["depot"])
    total = amounts["depot"] + amounts["central"] + amounts["peripheral"] + eliminated
    np.testing.assert_allclose(total + never_absorbed, given, atol=2e-3 * given.max())


@pytest.mark.parametrize("route", ["iv", "im", "sc", "intranasal", "oral"])
def test_auc_is_bioavailable_dose_over_clearance(route):
    pharmacology = ketamine([{"kind": "bolus", "dose": "20 mg", "route": route}])
    t = dense_minutes()
    plasma = pharmacology.concentrations(t * MIN)["ketamine"]["plasma_ng_ml"] / 1000  # mg/L
    auc = np.trapezoid(plasma, t)
    f = 1.0 if route == "iv" else KETAMINE_ROUTES["racemic"][route].bioavailability
    assert auc == pytest.approx(f * 20.0 / KAMP_2020.clearance, rel=2e-3)


def test_infusion_reaches_rate_over_clearance():
    pharmacology = ketamine([{"kind": "infusion", "rate": "12.6 mg/h"}])
    late = np.array([200.0, 300.0]) * 60 * MIN
    steady = pharmacology.concentrations(late)["ketamine"]
    expected = 12.6 / 60 / KAMP_2020.clearance * 1000  # ng/mL
    np.testing.assert_allclose(steady["plasma_ng_ml"], expected, rtol=1e-6)
    np.testing.assert_allclose(steady["effect_ng_ml"], expected, rtol=1e-6)


def test_superposition_and_added_doses():
    both = ketamine(
        [{"kind": "bolus", "dose": "10 mg"}, {"kind": "bolus", "dose": "5 mg", "at": "30 min"}]
    )
    added = ketamine([{"kind": "bolus", "dose": "10 mg"}])
    added.add_dose("ketamine", 30 * MIN, 5.0, "iv")
    t = np.linspace(0, 240, 97) * MIN
    a = both.concentrations(t)["ketamine"]["effect_ng_ml"]
    np.testing.assert_allclose(added.concentrations(t)["ketamine"]["effect_ng_ml"], a, rtol=1e-12)
    first = ketamine([{"kind": "bolus", "dose": "10 mg"}]).concentrations(t)
    second = ketamine([{"kind": "bolus", "dose": "5 mg", "at": "30 min"}]).concentrations(t)
    np.testing.assert_allclose(
        first["ketamine"]["effect_ng_ml"] + second["ketamine"]["effect_ng_ml"], a, rtol=1e-10
    )


def test_regimen_kinds_give_the_right_amounts():
    regimen = [
        {"kind": "bolus", "dose": "0.5 mg/kg", "over": "10 min"},
        {"kind": "infusion", "rate": "5 µg/kg/min", "start": "10 min", "duration": "2 h"},
        {"kind": "repeated", "dose": "25 mg", "every": "8 h", "count": 3, "route": "oral"},
        {
            "kind": "titration",
            "steps": [
                {"rate": "5 mg/h", "duration": "1 h"},
                {"rate": "10 mg/h", "duration": "2 h"},
            ],
            "start": "1 d",
        },
    ]
    pharmacology = ketamine(regimen, patient={"weight": "80 kg"})
    total = pharmacology.cumulative_dose(np.array([0.0, 5 * MIN, 1e10]))["ketamine"]
    assert total[0] == 25.0  # the first oral dose is given at 0
    assert total[1] == pytest.approx(0.5 * 80 / 2 + 25)  # half the 10-min push, first oral dose
    assert total[2] == pytest.approx(0.5 * 80 + 0.3 * 80 * 2 + 3 * 25 + 5 + 20)


def test_coincident_rates_are_handled():
    """Absorption half-time equal to the effect-site half-time (a degenerate eigenbasis)."""
    exact = kamp(x=Absorption(0.5, KE0))
    near = kamp(x=Absorption(0.5, KE0 * (1 + 1e-5)))
    for model in (exact, near):
        model.add(DoseEvent("x", 0.0, amount=10.0))
    t = np.linspace(0, 300, 61)
    np.testing.assert_allclose(
        exact.concentrations(t)["effect"], near.concentrations(t)["effect"], rtol=1e-4
    )


def test_per_kg_dose_gives_the_same_concentrations_in_a_per_kg_model():
    """Domino 1982 is per kg (linear in body mass): mg/kg doses give weight-independent levels."""
    light, heavy = (
        ketamine(
            [{"kind": "bolus", "dose": "0.5 mg/kg"}], pk_model="domino1982", patient={"weight": w}
        )
        for w in ("50 kg", "100 kg")
    )
    t = np.linspace(0, 120, 25) * MIN
    np.testing.assert_allclose(
        light.concentrations(t)["ketamine"]["plasma_ng_ml"],
        heavy.concentrations(t)["ketamine"]["plasma_ng_ml"],
        rtol=1e-9,
    )


def test_women_clear_ketamine_faster_and_see_morphine_later():
    dose = [{"kind": "bolus", "dose": "20 mg"}]
    t = dense_minutes()
    aucs = {}
    for sex in ("male", "female"):
        drugs = Drugs.model_validate(
            {"ketamine": {"regimen": dose}, "morphine": {"regimen": dose}, "patient": {"sex": sex}}
        )
        c = Pharmacology.from_config(drugs).concentrations(t * MIN)
        aucs[sex] = np.trapezoid(c["ketamine"]["plasma_ng_ml"], t)
        aucs[sex + " morphine effect peak"] = t[np.argmax(c["morphine"]["effect_ng_ml"])]
    assert aucs["male"] / aucs["female"] == pytest.approx(1.2, rel=1e-3)  # Sigtermans 2009
    assert aucs["female morphine effect peak"] > aucs["male morphine effect peak"]  # Sarton 2000


# ---- SCIENCE E targets -----------------------------------------------------------------------


def test_kamp_model_matches_the_meta_analysis():
    """V10: CL 79 L/h and V 252 L per 70 kg (Kamp 2020 [H]) within ±30 %."""
    assert KAMP_2020.clearance * 60 == pytest.approx(79, rel=0.3)
    assert KAMP_2020.steady_state_volume == pytest.approx(252, rel=0.3)
    # and the alternative sets are what SCIENCE E1 / G1 derive
    assert DOMINO_1982.clearance == pytest.approx(1.93, rel=0.01)
    assert DOMINO_1982.steady_state_volume == pytest.approx(193, rel=0.01)
    assert SARTON_2000.central_volume == pytest.approx(0.075 * 70)


def route_profile(route: str, dose: str, form: str = "racemic") -> tuple[float, float, float]:
    """(F from AUC, Tmax min, Cmax ng/mL) of one dose by ``route``."""
    pharmacology = ketamine([{"kind": "bolus", "dose": dose, "route": route}], form=form)
    t = dense_minutes()
    plasma = pharmacology.concentrations(t * MIN)["ketamine"]["plasma_ng_ml"] / 1000
    mg = float(dose.split()[0])
    f = np.trapezoid(plasma, t) * KAMP_2020.clearance / mg
    return f, float(t[np.argmax(plasma)]), float(plasma.max() * 1000)


@pytest.mark.parametrize(
    ("route", "dose", "form", "f_target", "tmax_range"),
    [
        ("im", "35 mg", "racemic", 0.93, (5, 15)),  # Clements 1982
        ("sc", "7 mg", "racemic", 0.9, (15, 30)),  # 0.8–1.0 [L]
        ("intranasal", "50 mg", "racemic", 0.11, (14, 23)),  # Pharmacotherapy 2022 Table 6
        ("oral", "35 mg", "racemic", 0.185, (30, 60)),  # 0.17–0.20
        ("oral", "17.5 mg", "esketamine", 0.08, (30, 60)),  # Fanta 2015
    ],
)
def test_route_bioavailability_and_tmax(route, dose, form, f_target, tmax_range):
    """V10: route F within ±30 % (SCIENCE E3) and Tmax inside the reported range."""
    f, tmax, _ = route_profile(route, dose, form)
    assert f == pytest.approx(f_target, rel=0.3)
    assert tmax_range[0] <= tmax <= tmax_range[1]


def test_iv_10_mg_matches_pharmacotherapy_2022():
    """10 mg IV: Cmax 296 ng/mL at 2 min (GSD 1.71), AUC 113 µg·h/L (Table 6)."""
    pharmacology = ketamine([{"kind": "bolus", "dose": "10 mg"}])
    two_min = pharmacology.concentrations(np.array([2 * MIN]))["ketamine"]["plasma_ng_ml"][0]
    assert two_min == pytest.approx(296, rel=0.3)
    t = dense_minutes()
    auc = np.trapezoid(pharmacology.concentrations(t * MIN)["ketamine"]["plasma_ng_ml"], t) / 60
    assert auc == pytest.approx(113, rel=0.3)


@pytest.mark.xfail(
    strict=True,
    reason="Kamp 2020 gives 76 / 40 / 32 ng/mL plasma (effect site 107 / 68 / 46) at 10 / 20 / "
    "30 min after 0.15 mg/kg IV, not the 100–150 ng/mL SCIENCE V3 expects (the same model "
    "matches the measured 10-mg IV Cmax and AUC of Pharmacotherapy 2022)",
)
def test_analgesic_bolus_gives_100_to_150_ng_ml_at_10_to_30_min():
    pharmacology = ketamine([{"kind": "bolus", "dose": "0.15 mg/kg"}])
    plasma = pharmacology.concentrations(np.array([10, 20, 30]) * MIN)["ketamine"]["plasma_ng_ml"]
    assert np.all((plasma >= 100) & (plasma <= 150))


@pytest.mark.xfail(
    strict=True,
    reason="one first-order depot calibrated to Tmax 16 min gives Cmax 29 ng/mL after 50 mg "
    "intranasal; Pharmacotherapy 2022 Table 6 reports 77.6 ng/mL (GSD 2.29)",
)
def test_intranasal_50_mg_cmax():
    _, _, cmax = route_profile("intranasal", "50 mg")
    assert 77.6 / 2.29 <= cmax <= 77.6 * 2.29


def norketamine_ratios(route: str, dose: str, form: str = "racemic") -> tuple[float, float]:
    """(Cmax ratio, AUC∞ ratio) norketamine/ketamine."""
    pharmacology = ketamine(
        [{"kind": "bolus", "dose": dose, "route": route}], form=form, norketamine=True
    )
    t = dense_minutes()
    c = pharmacology.concentrations(t * MIN)
    parent, metabolite = c["ketamine"]["plasma_ng_ml"], c["norketamine"]["plasma_ng_ml"]
    return metabolite.max() / parent.max(), np.trapezoid(metabolite, t) / np.trapezoid(parent, t)


def test_oral_esketamine_norketamine_auc_ratio():
    """V10: norketamine AUC ≈ 16.5 × S-ketamine AUC after oral S-ketamine (Fanta 2015; calibrated)."""
    _, auc_ratio = norketamine_ratios("oral", "17.5 mg", "esketamine")
    assert auc_ratio == pytest.approx(16.5, rel=0.05)


@pytest.mark.xfail(
    strict=True,
    reason="norketamine (Flint 2017 CL, assumed V) gives Cmax ratios 0.046 (10 mg IV) and 4.1 "
    "(50 mg intranasal) against 0.089 and 1.35 in Pharmacotherapy 2022 Table 6 (SCIENCE D4)",
)
@pytest.mark.parametrize(
    ("route", "dose", "target"), [("iv", "10 mg", 0.089), ("intranasal", "50 mg", 1.35)]
)
def test_norketamine_cmax_ratio(route, dose, target):
    cmax_ratio, _ = norketamine_ratios(route, dose)
    assert cmax_ratio == pytest.approx(target, rel=0.3)
