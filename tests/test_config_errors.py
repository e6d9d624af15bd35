"""Config errors teach: one line per problem, with the dotted key path, expected vs got, and a fix.

Each bad-config class is checked twice: through ``load_config`` (the ConfigError's problem list)
and through ``painnet run`` (exit status 2, ``error:`` lines on stderr, no output folder).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

import painnet.run
from painnet.cli import app
from painnet.config import (
    ExperimentConfig,
    apply_overrides,
    config_from_dict,
    load_config,
    parse_overrides,
)
from painnet.config.defaults import DEFAULT_CONNECTIONS
from painnet.errors import ConfigError, PainnetError
from painnet.run import RunResult

REPO = Path(__file__).resolve().parents[1]
BUNDLED = sorted((REPO / "configs").glob("**/*.yaml"))

MINIMAL = """\
schema_version: 1
title: Minimal wind-up
protocol:
  pulses: 3
  frequency: 1 Hz
run:
  replicates: 1
"""

runner = CliRunner()


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_clean(text: str) -> None:
    """No traceback, no pydantic internals or URL."""
    assert "Traceback" not in text
    assert "pydantic.dev" not in text
    assert "errors.pydantic" not in text
    assert "[type=" not in text


@pytest.fixture
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a bad config ever reaches the simulator."""

    def simulate(config: ExperimentConfig, progress: bool = False) -> RunResult:
        raise AssertionError("simulate must not be called for a bad config")

    monkeypatch.setattr(painnet.run, "simulate", simulate, raising=False)


# --------------------------------------------------------------------------------------------
# One case per bad-config class: (config text or None for no file, --set items,
# substrings of the single problem line, the dotted path first)
# --------------------------------------------------------------------------------------------

CASES: dict[str, tuple[str | None, list[str], list[str]]] = {
    "wrong_type": (
        MINIMAL + "title: [not, text]\n".replace("title", "description"),
        [],
        ["description:", "expected text", "got ['not', 'text']"],
    ),
    "wrong_type_count": (
        "schema_version: 1\nprotocol:\n  pulses: many\n",
        [],
        ["protocol.pulses:", "expected a count in [0, 100000]", "got 'many'"],
    ),
    "wrong_unit": (
        "schema_version: 1\nprotocol:\n  start: 1 kg\n",
        [],
        ["protocol.start:", "unit 'kg'", "ms"],
    ),
    "bare_number_needs_unit": (
        "schema_version: 1\nprotocol:\n  start: 1000\n",
        [],
        ["protocol.start:", "bare number 1000", "'1000 ms'"],
    ),
    "out_of_range": (
        "schema_version: 1\ndrugs:\n  nmda_block: 1.5\n",
        [],
        ["drugs.nmda_block:", "expected a fraction in [0, 1]", "got 1.5"],
    ),
    "out_of_range_with_unit": (
        "schema_version: 1\nmodel:\n  receptors:\n    nmda:\n      tau_rise: 0.2 s\n",
        [],
        ["model.receptors.nmda.tau_rise:", "(0.05, 50] ms", "got '0.2 s' (= 200 ms)"],
    ),
    "unknown_key_top": (
        "schema_version: 1\nprotocl:\n  pulses: 3\n",
        [],
        ["protocl:", "unknown key 'protocl'", "did you mean 'protocol'?"],
    ),
    "unknown_key_nested": (
        "schema_version: 1\nmodel:\n  populations:\n    WDR:\n      sise: 30\n",
        [],
        ["model.populations.WDR.sise:", "unknown key 'sise'", "did you mean 'size'?"],
    ),
    "unknown_key_in_wrong_section": (
        "schema_version: 1\nnmda_block: 0.5\n",
        [],
        ["nmda_block:", "unknown key 'nmda_block'", "belongs under drugs"],
    ),
    "unknown_population_in_connection": (
        "schema_version: 1\nmodel:\n  connections:\n    C->WDR:\n      post: WRD\n",
        [],
        ["model.connections.C->WDR.post:", "unknown population 'WRD'", "did you mean 'WDR'?"],
    ),
    "literal_choice": (
        "schema_version: 1\nrun:\n  kernel: numab\n",
        [],
        ["run.kernel:", "one of 'numba', 'numpy'", "got 'numab'", "did you mean 'numba'?"],
    ),
    "missing_required_key": (
        "schema_version: 1\nmodel:\n  populations:\n    WRD:\n      size: 5\n",
        [],
        ["model.populations.WRD.type:", "missing required key", "did you mean 'WDR'?"],
    ),
    "cross_field_rule": (
        "schema_version: 1\nmodel:\n  receptors:\n    nmda:\n      tau_rise: 20 ms\n"
        "      tau_decay: 10 ms\n",
        [],
        ["model.receptors.nmda:", "tau_rise (20 ms) must be shorter than tau_decay (10 ms)"],
    ),
    "empty_section": (
        "schema_version: 1\nprotocol:\n",
        [],
        ["protocol:", "expected a mapping", "got null", "empty section"],
    ),
    "missing_file": (None, [], ["config file", "not found", "configs/"]),
    "directory": ("<dir>", [], ["config file", "is a folder"]),
    "malformed_yaml": (
        "schema_version: 1\nprotocol:\n  pulses: [1, 2\n  start: 1 s\n",
        [],
        ["not valid YAML", "line ", "column "],
    ),
    "tab_indented_yaml": (
        "schema_version: 1\nprotocol:\n\tpulses: 3\n",
        [],
        ["not valid YAML", "line 3, column 1", "spaces, not tabs"],
    ),
    "duplicate_key": (
        "schema_version: 1\nprotocol:\n  pulses: 3\nprotocol:\n  pulses: 4\n",
        [],
        ["not valid YAML", "line 4", "'protocol' twice"],
    ),
    "empty_file": ("", [], ["config file", "is empty", "schema_version: 1"]),
    "comments_only": ("# nothing here\n", [], ["is empty"]),
    "top_level_not_mapping": ("- schema_version: 1\n", [], ["expected a mapping of sections"]),
    "missing_schema_version": (
        "title: no version\n",
        [],
        ["schema_version:", "missing required key", "schema_version: 1"],
    ),
    "wrong_schema_version": (
        "schema_version: 2\nprotocol:\n  bogus: 1\n",
        [],
        ["schema_version:", "expected 1, got 2", "newer painnet"],
    ),
    "schema_version_as_text": (
        "schema_version: '1'\n",
        [],
        ["schema_version:", "expected 1, got '1'"],
    ),
    "set_without_equals": (MINIMAL, ["protocol.frequency"], ["--set", "<dotted.path>=<value>"]),
    "set_empty_path": (MINIMAL, ["=3"], ["--set '=3'", "empty key"]),
    "set_empty_path_segment": (MINIMAL, ["protocol..pulses=3"], ["--set", "empty key"]),
    "set_value_not_yaml": (MINIMAL, ["title=[1,"], ["--set 'title=[1,'", "not valid YAML"]),
    "set_unknown_path": (
        MINIMAL,
        ["protocol.frequncy=2"],
        ["protocol.frequncy:", "unknown key 'frequncy'", "did you mean 'frequency'?"],
    ),
    "set_through_non_mapping": (
        MINIMAL,
        ["protocol.frequency.x=1"],
        ["--set protocol.frequency.x", "protocol.frequency is '1 Hz', not a mapping"],
    ),
    "set_bad_value": (
        MINIMAL,
        ["model.connections.C->WDR.ampa=2 kg"],
        ["model.connections.C->WDR.ampa:", "unit 'kg'"],
    ),
}


def _config_path(tmp_path: Path, text: str | None) -> Path:
    if text is None:
        return tmp_path / "missing.yaml"
    if text == "<dir>":
        folder = tmp_path / "folder.yaml"
        folder.mkdir()
        return folder
    return write(tmp_path, text)


@pytest.mark.parametrize("case", list(CASES))
def test_load_config_reports_one_line(case: str, tmp_path: Path) -> None:
    text, overrides, expected = CASES[case]
    with pytest.raises(ConfigError) as info:
        load_config(_config_path(tmp_path, text), overrides)
    problems = info.value.problems
    assert len(problems) == 1, problems
    line = problems[0]
    assert "\n" not in line
    assert str(info.value) == line
    for fragment in expected:
        assert fragment in line, f"{fragment!r} not in {line!r}"
    if expected[0].endswith(":") and not expected[0].startswith("config"):
        assert line.startswith(expected[0]), "the dotted path comes first"
    assert_clean(line)


@pytest.mark.parametrize("case", list(CASES))
def test_cli_run_exits_2_without_output(case: str, tmp_path: Path, no_simulation: None) -> None:
    text, overrides, expected = CASES[case]
    config = _config_path(tmp_path, text)
    out = tmp_path / "out"
    args = ["run", str(config), "--out", str(out)]
    for item in overrides:
        args += ["--set", item]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    for fragment in expected:
        assert fragment in lines[0]
    assert result.stdout == ""
    assert_clean(result.output)
    assert not out.exists()
    assert not list(tmp_path.glob("out*")), "no temporary output folder either"


def test_several_problems_one_line_each(tmp_path: Path, no_simulation: None) -> None:
    config = write(
        tmp_path,
        "schema_version: 1\nprotocl: {}\ndrugs:\n  nmda_block: 2\nrun:\n  dt: 5\n",
    )
    with pytest.raises(ConfigError) as info:
        load_config(config)
    paths = [line.split(":", 1)[0] for line in info.value.problems]
    assert sorted(paths) == ["drugs.nmda_block", "protocl", "run.dt"]

    result = runner.invoke(app, ["validate", str(config)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith("error: ") for line in lines)


def test_several_bad_set_items_reported_together(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, MINIMAL), ["nonsense", "=1", "a.b=2"])
    assert len(info.value.problems) == 2


def test_huge_integer_for_a_quantity(tmp_path: Path) -> None:
    config = write(tmp_path, "schema_version: 1\nprotocol:\n  frequency: 1" + "0" * 400 + "\n")
    with pytest.raises(ConfigError, match=r"protocol\.frequency"):
        load_config(config)


def test_unreadable_file(tmp_path: Path) -> None:
    config = tmp_path / "latin1.yaml"
    config.write_bytes("schema_version: 1\ntitle: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(config)


# --------------------------------------------------------------------------------------------
# Overrides that work
# --------------------------------------------------------------------------------------------


def test_set_frequency_bare_number_is_hz(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), ["protocol.frequency=0.5"])
    assert config.protocol.frequency == 0.5
    assert config.protocol.interval == 2000.0


def test_set_quantity_string(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), ["protocol.frequency=2 Hz", "run.dt=0.05 ms"])
    assert config.protocol.frequency == 2.0
    assert config.run.dt == 0.05


def test_set_nmda_block(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), ["drugs.nmda_block=0.8"])
    assert config.drugs.nmda_block == 0.8


def test_set_nmda_block_zero_is_a_dose(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), ["drugs.nmda_block=0"])
    assert config.drugs.nmda_block == 0.0


def test_set_connection_label_with_arrow(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), ["model.connections.C->WDR.ampa=2 nS"])
    rule = config.model.connections["C->WDR"]
    assert rule.ampa == 2.0
    assert rule.probability == DEFAULT_CONNECTIONS["C->WDR"]["probability"]  # merged, not replaced


def test_set_population_size_keeps_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), ["model.populations.WDR.size=30"])
    assert config.model.populations["WDR"].size == 30
    assert config.model.populations["WDR"].type == "wdr"


def test_set_list_item(tmp_path: Path) -> None:
    text = MINIMAL + "output:\n  response_window: [90 ms, 800 ms]\n"
    config = load_config(write(tmp_path, text), ["output.response_window.1=500 ms"])
    assert config.output.response_window == (90.0, 500.0)


def test_later_set_wins(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), ["protocol.pulses=4", "protocol.pulses=5"])
    assert config.protocol.pulses == 5


def test_parse_overrides_reads_values_as_yaml() -> None:
    parsed = parse_overrides(
        [
            "a.b=0.8",
            "a.c=2 Hz",
            "a.d=true",
            "a.e=3",
            "a.f=null",
            "model.connections.C->WDR.ampa=2 nS",
        ]
    )
    assert parsed == {
        "a.b": 0.8,
        "a.c": "2 Hz",
        "a.d": True,
        "a.e": 3,
        "a.f": None,
        "model.connections.C->WDR.ampa": "2 nS",
    }


def test_parse_overrides_accepts_a_single_string() -> None:
    assert parse_overrides("protocol.pulses=4") == {"protocol.pulses": 4}


def test_apply_overrides_copies() -> None:
    data = {"schema_version": 1, "protocol": {"pulses": 3}}
    new = apply_overrides(data, {"protocol.pulses": 4, "drugs.nmda_block": 0.5})
    assert data == {"schema_version": 1, "protocol": {"pulses": 3}}
    assert new == {"schema_version": 1, "protocol": {"pulses": 4}, "drugs": {"nmda_block": 0.5}}


def test_set_through_null_section(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL + "drugs:\n"), ["drugs.nmda_block=0.5"])
    assert config.drugs.nmda_block == 0.5


# --------------------------------------------------------------------------------------------
# Round trip: a resolved config re-validates to the same config
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", [*BUNDLED, None], ids=[p.name for p in BUNDLED] + ["minimal"])
def test_round_trip(source: Path | None, tmp_path: Path) -> None:
    config = load_config(source if source is not None else write(tmp_path, MINIMAL))
    dumped = config.model_dump(mode="json")
    assert config_from_dict(dumped) == config
    # and through YAML text, as written to a run's config.yaml
    resolved = write(tmp_path, yaml.safe_dump(dumped, allow_unicode=True), "resolved.yaml")
    assert load_config(resolved) == config


def test_round_trip_after_removing_a_population() -> None:
    data = {
        "schema_version": 1,
        "model": {
            "populations": {"NS": None},
            "connections": {f"{pre}->NS": None for pre in ("C", "Adelta", "E", "I")},
        },
    }
    config = config_from_dict(data)
    assert "NS" not in config.model.populations
    assert config_from_dict(config.model_dump(mode="json")) == config


# --------------------------------------------------------------------------------------------
# The CLI around the config
# --------------------------------------------------------------------------------------------


def test_validate_ok(tmp_path: Path) -> None:
    config = write(tmp_path, MINIMAL)
    result = runner.invoke(app, ["validate", str(config), "--set", "drugs.nmda_block=0.8"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"ok: {config} (Minimal wind-up)"
    assert result.stderr == ""


@pytest.mark.parametrize("source", BUNDLED, ids=[p.name for p in BUNDLED])
def test_validate_bundled(source: Path) -> None:
    result = runner.invoke(app, ["validate", str(source)])
    assert result.exit_code == 0, result.output


def _fake_simulate(config: ExperimentConfig, progress: bool = False) -> RunResult:
    responses = pd.DataFrame(
        {
            "member": [0, 0],
            "population": ["WDR", "WDR"],
            "pulse": [1, 2],
            "time_s": [1.0, 2.0],
            "spikes": [10, 15],
            "neurons": [20, 20],
            "spikes_per_neuron": [0.5, 0.75],
        }
    )
    summary = {"windup_ratio": 1.5, "first_response": 0.5, "note": "text is not tabled"}
    return RunResult(config=config, tables={"responses": responses}, summary=summary)


def test_run_writes_and_prints_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(painnet.run, "simulate", _fake_simulate, raising=False)
    written: list[tuple[Path, Path | None]] = []

    def write_run(result: RunResult, out_dir: Path, config_path: Path | None = None) -> Path:
        written.append((out_dir, config_path))
        out_dir.mkdir(parents=True)
        return out_dir

    monkeypatch.setattr("painnet.outputs.write_run", write_run)
    config = write(tmp_path, MINIMAL)
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["run", str(config), "--out", str(out), "--set", "protocol.pulses=2"]
    )
    assert result.exit_code == 0, result.output
    assert written == [(out, config)]
    assert "windup_ratio" in result.stdout and "1.5" in result.stdout
    assert "note" not in result.stdout
    assert str(out) in result.stdout


def test_run_default_out_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(painnet.run, "simulate", _fake_simulate, raising=False)
    seen: list[Path] = []
    monkeypatch.setattr(
        "painnet.outputs.write_run", lambda result, out_dir, config_path=None: seen.append(out_dir)
    )
    monkeypatch.chdir(tmp_path)
    config = write(tmp_path, MINIMAL, "my_exp.yaml")
    assert runner.invoke(app, ["run", str(config), "--quiet"]).exit_code == 0
    config.write_text(MINIMAL + "output:\n  dir: elsewhere/x\n", encoding="utf-8")
    assert runner.invoke(app, ["run", str(config), "--quiet"]).exit_code == 0
    assert seen == [Path("runs") / "my_exp", Path("elsewhere/x")]


def test_run_painnet_error_from_simulation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def simulate(config: ExperimentConfig, progress: bool = False) -> RunResult:
        raise PainnetError("the network has no projection neurons; add a WDR or NS population")

    monkeypatch.setattr(painnet.run, "simulate", simulate, raising=False)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(write(tmp_path, MINIMAL)), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: the network has no projection neurons; add a WDR or NS population\n"
    )
    assert not out.exists()


def test_run_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def simulate(config: ExperimentConfig, progress: bool = False) -> RunResult:
        raise KeyboardInterrupt

    monkeypatch.setattr(painnet.run, "simulate", simulate, raising=False)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(write(tmp_path, MINIMAL)), "--out", str(out)])
    assert result.exit_code == 130
    assert result.stderr == "interrupted; no output written\n"
    assert not out.exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["run"]).exit_code == 2
    assert runner.invoke(app, ["validate", "x.yaml", "--no-such-option"]).exit_code == 2
    assert runner.invoke(app, ["frobnicate"]).exit_code == 2
    assert runner.invoke(app, ["validate", "x.yaml", "--set"]).exit_code == 2


def test_list_configs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "configs" / "teaching").mkdir(parents=True)
    write(tmp_path / "configs", MINIMAL, "a.yaml")
    write(tmp_path / "configs" / "teaching", "schema_version: 1\ntitle: Gate control\n", "b.yaml")
    write(tmp_path / "configs", "schema_version: 1\ntitle: [unclosed\n", "broken.yaml")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("configs/a.yaml" in line and "Minimal wind-up" in line for line in lines)
    assert any("configs/teaching/b.yaml" in line and "Gate control" in line for line in lines)
    assert any("configs/broken.yaml" in line and "unreadable" in line for line in lines)


def test_list_without_configs_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no configs/ folder")


def test_list_types_and_stimuli() -> None:
    types = runner.invoke(app, ["list", "types"])
    assert types.exit_code == 0
    assert "wdr" in types.stdout.split()
    stimuli = runner.invoke(app, ["list", "stimuli"])
    assert stimuli.exit_code == 0
    assert "electrical" in stimuli.stdout.split()


def test_python_dash_m(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "painnet", "validate", str(missing)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: config file")
    assert_clean(done.stderr)
    ok = subprocess.run(
        [sys.executable, "-m", "painnet", "validate", str(write(tmp_path, MINIMAL))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok: ")


def test_config_error_pickles_with_its_problems() -> None:
    error = ConfigError(["a: first", "b: second"])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == ["a: first", "b: second"]
    assert str(copy) == "a: first\nb: second"


def test_did_you_mean_ignores_case() -> None:
    from painnet.errors import did_you_mean

    assert did_you_mean("ns", ["WDR", "NS"]) == "did you mean 'NS'?"
    assert did_you_mean("xyz", ["WDR", "NS"]) == ""
