"""The gallery scenarios added with sensitization and the slow clock show what they say (seed 1)."""

from __future__ import annotations

import pytest

from painnet.config import load_config
from painnet.plotting import timecourse_figure
from painnet.run import simulate

pytestmark = pytest.mark.slow


def _after_over_before(summary: dict, population: str) -> float:
    return summary[population]["late_response"] / summary[population]["first_response"]


def test_sensitization_after_injury_raises_the_test_response():
    path = "configs/classroom/sensitization_after_injury.yaml"
    injured = simulate(load_config(path)).summary
    blocked = simulate(load_config(path, ["drugs.nmda_block=0.9"])).summary
    for population in ("WDR", "NS"):
        assert _after_over_before(injured, population) > 1.3
        assert _after_over_before(blocked, population) < 1.15
    assert injured["ltp_potentiation"] > 0.3 and blocked["ltp_potentiation"] < 0.05
    assert injured["excitability"] > blocked["excitability"]


def test_prolonged_infusion_relief_outlasts_the_drug(tmp_path):
    config = load_config("configs/classroom/crps_prolonged_infusion.yaml")
    result = simulate(config)
    series = result.tables["timeseries"]
    days = series["time_h"] / 24
    pain = series["pain_score"].to_numpy()
    drug = series["ketamine_plasma_ng_ml"].to_numpy()

    def at(day: float, values):
        return float(values[(days - day).abs().argmin()])

    assert at(6.5, pain) > 5.0  # untreated CRPS
    assert at(10.0, pain) < 1.0  # during the infusion
    assert at(14.0, drug) < 1.0  # days after it: the drug is gone...
    assert at(14.0, pain) < at(6.5, pain) - 1.0  # ...but the relief is not
    assert at(90.0, pain) > at(14.0, pain)  # and it creeps back over weeks
    figure = timecourse_figure(series, tmp_path / "crps.png", title=config.title)
    assert figure.stat().st_size > 10_000
