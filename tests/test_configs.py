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
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(path),
            "--out",
            str(out),
            "--quiet",
            "--set",
            "protocol.pulses=3",
            "--set",
            "run.replicates=1",
        ],
    )
    assert result.exit_code == 0, result.output + result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert "windup_ratio" in summary and "WDR" in summary and "NS" in summary
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"


def test_touch_drives_wdr_but_not_ns():
    """A brush stroke (Aβ at 40 Hz) reaches WDR neurons; NS neurons stay behind the gate."""
    config = load_config("configs/touch.yaml", ["protocol.pulses=4"])
    summary = simulate(config).summary
    assert summary["WDR"]["first_response"] > 1.0
    assert summary["NS"]["first_response"] < 0.2 * summary["WDR"]["first_response"]
