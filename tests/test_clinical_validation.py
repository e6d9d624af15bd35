"""SCIENCE V9 and V11 on the slow clock (bundled transfer table of the default network, seed 1).

V11a: after a 100-h S-ketamine infusion in CRPS, relief outlasts the drug and decays with a
half-life of 5–20 days. V11b: a 30-min infusion leaves < 10 % of its relief after 24 h.
V9: perioperative ketamine reduces 24-h PCA morphine by 10–30 % with ≤ 1 point less pain — the
model overshoots (recorded as a strict xfail with the numbers). The full report:
experiments/clinical_validation.py → docs/validation-clinical.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from painnet.config import load_config
from painnet.slowclock.clock import simulate_slow
from painnet.slowclock.transfer import for_config

pytestmark = pytest.mark.slow

SCENARIOS = Path(__file__).resolve().parents[1] / "configs" / "scenarios"
DAY = 86_400_000.0


def _pain(name: str) -> tuple[np.ndarray, np.ndarray]:
    config = load_config(SCENARIOS / f"{name}.yaml")
    model = simulate_slow(config, for_config(config))
    return model.times / DAY, model.series["pain_score"][0]


@pytest.fixture(scope="module")
def crps():
    return {n: _pain(n) for n in ("crps_placebo", "crps_ketamine_100h", "crps_ketamine_30min")}


def test_v11a_long_infusion_relief_outlasts_the_drug(crps):
    days, placebo = crps["crps_placebo"]
    _, treated = crps["crps_ketamine_100h"]
    relief = placebo - treated
    end = 7.0 + 100 / 24
    during = relief[(days > 8) & (days < end)].mean()
    assert during > 3.0  # interrupted while the drug is present
    week1 = float(np.interp(7.0 + 7, days, relief))
    assert week1 > 1.0  # relief 3 days after the drug is gone (plasma t½ hours)
    assert float(np.interp(7.0 + 84, days, relief)) < 0.3  # about gone by week 12
    after = (days >= end + 3) & (days <= end + 60) & (relief > 0.05)
    half_life = np.log(2) / -np.polyfit(days[after], np.log(relief[after]), 1)[0]
    assert 5.0 <= half_life <= 20.0, half_life


def test_v11b_short_infusion_relief_ends_with_the_drug(crps):
    days, placebo = crps["crps_placebo"]
    _, treated = crps["crps_ketamine_30min"]
    relief = placebo - treated
    peak = relief.max()
    assert peak > 2.0
    assert float(np.interp(7.0 + 1.0, days, relief)) < 0.1 * peak


@pytest.mark.xfail(
    strict=True,
    reason="V9 missed: ketamine 0.5 mg/kg + 0.25 mg/kg/h cuts 24-h PCA morphine by ~68 % "
    "(71 → 23 mg), and even 0.1 mg/kg/h by ~50 %, against 10–30 % clinically (Brinck 2018): "
    "the model's transmission of ongoing C input leans on NMDA/CAN amplification more than "
    "acute clinical pain does",
)
def test_v9_perioperative_opioid_sparing():
    used = {}
    pain = {}
    for name in ("perioperative_control", "perioperative_ketamine"):
        config = load_config(SCENARIOS / f"{name}.yaml")
        rows = simulate_slow(config, for_config(config)).summaries()
        used[name] = np.mean([r["opioid_mg_at_24h"] for r in rows])
        pain[name] = np.mean([r["pain_score_mean"] for r in rows])
    sparing = 1 - used["perioperative_ketamine"] / used["perioperative_control"]
    less_pain = pain["perioperative_control"] - pain["perioperative_ketamine"]
    assert 0.10 <= sparing <= 0.30, sparing
    assert 0.0 <= less_pain <= 1.0, less_pain


def test_routes_scenario_shows_bioavailability_and_delay(tmp_path):
    """configs/scenarios/ketamine_routes.yaml: what its description says (F and Tmax order)."""
    from painnet.sweep import run_sweep

    table = run_sweep(load_config(SCENARIOS / "ketamine_routes.yaml"), tmp_path / "s").table
    by_route = table.set_index("drugs.ketamine.regimen.0.route")
    f = by_route["ketamine_auc_ng_h_ml"] / by_route.loc["iv", "ketamine_auc_ng_h_ml"]
    assert f["im"] == pytest.approx(0.93, abs=0.05)
    assert 0.8 <= f["sc"] <= 1.0
    assert 0.08 <= f["intranasal"] <= 0.2 and 0.1 <= f["oral"] <= 0.25
    tmax = by_route["ketamine_tmax_h"]
    assert tmax["iv"] < tmax["im"] < tmax["sc"] and tmax["oral"] > tmax["intranasal"]
    assert (
        by_route.loc["oral", "norketamine_auc_ng_h_ml"]
        > by_route.loc["oral", "ketamine_auc_ng_h_ml"]
    )


def test_v10_oral_exposure_varies_more_between_patients_than_iv():
    """Virtual patients (lognormal CL, V, ka, F): oral AUC is more variable than IV AUC.

    Measured (60 patients, 25 mg): CV 0.31 oral vs 0.26 IV — more variable, though not "much"
    more: F varies with the 11 % CV of Fanta 2015 (SCIENCE E1), on top of CL and V.
    """
    from painnet.config.drugs import Drugs
    from painnet.pharmacology import Pharmacology

    t = np.linspace(0, 24 * 60, 1441) * 60_000.0
    cv = {}
    for route in ("iv", "oral"):
        aucs = []
        for seed in range(60):
            drugs = Drugs.model_validate(
                {
                    "ketamine": {"regimen": [{"kind": "bolus", "dose": "25 mg", "route": route}]},
                    "patient": {"variability": True, "seed": seed},
                }
            )
            plasma = Pharmacology.from_config(drugs).concentrations(t)["ketamine"]["plasma_ng_ml"]
            aucs.append(np.trapezoid(plasma, t))
        cv[route] = np.std(aucs) / np.mean(aucs)
    assert cv["oral"] > cv["iv"] > 0.1, cv
