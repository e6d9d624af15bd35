"""Every bundled config runs end to end through the CLI (shortened), and touch behaves as a gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from painnet.cli import app
from painnet.config import load_config
from painnet.run import simulate

CONFIGS = sorted(Path("configs").rglob("*.yaml"))


@pytest.mark.parametrize("path", CONFIGS, ids=str)
def test_bundled_config_runs(path, tmp_path):
    """Each config runs through the CLI, shortened: 3 pulses and at most 30 s on the fast clock,
    one day on the slow clock."""
    from painnet.slowclock import resolved_clock

    config = load_config(path)
    slow = resolved_clock(config) == "slow"
    if slow:
        shorten = ["run.duration=1 d"]
    else:
        shorten = ["protocol.pulses=3", f"run.duration={min(config.duration, 30_000.0)} ms"]
    out = tmp_path / "out"
    args = ["run", str(path), "--out", str(out), "--quiet", "--set", "run.replicates=1"]
    for override in shorten:
        args += ["--set", override]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output + result.stderr
    summary = json.loads((out / "summary.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["clock"] == ("slow" if slow else "fast")
    if slow:
        assert 0 <= summary["pain_score_mean"] <= 10 and "chronic_state_final" in summary
        assert (out / "timecourse.png").exists()
    else:
        assert "windup_ratio" in summary and "WDR" in summary and "NS" in summary


def test_touch_drives_wdr_but_not_ns():
    """A brush stroke (Aβ at 40 Hz) reaches WDR neurons; NS neurons stay behind the gate."""
    config = load_config("configs/touch.yaml", ["protocol.pulses=4"])
    summary = simulate(config).summary
    assert summary["WDR"]["first_response"] > 1.0
    assert summary["NS"]["first_response"] < 0.2 * summary["WDR"]["first_response"]


SWEEPS = [p for p in CONFIGS if load_config(p).sweep is not None]


@pytest.mark.parametrize("path", SWEEPS, ids=str)
def test_bundled_sweep_plans_valid_points(path):
    """Every point of every bundled sweep makes a valid config (checked without simulating)."""
    from painnet.sweep.points import plan_batches

    points, batches = plan_batches(load_config(path))
    config = load_config(path)
    assert len(points) >= 2 and batches
    assert sum(len(b.members) for b in batches) == len(points) * config.sweep.replicates
