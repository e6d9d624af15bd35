"""SCIENCE V8: disinhibition unmasks Aβ (touch) drive of NS projection neurons (allodynia).

Protocol: the bundled configs/conditions/allodynia_disinhibition.yaml (ten 500-ms brush strokes at
1 Hz, 2 replicates), at held-out seeds 2–5; the E → NS default was calibrated on seed 1 only.
Readout: ``NS.responding_fraction``, the allodynia index (a neuron responds when its touch-evoked
spikes exceed its spontaneous expectation by >= 1 spike per touch; painnet.readouts).

Target (Torsney & MacDermott 2006; SCIENCE V8): with GABA_A/glycine weight cut to 0–20 %, about
60 % of NS neurons respond to touch; without, at most 10–20 %. Bands, fixed before the held-out
seeds were run: each seed 40–80 % (20 NS neurons per network: one seed's fraction has a sampling
error of about ±11 points around 60 %), the mean of the four seeds 50–70 %; control <= 20 % per
seed. Checked at 10 % inhibition kept (the config's default) and at complete block (as the
bicuculline + strychnine experiment that measured the 60 %).

The chloride route (E_Cl +20–25 mV with inhibition intact) puts E_Cl at or above the NS spike
threshold (-50 mV), so GABA from the touch-driven inhibitory interneurons itself excites every NS
neuron: "most NS neurons respond" holds, the ≈ 60 % does not (the model gives about 100 %; strict
xfail below records the miss).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from painnet.config import load_config
from painnet.run import simulate

CONFIG = "configs/conditions/allodynia_disinhibition.yaml"
SEEDS = (2, 3, 4, 5)
PER_SEED_BAND = (0.40, 0.80)
MEAN_BAND = (0.50, 0.70)
CONTROL_MAX = 0.20
pytestmark = pytest.mark.slow

CONDITIONS = {
    "control": ["condition.disinhibition=null"],
    "inhibition 10 %": [],
    "complete block": ["condition.disinhibition.inhibition_scale=0"],
    "E_Cl +20 mV": [
        "condition.disinhibition.inhibition_scale=1",
        "condition.disinhibition.chloride_shift=20 mV",
    ],
    "E_Cl +25 mV": [
        "condition.disinhibition.inhibition_scale=1",
        "condition.disinhibition.chloride_shift=25 mV",
    ],
}


@cache
def ns_fraction(seed: int, condition: str) -> float:
    config = load_config(CONFIG, [f"run.seed={seed}", *CONDITIONS[condition]])
    return simulate(config).summary["NS"]["responding_fraction"]


def _report(condition: str) -> str:
    return ", ".join(f"seed {s}: {ns_fraction(s, condition):.0%}" for s in SEEDS)


@pytest.mark.parametrize("seed", SEEDS)
def test_without_disinhibition_few_ns_neurons_respond_to_touch(seed):
    fraction = ns_fraction(seed, "control")
    assert fraction <= CONTROL_MAX, f"seed {seed}: {fraction:.0%} of NS neurons respond"


@pytest.mark.parametrize("condition", ["inhibition 10 %", "complete block"])
def test_with_disinhibition_about_60_percent_of_ns_neurons_respond(condition):
    fractions = np.array([ns_fraction(s, condition) for s in SEEDS])
    low, high = PER_SEED_BAND
    assert np.all((fractions >= low) & (fractions <= high)), _report(condition)
    low, high = MEAN_BAND
    assert low <= fractions.mean() <= high, f"mean {fractions.mean():.0%}; {_report(condition)}"


@pytest.mark.parametrize("condition", ["E_Cl +20 mV", "E_Cl +25 mV"])
def test_chloride_shift_makes_most_ns_neurons_respond(condition):
    fractions = np.array([ns_fraction(s, condition) for s in SEEDS])
    assert np.all(fractions > 0.5), _report(condition)


@pytest.mark.xfail(
    strict=True,
    reason="E_Cl +20-25 mV reaches the NS threshold (-50 mV): GABA excites every NS neuron "
    "(about 100 %, not the ~60 % of SCIENCE V8)",
)
@pytest.mark.parametrize("condition", ["E_Cl +20 mV", "E_Cl +25 mV"])
def test_chloride_shift_about_60_percent(condition):
    fractions = np.array([ns_fraction(s, condition) for s in SEEDS])
    low, high = MEAN_BAND
    assert low <= fractions.mean() <= high, _report(condition)
