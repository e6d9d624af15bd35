"""The slow sensitization states: equations, who they act on, and what an LTP run writes."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from painnet.cli import app
from painnet.config.loading import config_from_dict
from painnet.engine.layout import C, S
from painnet.model import PainModel
from painnet.sensitization import (
    SensitizationParameters,
    advance_chronic,
    advance_excitability,
    advance_potentiation,
)

P = SensitizationParameters.from_configs([config_from_dict({"schema_version": 1})])


def _rho_after(seconds_above: float, total: float) -> float:
    rho = np.zeros((1, 1))
    rho = advance_potentiation(rho, np.ones((1, 1)), np.ones((1, 1)), seconds_above * 1e3, P)
    return float(
        advance_potentiation(rho, np.zeros((1, 1)), np.zeros((1, 1)), total * 1e3, P)[0, 0]
    )


def test_graupner_brunel_rule_is_bistable_with_an_induction_threshold():
    assert _rho_after(10.0, total=3600.0) < 0.05  # too short: back DOWN once calcium falls
    assert _rho_after(60.0, total=3600.0) > 0.95  # long enough: UP, kept without calcium
    assert _rho_after(20.0, total=3600.0) < 0.05 < 0.95 < _rho_after(30.0, total=3600.0)
    up = np.ones((1, 1))
    kept = advance_potentiation(up, np.zeros((1, 1)), np.zeros((1, 1)), 3.6e6, P)
    assert kept[0, 0] == pytest.approx(1.0)  # maintenance needs no calcium (no NMDA)


def test_excitability_relaxes_exactly_with_separate_rise_and_fall():
    e = advance_excitability(np.zeros((1, 1)), np.ones((1, 1)), 60_000.0, P)
    assert e[0, 0] == pytest.approx(1 - math.exp(-60_000.0 / P.exc_tau_on[0, 0]))
    down = advance_excitability(np.ones((1, 1)), np.zeros((1, 1)), 300_000.0, P)
    assert down[0, 0] == pytest.approx(math.exp(-300_000.0 / P.exc_tau_off[0, 0]))
    # one long step equals many short ones (exact for a constant drive)
    steps = np.zeros((1, 1))
    for _ in range(60):
        steps = advance_excitability(steps, np.ones((1, 1)), 1_000.0, P)
    assert steps[0, 0] == pytest.approx(e[0, 0])


def test_chronic_state_decays_without_refresh_and_returns_slowly():
    day = 86_400_000.0
    decayed = advance_chronic(np.ones((1, 1)), np.zeros((1, 1)), 4.2 * day, P)[0, 0]
    assert decayed == pytest.approx(math.exp(-4.2 * day / P.chr_tau_off[0, 0]))
    back = advance_chronic(np.zeros((1, 1)), np.ones((1, 1)), 10.9 * day, P)[0, 0]
    assert back == pytest.approx(0.5, abs=0.01)  # onset half-life 10.9 d (Dahan 2011)


def test_states_act_on_excitatory_and_projection_neurons_only():
    config = config_from_dict(
        {"schema_version": 1, "condition": {"chronic_state": 1.0}, "protocol": {"pulses": 1}}
    )
    model = PainModel(config)
    current = model.engine.cell[0, C["sensitization_current"]]
    chronic = model.engine.state[0, S["chronic"]]
    for name, expected in (("I", 0.0), ("E", 1.0), ("WDR", 1.0), ("NS", 1.0)):
        r = model.populations[name]
        assert np.all(chronic[r.start : r.stop] == expected), name
        assert np.all((current[r.start : r.stop] > 0) == bool(expected)), name


def test_an_ltp_run_reports_potentiation_and_draws_it(tmp_path):
    out = tmp_path / "ltp"
    result = CliRunner().invoke(
        app,
        [
            "run",
            "configs/sensitization/ltp_hfs.yaml",
            "--out",
            str(out),
            "--quiet",
            "--set",
            "run.duration=800 s",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["potentiation_final"] > 130  # two test pulses after HFS, seed 1
    assert summary["ltp_potentiation"] > 0.6  # ρ past ρ* = 0.5 and still rising to 1
    assert (out / "potentiation.png").exists() and (out / "train_responses.csv").exists()
