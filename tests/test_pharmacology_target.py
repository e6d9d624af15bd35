"""Target-controlled regimens (``kind: target`` and ``target_concentration``): an ideal TCI pump.

During its window a target entry holds plasma and effect-site concentration at the target (or at
what the other doses give, when higher); outside it, it contributes nothing. Occupancy, effects
and the monitor follow the held concentration; ``cumulative_dose`` reports what a
plasma-targeted pump delivers.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from painnet.config import load_config
from painnet.config.drugs import Drugs, Target
from painnet.pharmacology import Pharmacology
from painnet.pharmacology.drugs import KAMP_2020, MOLAR_MASS, SARTON_2000

MIN = 60_000.0  # ms


def pharmacology(**drugs) -> Pharmacology:
    return Pharmacology.from_config(Drugs.model_validate(drugs))


def test_concentration_equals_the_target_during_the_window_and_zero_outside():
    p = pharmacology(
        ketamine={
            "regimen": [
                {"kind": "target", "concentration": "150 ng/mL", "start": "1 s", "duration": "2 s"}
            ]
        }
    )
    t = np.array([0.0, 999.0, 1000.0, 2000.0, 2999.9, 3000.0, 10 * MIN])
    c = p.concentrations(t)["ketamine"]
    inside = np.array([False, False, True, True, True, False, False])
    for site in ("plasma_ng_ml", "effect_ng_ml"):
        np.testing.assert_allclose(c[site][inside], 150.0)
        np.testing.assert_array_equal(c[site][~inside], 0.0)
    np.testing.assert_allclose(c["effect_um"][inside], 150.0 / MOLAR_MASS["ketamine"])


def test_a_target_without_duration_holds_to_the_end_and_the_shorthand_is_the_same():
    entry = pharmacology(morphine={"regimen": [{"kind": "target", "concentration": "20 ng/mL"}]})
    shorthand = pharmacology(morphine={"target_concentration": "20 ng/mL"})
    t = np.array([0.0, 1.0, 1 * MIN, 24 * 60 * MIN])
    for p in (entry, shorthand):
        c = p.concentrations(t)["morphine"]
        np.testing.assert_allclose(c["plasma_ng_ml"], 20.0)
        np.testing.assert_allclose(c["effect_ng_ml"], 20.0)
    np.testing.assert_allclose(entry.occupancy(t)["mu_opioid"], shorthand.occupancy(t)["mu_opioid"])


def test_occupancy_effects_and_monitor_follow_the_target():
    p = pharmacology(ketamine={"target_concentration": "150 ng/mL"})
    t = np.array([0.0, 5000.0])
    um = 150.0 / MOLAR_MASS["ketamine"]
    occupancy = p.occupancy(t)
    np.testing.assert_allclose(occupancy["nmda"], um / (um + 0.5))  # racemic K 0.5 µM
    np.testing.assert_allclose(occupancy["muscarinic"], um / (um + 5.7))
    np.testing.assert_allclose(p.effects(t).nmda_gain, 1.0 - um / (um + 0.5))
    # Bowdle 1998: dissociation linear from 50 to 200 ng/mL → 150 ng/mL scores 66.7
    np.testing.assert_allclose(p.monitoring(t)["dissociation"], 100.0 * (150 - 50) / 150)

    morphine = pharmacology(morphine={"target_concentration": "21.83 ng/mL"})
    # Sarton 2000 µ C50 in men 76.5 nM = 21.83 ng/mL: half activation, and a µ agonist
    np.testing.assert_allclose(morphine.occupancy(t)["mu_opioid"], 0.5, atol=1e-3)
    assert (morphine.effects(t).c_release < 1.0).all()


def test_zero_target_is_no_drug():
    p = pharmacology(ketamine={"target_concentration": "0 ng/mL"})
    fx = p.effects(np.array([0.0, 1000.0]))
    np.testing.assert_array_equal(fx.nmda_gain, 1.0)
    np.testing.assert_array_equal(fx.c_release, 1.0)


def test_other_doses_above_the_target_are_not_removed():
    bolus = {"kind": "bolus", "dose": "0.5 mg/kg"}  # ~1400 ng/mL plasma at 1 min
    target = {"kind": "target", "concentration": "150 ng/mL"}
    alone = pharmacology(ketamine={"regimen": [bolus]})
    both = pharmacology(ketamine={"regimen": [bolus, target]})
    t = np.array([1 * MIN, 24 * 60 * MIN])
    a, b = alone.concentrations(t)["ketamine"], both.concentrations(t)["ketamine"]
    assert a["plasma_ng_ml"][0] > 150.0
    np.testing.assert_allclose(b["plasma_ng_ml"][0], a["plasma_ng_ml"][0])  # the bolus is higher
    np.testing.assert_allclose(b["plasma_ng_ml"][1], 150.0)  # a day later: the target


def test_cumulative_dose_is_what_a_plasma_targeted_pump_delivers():
    p = pharmacology(
        ketamine={"regimen": [{"kind": "target", "concentration": "200 ng/mL", "start": "1 min"}]}
    )
    c = 200e-3  # mg/L
    given = p.cumulative_dose(np.array([0.0, 1 * MIN, 1 * MIN + 1e-6, 100 * 60 * MIN]))["ketamine"]
    assert given[0] == 0.0
    np.testing.assert_allclose(given[1], KAMP_2020.central_volume * c)  # the loading dose V1·C
    # after 100 h every compartment is full: Vss·C plus elimination CL·C·t
    hours = 100 * 60 - 1
    expected = c * (KAMP_2020.steady_state_volume + KAMP_2020.clearance * hours)
    np.testing.assert_allclose(given[3], expected, rtol=1e-6)


def test_a_window_that_ends_stops_the_pump():
    p = pharmacology(
        morphine={"regimen": [{"kind": "target", "concentration": "10 ng/mL", "duration": "1 h"}]}
    )
    given = p.cumulative_dose(np.array([60 * MIN, 120 * MIN]))["morphine"]
    assert given[0] == given[1] > 10e-3 * SARTON_2000.central_volume


def test_config_round_trips_and_errors_are_one_line():
    drugs = Drugs.model_validate(
        {"ketamine": {"regimen": [{"kind": "target", "concentration": "0.15 µg/mL"}]}}
    )
    entry = drugs.ketamine.regimen[0]
    assert isinstance(entry, Target) and entry.concentration == pytest.approx(150.0)
    assert entry.route == "iv" and math.isinf(entry.end)
    assert Drugs.model_validate(drugs.model_dump(mode="json")) == drugs

    for bad, says in [
        ({"kind": "targt", "concentration": "1 ng/mL"}, "did you mean 'target'?"),
        ({"kind": "target", "concentration": "-1 ng/mL"}, "greater than or equal to 0"),
        ({"kind": "target", "concentration": "150"}, "expected a mass concentration"),
        ({"kind": "target"}, "Field required"),
    ]:
        with pytest.raises(ValidationError) as info:
            Drugs.model_validate({"ketamine": {"regimen": [bad]}})
        messages = [str(e["msg"]) for e in info.value.errors(include_url=False)]
        assert all("\n" not in m for m in messages)
        assert any(says in m for m in messages), messages


def test_a_student_can_set_the_shorthand_from_the_command_line():
    """`--set` creates the (absent) drug section, as the classroom sliders do."""
    config = load_config(
        "configs/windup.yaml",
        [
            "drugs.ketamine.target_concentration=150 ng/mL",
            "drugs.morphine.target_concentration=20ng/mL",
        ],
    )
    assert config.drugs.ketamine.target_concentration == pytest.approx(150.0)
    assert config.drugs.morphine.target_concentration == pytest.approx(20.0)
