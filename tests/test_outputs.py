"""Run folders: contents, manifest, atomic replacement and clean failure."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from painnet.config.schema import ExperimentConfig
from painnet.outputs import config_hash, write_run
from painnet.run import RunResult


def _responses() -> pd.DataFrame:
    rows = []
    for member in range(2):
        for population, neurons in (("WDR", 20), ("NS", 10)):
            for pulse in range(1, 17):
                spikes = neurons * pulse // 4 + member
                rows.append(
                    {
                        "member": member,
                        "population": population,
                        "pulse": pulse,
                        "time_s": float(pulse - 1),
                        "spikes": spikes,
                        "neurons": neurons,
                        "spikes_per_neuron": spikes / neurons,
                    }
                )
    return pd.DataFrame(rows)


def _result(**config: object) -> RunResult:
    return RunResult(
        config=ExperimentConfig(schema_version=1, **config),
        tables={"responses": _responses(), "timeseries": pd.DataFrame({"t_ms": [0.0, 10.0]})},
        summary={
            "windup_ratio": np.float64(3.1),
            "first_response": float("nan"),
            "total_spikes": np.int64(40),
            "windup_population": "WDR",
            "WDR": {
                "windup_ratio": 3.1,
                "first_response": np.float32(1.2),
                "windup_spikes": np.nan,
            },
            "NS": {"windup_ratio": np.float64("inf"), "pulses": np.arange(3)},
        },
        timings={"build": 0.5, "simulate": 2.0},
        seeds={"network": 11, "stimulus": 12, "dynamics": 13},
    )


def _siblings(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir())


def test_write_run_creates_all_files(tmp_path: Path) -> None:
    out = write_run(_result(title="Wind-up demo"), tmp_path / "run")
    assert out == tmp_path / "run"
    names = set(_siblings(out))
    assert names == {
        "config.yaml",
        "responses.csv",
        "timeseries.csv",
        "summary.json",
        "windup.png",
        "manifest.json",
    }
    assert _siblings(tmp_path) == ["run"]  # no temporary folders left behind

    config = yaml.safe_load((out / "config.yaml").read_text(encoding="utf-8"))
    assert ExperimentConfig.model_validate(config) == ExperimentConfig(
        schema_version=1, title="Wind-up demo"
    )
    table = pd.read_csv(out / "responses.csv")
    pd.testing.assert_frame_equal(table, _responses())


def test_summary_with_nan_and_numpy_scalars_is_strict_json(tmp_path: Path) -> None:
    out = write_run(_result(), tmp_path / "run")
    text = (out / "summary.json").read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    summary = json.loads(text)
    assert summary["windup_ratio"] == pytest.approx(3.1)
    assert summary["first_response"] is None
    assert summary["total_spikes"] == 40
    assert summary["WDR"]["first_response"] == pytest.approx(1.2)
    assert summary["WDR"]["windup_spikes"] is None
    assert summary["NS"] == {"windup_ratio": None, "pulses": [0, 1, 2]}


def test_manifest_fields(tmp_path: Path) -> None:
    config_file = tmp_path / "configs" / "windup_demo.yaml"
    config_file.parent.mkdir()
    config_file.write_text("schema_version: 1\n", encoding="utf-8")
    out = write_run(_result(), tmp_path / "run", config_path=config_file)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for key in (
        "painnet_version",
        "python",
        "platform",
        "packages",
        "config_hash",
        "seed",
        "seeds",
        "replicates",
        "kernel",
        "git",
        "timings",
        "created",
        "status",
        "config_source",
        "files",
    ):
        assert key in manifest, key
    assert manifest["status"] == "complete"
    assert manifest["seed"] == 1
    assert manifest["seeds"] == {"network": 11, "stimulus": 12, "dynamics": 13}
    assert manifest["replicates"] == 1
    assert manifest["kernel"] == "numba"
    assert manifest["config_source"] == str(config_file)
    assert set(manifest["packages"]) >= {
        "numpy",
        "numba",
        "mesa",
        "networkx",
        "pydantic",
        "pandas",
        "matplotlib",
    }
    assert manifest["packages"]["numpy"] == np.__version__
    assert manifest["timings"]["build"] == 0.5 and manifest["timings"]["write"] >= 0
    assert manifest["files"] == sorted(_siblings(out))
    assert manifest["created"].endswith("+00:00")
    assert manifest["config_hash"] == config_hash(_result().config)
    assert manifest["git"] is None or set(manifest["git"]) == {"commit", "dirty"}


def test_git_commit_recorded_inside_a_repository(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git not installed")
    repo = tmp_path / "experiment"
    repo.mkdir()
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    (repo / "c.yaml").write_text("schema_version: 1\n", encoding="utf-8")
    for args in (["init", "-q"], ["add", "c.yaml"], ["commit", "-q", "-m", "c"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()

    out = write_run(_result(), tmp_path / "run", config_path=repo / "c.yaml")
    git = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["git"]
    assert git == {"commit": head, "dirty": False}

    (repo / "c.yaml").write_text("schema_version: 1\ntitle: changed\n", encoding="utf-8")
    out = write_run(_result(), tmp_path / "run", config_path=repo / "c.yaml")
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["git"]["dirty"] is True


def test_no_git_repository_gives_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("PATH", "")  # no git at all: must not fail
    out = write_run(_result(), tmp_path / "run", config_path=tmp_path / "c.yaml")
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["git"] is None


def test_config_hash_is_stable_and_discriminating() -> None:
    a = ExperimentConfig(schema_version=1)
    b = ExperimentConfig(schema_version=1)
    assert config_hash(a) == config_hash(b)
    assert len(config_hash(a)) == 64
    assert config_hash(a) != config_hash(ExperimentConfig(schema_version=1, run={"seed": 2}))
    assert config_hash(a) != config_hash(ExperimentConfig(schema_version=1, title="other"))


def test_second_write_replaces_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    write_run(_result(title="first"), out)
    (out / "stale.txt").write_text("left over", encoding="utf-8")
    write_run(_result(title="second"), out)
    assert not (out / "stale.txt").exists()
    assert yaml.safe_load((out / "config.yaml").read_text(encoding="utf-8"))["title"] == "second"
    assert _siblings(tmp_path) == ["run"]


def test_failure_leaves_no_folder_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import painnet.plotting

    def broken(*args: object, **kwargs: object) -> Path:
        raise RuntimeError("figure failed")

    monkeypatch.setattr(painnet.plotting, "windup_figure", broken)
    with pytest.raises(RuntimeError, match="figure failed"):
        write_run(_result(), tmp_path / "run")
    assert _siblings(tmp_path) == []


def test_failure_keeps_the_previous_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import painnet.plotting

    out = tmp_path / "run"
    write_run(_result(title="good"), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args: object, **kwargs: object) -> Path:
        raise KeyboardInterrupt  # even an interrupt cleans up

    monkeypatch.setattr(painnet.plotting, "windup_figure", broken)
    with pytest.raises(KeyboardInterrupt):
        write_run(_result(title="bad"), out)
    assert _siblings(tmp_path) == ["run"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_failure_while_swapping_restores_previous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    write_run(_result(title="good"), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if ".tmp-" in self.name:
            raise OSError("disk full")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="disk full"):
        write_run(_result(title="bad"), out)
    monkeypatch.undo()
    assert _siblings(tmp_path) == ["run"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_figures_off_writes_no_png(tmp_path: Path) -> None:
    out = write_run(_result(output={"figures": False}), tmp_path / "run")
    assert not (out / "windup.png").exists()


def test_out_dir_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    from painnet.errors import PainnetError

    target = tmp_path / "run"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(PainnetError, match="is a file") as info:
        write_run(_result(), target)
    assert "\n" not in str(info.value)
    assert str(target) in str(info.value)
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_parent_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    from painnet.errors import PainnetError

    (tmp_path / "blocker").write_text("", encoding="utf-8")
    with pytest.raises(PainnetError, match="choose another --out"):
        write_run(_result(), tmp_path / "blocker" / "run")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unwritable_parent_is_an_error(tmp_path: Path) -> None:
    from painnet.errors import PainnetError

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(PainnetError, match="writable"):
            write_run(_result(), locked / "run")
    finally:
        locked.chmod(0o700)


def test_unwritable_parent_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import painnet.outputs
    from painnet.errors import PainnetError

    monkeypatch.setattr(painnet.outputs.os, "access", lambda *args, **kwargs: False)
    with pytest.raises(PainnetError, match="permission denied"):
        write_run(_result(), tmp_path / "run")
    assert _siblings(tmp_path) == []


def test_figure_title_falls_back_to_config_stem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import painnet.plotting

    titles: list[str] = []
    real = painnet.plotting.windup_figure

    def spy(responses: pd.DataFrame, path: Path, title: str = "", **kwargs: object) -> Path:
        titles.append(title)
        return real(responses, path, title, **kwargs)

    monkeypatch.setattr(painnet.plotting, "windup_figure", spy)
    write_run(_result(), tmp_path / "a", config_path=tmp_path / "windup_demo.yaml")
    write_run(_result(title="Ketamine"), tmp_path / "b", config_path=tmp_path / "windup_demo.yaml")
    assert titles == ["windup_demo", "Ketamine"]
