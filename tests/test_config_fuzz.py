"""Fuzz ``painnet run`` with mutated configs: it either runs (exit 0) or explains (exit 2).

The bundled configs (and their fully resolved form, which reaches every default population,
connection rule and receptor) are mutated by deleting keys, replacing values with junk,
misspelling keys, inserting unknown keys and corrupting the YAML text. Whatever the input, the
command must never show a traceback; a rejected config prints only ``error:`` lines and creates no
output folder; an accepted one writes its folder. The simulator is faked (the point is the
config path, not the physics); the real ``painnet.outputs.write_run`` is used when it exists.
"""

from __future__ import annotations

import contextlib
import copy
import sys
import tempfile
import traceback
import types
from contextlib import ExitStack
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import painnet.run
from painnet.cli import app
from painnet.config import config_from_dict
from painnet.config.schema import ExperimentConfig
from painnet.errors import ConfigError
from painnet.run import RunResult

REPO = Path(__file__).resolve().parents[1]

# Used only if configs/ holds no YAML yet.
FALLBACK: dict[str, Any] = {
    "schema_version": 1,
    "title": "Fallback wind-up",
    "protocol": {"stimulus": "electrical", "pulses": 3, "frequency": "1 Hz", "start": "1 s"},
    "drugs": {"nmda_block": None},
    "run": {"seed": 1, "replicates": 1, "dt": "0.1 ms"},
    "output": {"response_window": ["90 ms", "800 ms"], "windup_pulses": [1, 3]},
}

UNITS = [
    *("us", "µs", "ms", "s", "min", "h", "d", "mHz", "Hz", "kHz"),
    *("pS", "nS", "uS", "µS", "mS", "S", "mV", "V", "pF", "nF", "µF", "F"),
    *("pA", "nA", "µA", "nM", "uM", "µM", "mM", "M"),
    *("kg", "m", "", "ms ms", "°C", "HZ", "MS", "1/s"),
]

YAML_NOISE = ":{}[]-'\"\t#&*!|>%@`,?\n \\\x00\x85\u2028"

runner = CliRunner()


@cache
def bases() -> list[dict[str, Any]]:
    """The configs to mutate: each bundled config as written, and fully resolved."""
    written = []
    for path in sorted((REPO / "configs").glob("**/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            written.append(data)
    if not written:
        written.append(FALLBACK)
    resolved = []
    for data in written:
        with contextlib.suppress(ConfigError):  # test_config_errors checks bundled configs
            resolved.append(config_from_dict(data).model_dump(mode="json"))
    return written + resolved


def fake_simulate(config: ExperimentConfig, progress: bool = False) -> RunResult:
    responses = pd.DataFrame(
        {
            "member": [0, 0, 0],
            "population": ["WDR", "WDR", "WDR"],
            "pulse": [1, 2, 3],
            "time_s": [1.0, 2.0, 3.0],
            "spikes": [10, 12, 15],
            "neurons": [20, 20, 20],
            "spikes_per_neuron": [0.5, 0.6, 0.75],
        }
    )
    return RunResult(config=config, tables={"responses": responses}, summary={"windup_ratio": 1.0})


def fake_write_run(result: RunResult, out_dir: Path, config_path: Path | None = None) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True)
    (out_dir / "summary.json").write_text("{}", encoding="utf-8")
    return out_dir


def patched() -> ExitStack:
    """Fake the simulator; fake write_run only if painnet.outputs does not provide it."""
    stack = ExitStack()
    stack.enter_context(mock.patch.object(painnet.run, "simulate", fake_simulate, create=True))
    try:
        from painnet.outputs import write_run  # noqa: F401
    except ImportError:
        fake = types.ModuleType("painnet.outputs")
        fake.write_run = fake_write_run  # type: ignore[attr-defined]
        stack.enter_context(mock.patch.dict(sys.modules, {"painnet.outputs": fake}))
    return stack


# --------------------------------------------------------------------------------------------
# Junk values and mutations
# --------------------------------------------------------------------------------------------

numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([10**400, -(10**400), 2**63, 2**64]),  # beyond float and int64
)
quantities = st.builds(
    lambda number, sep, unit: f"{number}{sep}{unit}",
    numbers,
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(UNITS),
)
scalars = st.one_of(
    st.none(), st.booleans(), numbers, st.text(max_size=20), quantities, quantities, quantities
)
junk = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.text(max_size=8), children, max_size=3),
    ),
    max_leaves=6,
)


def key_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key (and list index) path in a nested config."""
    paths = []
    if isinstance(node, dict):
        for key, value in node.items():
            paths.append((*prefix, key))
            paths += key_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            paths.append((*prefix, index))
            paths += key_paths(value, (*prefix, index))
    return paths


def parent_of(config: Any, path: tuple[Any, ...]) -> Any:
    node = config
    for key in path[:-1]:
        node = node[key]
    return node


def typo(draw: st.DrawFn, word: str) -> str:
    ops = ["delete", "swap", "insert", "replace", "case"] if word else ["insert"]
    op = draw(st.sampled_from(ops))
    i = draw(st.integers(0, max(len(word) - 1, 0)))
    letter = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz_-.>0 "))
    if op == "delete":
        return word[:i] + word[i + 1 :]
    if op == "swap" and len(word) > 1:
        i = min(i, len(word) - 2)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "replace":
        return word[:i] + letter + word[i + 1 :]
    if op == "case":
        return word.swapcase()
    return word[:i] + letter + word[i:]


def nudge(value: Any, factor: float) -> Any:
    """``value`` scaled by ``factor``: numbers, and quantity strings such as ``"100 ms"``."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value * round(factor * 10) // 10  # exact, even beyond float range
    if isinstance(value, float):
        return value * factor
    if isinstance(value, str) and " " in value:
        number, unit = value.split(" ", 1)
        try:
            return f"{float(number) * factor:g} {unit}"
        except ValueError:
            return value
    return value


@st.composite
def mutate(draw: st.DrawFn, config: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """One mutation of ``config`` (in place); True if the YAML text should be corrupted."""
    kind = draw(st.sampled_from(["delete", "replace", "rename", "insert", "corrupt", "nudge"]))
    paths = key_paths(config)
    if kind == "corrupt" or not paths:
        return config, True
    if kind == "insert":
        holders = [()] + [p for p in paths if isinstance(parent_of(config, (*p, None)), dict)]
        holder = parent_of(config, (*draw(st.sampled_from(holders)), None))
        known = list(holder)
        key = draw(
            st.one_of(st.text(min_size=1, max_size=10), st.sampled_from(known or ["x"]).map(str))
        )
        holder[typo(draw, key) if key in holder else key] = draw(junk)
        return config, False
    path = draw(st.sampled_from(paths))
    parent, key = parent_of(config, path), path[-1]
    if kind == "nudge":  # a plausible edit: scale a number, keep its unit
        parent[key] = nudge(parent[key], draw(st.sampled_from([0.0, 0.5, 0.9, 1.1, 2.0, -1.0])))
    elif kind == "delete":
        del parent[key]
    elif kind == "replace":
        parent[key] = draw(junk)
    elif isinstance(parent, dict):  # rename
        parent[typo(draw, str(key))] = parent.pop(key)
    return config, False


@st.composite
def corrupt(draw: st.DrawFn, text: str) -> bytes:
    """Damage YAML text: cut, splice noise, re-indent, duplicate a line, or insert bad bytes."""
    op = draw(st.sampled_from(["cut", "noise", "indent", "duplicate", "truncate", "bytes"]))
    i = draw(st.integers(0, len(text)))
    j = draw(st.integers(i, min(len(text), i + 20)))
    if op == "cut":
        text = text[:i] + text[j:]
    elif op == "noise":
        text = text[:i] + draw(st.text(alphabet=YAML_NOISE, min_size=1, max_size=4)) + text[i:]
    elif op == "indent":
        lines = text.splitlines(keepends=True) or [""]
        k = draw(st.integers(0, len(lines) - 1))
        lines[k] = draw(st.sampled_from(["\t", " ", "   ", ""])) + lines[k].lstrip(" ")
        text = "".join(lines)
    elif op == "duplicate":
        lines = text.splitlines(keepends=True) or [""]
        k = draw(st.integers(0, len(lines) - 1))
        text = "".join([*lines[: k + 1], lines[k], *lines[k + 1 :]])
    elif op == "truncate":
        text = text[:i]
    data = text.encode("utf-8")
    if op == "bytes":
        data = data[:i] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xfe\xff"])) + data[i:]
    return data


@st.composite
def mutated_configs(draw: st.DrawFn) -> bytes:
    config = copy.deepcopy(draw(st.sampled_from(bases())))
    corrupt_text = False
    for _ in range(draw(st.integers(1, 3))):
        config, damage = draw(mutate(config))
        corrupt_text |= damage
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    return draw(corrupt(text)) if corrupt_text else text.encode("utf-8")


# --------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(source=mutated_configs())
def test_run_on_mutated_config_runs_or_explains(source: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="painnet-fuzz-") as tmp, patched():
        folder = Path(tmp)
        config = folder / "config.yaml"
        config.write_bytes(source)
        out = folder / "out"
        result = runner.invoke(app, ["run", str(config), "--out", str(out)])

        crash = ""
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crash = "".join(traceback.format_exception(result.exception))
        assert result.exit_code in (0, 2), f"exit {result.exit_code}\n{crash}\n{source!r}"
        event(f"exit {result.exit_code}")
        assert "Traceback" not in result.output
        if result.exit_code == 2:
            lines = result.stderr.splitlines()
            assert lines, "an error must be explained"
            assert all(line.startswith("error:") for line in lines), result.stderr
            assert not out.exists()
            assert [p.name for p in folder.iterdir()] == ["config.yaml"], "no temp folders left"
        else:
            assert out.is_dir()
