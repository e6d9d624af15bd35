"""Sweeps: identical results whatever the executor or batching, resume after SIGKILL, failures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from painnet.cli import app
from painnet.config import load_config
from painnet.errors import ConfigError, PainnetError
from painnet.run import simulate
from painnet.sweep import run_sweep
from painnet.sweep.points import sweep_points

SHOWCASE = "configs/sweeps/windup_block_frequency.yaml"
SMALL = [
    "protocol.pulses=3",
    "protocol.after=300 ms",
    "sweep.parameters={protocol.frequency: [2], drugs.nmda_block: [0, 0.8]}",
    "sweep.replicates=2",
]


def small(*extra: str):
    return load_config(SHOWCASE, [*SMALL, *extra])


def test_points_have_stable_ids_independent_of_order():
    a = sweep_points(load_config(SHOWCASE).sweep)
    b = sweep_points(
        load_config(
            SHOWCASE,
            [
                "sweep.parameters={drugs.nmda_block: [1, 0.8, 0.6, 0.4, 0.2, 0], protocol.frequency: [2, 1, 0.5, 0.2]}"
            ],
        ).sweep
    )
    assert len(a) == 24
    assert {p.id for p in a} == {p.id for p in b}


def test_same_table_for_any_batching_and_executor(tmp_path):
    from distributed import LocalCluster

    one = run_sweep(small("sweep.batch_size=16"), tmp_path / "batched").table
    singles = run_sweep(small("sweep.batch_size=1"), tmp_path / "singles").table
    pool = run_sweep(small("sweep.batch_size=1"), tmp_path / "pool", jobs=2).table
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        dask = run_sweep(small(), tmp_path / "dask", scheduler=cluster.scheduler_address).table
    assert len(one) == 4
    for other in (singles, pool, dask):
        pd.testing.assert_frame_equal(one, other)


def test_member_equals_a_single_run_with_common_random_numbers(tmp_path):
    table = run_sweep(small(), tmp_path / "s").table
    row = table[(table["drugs.nmda_block"] == 0.8) & (table["replicate"] == 0)].iloc[0]
    single = load_config(
        SHOWCASE, [*SMALL[:2], "protocol.frequency=2", "drugs.nmda_block=0.8", "run.replicates=1"]
    )
    summary = simulate(single).summary
    assert row["WDR.first_response"] == summary["WDR"]["first_response"]
    assert row["NS.windup_ratio"] == pytest.approx(summary["NS"]["windup_ratio"], rel=1e-12)


def test_resume_after_sigkill_gives_the_same_table(tmp_path):
    sets = [a for s in [*SMALL, "sweep.batch_size=1", "sweep.replicates=4"] for a in ("--set", s)]
    reference = tmp_path / "reference"
    CliRunner().invoke(
        app, ["sweep", SHOWCASE, "--out", str(reference), "--quiet", *sets], catch_exceptions=False
    )
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "painnet", "sweep", SHOWCASE, "--out", str(out), "--quiet", *sets]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((out / "shards").glob("*.json"))) < 2:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    shards = len(list((out / "shards").glob("*.json")))
    assert 2 <= shards < 8, "the sweep must be killed halfway"
    assert not (out / "results.csv").exists()
    result = CliRunner().invoke(app, ["sweep", SHOWCASE, "--out", str(out), "--resume", *sets])
    assert result.exit_code == 0, result.output
    assert f"{8 - shards} batches run, {shards} skipped" in result.output
    pd.testing.assert_frame_equal(
        pd.read_csv(out / "results.csv"), pd.read_csv(reference / "results.csv")
    )


def test_existing_folder_needs_resume_and_the_same_config(tmp_path):
    run_sweep(small(), tmp_path / "s")
    with pytest.raises(PainnetError, match="--resume"):
        run_sweep(small(), tmp_path / "s")
    with pytest.raises(PainnetError, match="different config"):
        run_sweep(small("run.seed=7"), tmp_path / "s", resume=True)
    again = run_sweep(small(), tmp_path / "s", resume=True)
    assert again.ran == 0 and again.skipped == 1


def test_a_failing_batch_is_recorded_and_the_others_finish(tmp_path, monkeypatch):
    import painnet.model  # the worker imports PainModel from here when it runs

    original = painnet.model.PainModel

    class Exploding(original):
        def __init__(self, config, **kw):
            if config.protocol.frequency == 1.0:
                raise RuntimeError("boom")
            super().__init__(config, **kw)

    monkeypatch.setattr(painnet.model, "PainModel", Exploding)
    config = small(
        "sweep.parameters={protocol.frequency: [1, 2], drugs.nmda_block: [0]}", "sweep.replicates=1"
    )
    outcome = run_sweep(config, tmp_path / "s")
    assert len(outcome.failed) == 1
    assert (
        "RuntimeError: boom" in (tmp_path / "s" / "failed" / f"{outcome.failed[0]}.txt").read_text()
    )
    assert len(outcome.table) == 1


def test_bad_sweep_path_is_a_one_line_config_error():
    with pytest.raises(ConfigError) as info:
        from painnet.sweep.points import plan_batches

        plan_batches(load_config(SHOWCASE, ["sweep.parameters={drugs.nmda_blok: [0.5]}"]))
    assert len(info.value.problems) == 1
    assert "nmda_blok" in info.value.problems[0] and "did you mean" in info.value.problems[0]


def test_cli_sweep_writes_figures_and_plot_regenerates_them(tmp_path):
    out = tmp_path / "s"
    sets = [a for s in SMALL for a in ("--set", s)]
    result = CliRunner().invoke(app, ["sweep", SHOWCASE, "--out", str(out), "--quiet", *sets])
    assert result.exit_code == 0, result.output + result.stderr
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert figures == [
        "first_response_curves.png",
        "first_response_heatmap.png",
        "windup_ratio_curves.png",
        "windup_ratio_heatmap.png",
    ]
    (out / "figures" / "windup_ratio_curves.png").unlink()
    assert CliRunner().invoke(app, ["plot", str(out)]).exit_code == 0
    assert (out / "figures" / "windup_ratio_curves.png").exists()
    assert Path(out / "manifest.json").exists()


@pytest.mark.parametrize("mode", ["saltelli", "morris"])
def test_sensitivity_ranks_the_parameter_that_matters(tmp_path, mode):
    """NMDA block drives wind-up; the Aβ touch rate (unused by an electrical train) does not."""
    from painnet.sweep.sensitivity import sensitivity

    config = small(
        "protocol.pulses=4",
        "protocol.frequency=2",
        f"sweep.mode={mode}",
        "sweep.samples=4",
        "sweep.replicates=1",
        "sweep.batch_size=64",
        "sweep.parameters={drugs.nmda_block: {start: 0, stop: 1}, "
        "model.populations.Abeta.afferent.touch_rate: {start: 10, stop: 60, unit: Hz}}",
    )
    run_sweep(config, tmp_path / "s")
    table, figure = sensitivity(tmp_path / "s", "windup_ratio")
    index = "ST" if mode == "saltelli" else "mu_star"
    block, touch = table.set_index("parameter")[index].loc[
        ["drugs.nmda_block", "model.populations.Abeta.afferent.touch_rate"]
    ]
    assert block > (0.5 if mode == "saltelli" else 0.05)  # ST is a fraction, μ* in ratio units
    assert touch < 0.05 * block
    assert figure.exists()
