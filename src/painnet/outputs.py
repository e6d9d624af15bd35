"""Write a run's folder: resolved config, tidy tables, summary, figures and a manifest.

A run folder is written atomically: everything is built in a sibling temporary folder
(``<out>.tmp-<random>``) and renamed into place only when complete, so a folder named ``<out>``
is always whole. An existing folder is replaced (set aside, new one renamed in, old one deleted);
if anything fails, the temporary folder is removed and the previous folder is left untouched. A
sweep can therefore resume by skipping the runs whose folder exists.

Folder contents::

    config.yaml     the resolved config (every default filled in, units as strings)
    <table>.csv     one tidy table per entry of RunResult.tables (e.g. responses.csv)
    summary.json    scalar readouts (NaN written as null)
    windup.png      the wind-up figure (when output.figures and a responses table exist)
    manifest.json   versions, git commit, config hash, seeds, timings, status, file list
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import secrets
import shutil
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from painnet.errors import PainnetError

if TYPE_CHECKING:
    from painnet.config.schema import ExperimentConfig
    from painnet.run import RunResult

#: Packages whose versions go into every manifest.
MANIFEST_PACKAGES: tuple[str, ...] = (
    "numpy",
    "numba",
    "mesa",
    "networkx",
    "pydantic",
    "pandas",
    "matplotlib",
)

_GIT_TIMEOUT_S = 10.0  # a slow or hung git must not stall a sweep


def config_hash(config: ExperimentConfig) -> str:
    """SHA-256 of the resolved config: equal configs give equal hashes.

    The config is dumped to JSON (units as strings, every default filled in) with sorted keys and
    no whitespace, so the hash does not depend on key order or formatting of the source YAML.

    Args:
        config: a validated experiment config.

    Returns:
        The hex digest.
    """
    canonical = json.dumps(
        config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def json_safe(value: Any) -> Any:
    """Convert a readout structure to strict JSON types.

    numpy scalars and arrays become Python numbers and lists, NaN and ±inf become ``None``
    (JSON has no NaN), tuples become lists, paths become strings, mapping keys become strings.

    Args:
        value: a nested structure of dicts, lists, numbers, strings and numpy values.

    Returns:
        The same structure, serializable with ``json.dumps(..., allow_nan=False)``.

    Raises:
        TypeError: for a value with no JSON equivalent.
    """
    import numpy as np

    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, np.ndarray):
        return [json_safe(item) for item in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Path):
        return str(value)
    raise TypeError(
        f"summary value {value!r} of type {type(value).__name__} is not JSON-serializable"
    )


def _package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def environment() -> dict[str, Any]:
    """painnet, Python, platform and package versions (for manifests)."""
    return {
        "painnet_version": _package_version("painnet"),
        "python": platform.python_version(),
        "python_implementation": sys.implementation.name,
        "platform": platform.platform(),
        "packages": {name: _package_version(name) for name in MANIFEST_PACKAGES},
    }


def _git(args: list[str], cwd: Path) -> str | None:
    """Output of ``git <args>`` in ``cwd``, or None when git is missing or the command fails."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_state(directory: Path) -> dict[str, Any] | None:
    """The git commit of the experiment and whether its working tree has uncommitted changes.

    Args:
        directory: a folder inside the experiment's repository (the config's folder).

    Returns:
        ``{"commit": <sha>, "dirty": <bool>}``, or None when ``directory`` is not inside a git
        repository with a commit, or git is not installed. Never raises.
    """
    if not directory.is_dir():
        return None
    commit = _git(["rev-parse", "HEAD"], directory)
    if commit is None:
        return None
    status = _git(["status", "--porcelain"], directory)
    return {"commit": commit.strip(), "dirty": None if status is None else bool(status.strip())}


def _prepare_parent(out: Path) -> None:
    """Check ``out`` can be written as a folder; create its parent. Raises PainnetError."""
    if not out.name or out.name in {".", ".."}:
        raise PainnetError(
            f"output folder {str(out)!r} has no name; give a folder such as runs/windup"
        )
    if out.exists() and not out.is_dir():
        raise PainnetError(
            f"output folder {out} exists and is a file; remove it or choose another --out"
        )
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise PainnetError(
            f"cannot create output folder {out}: a parent path is a file; choose another --out"
        ) from None
    except OSError as exc:
        raise PainnetError(
            f"cannot create output folder {out}: {exc.strerror or exc}; choose a writable --out"
        ) from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise PainnetError(f"cannot write to {parent} (permission denied); choose a writable --out")


def _sibling(out: Path, tag: str) -> Path:
    """A fresh, unused path next to ``out``: ``<out>.<tag>-<random>``."""
    while True:
        candidate = out.with_name(f"{out.name}.{tag}-{secrets.token_hex(4)}")
        if not candidate.exists():
            return candidate


def _fill_folder(
    result: RunResult,
    folder: Path,
    out: Path,
    config_path: Path | None,
    started: float,
    git: dict[str, Any] | None,
) -> None:
    """Write every file of the run into ``folder`` (the temporary folder)."""
    config = result.config
    resolved = config.model_dump(mode="json")
    with (folder / "config.yaml").open("w", encoding="utf-8") as fh:
        yaml.safe_dump(resolved, fh, sort_keys=False, allow_unicode=True)

    for name, table in result.tables.items():
        if not name or Path(name).name != name or name.startswith("."):
            raise ValueError(f"table name {name!r} is not a plain file name")
        table.to_csv(folder / f"{name}.csv", index=False)

    summary_text = json.dumps(
        json_safe(result.summary), indent=2, allow_nan=False, ensure_ascii=False
    )
    (folder / "summary.json").write_text(summary_text + "\n", encoding="utf-8")

    trains = result.tables.get("train_responses")
    if (
        config.output.figures
        and trains is not None
        and {"baseline", "test"} <= set(trains["train"])
    ):
        from painnet.plotting import potentiation_figure

        potentiation_figure(
            trains,
            folder / "potentiation.png",
            title=config.title or (config_path.stem if config_path is not None else out.name),
        )
    elif config.output.figures and "responses" in result.tables:
        from painnet.plotting import windup_figure

        if config.title:
            title = config.title
        elif config_path is not None:
            title = config_path.stem
        else:
            title = out.name
        windup_figure(
            result.tables["responses"],
            folder / "windup.png",
            title=title,
            windup_pulses=tuple(config.output.windup_pulses),
        )

    if config.output.figures and result.clock == "slow":
        from painnet.plotting import timecourse_figure

        timecourse_figure(
            result.tables["timeseries"],
            folder / "timecourse.png",
            title=config.title or (config_path.stem if config_path is not None else out.name),
        )

    timings = {name: float(seconds) for name, seconds in result.timings.items()}
    timings["write"] = time.perf_counter() - started
    files = sorted(p.name for p in folder.iterdir() if p.is_file())
    manifest = {
        "status": "complete",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        **environment(),
        "title": config.title,
        "config_source": None if config_path is None else str(config_path),
        "config_hash": config_hash(config),
        "seed": config.run.seed,
        "seeds": {str(name): int(seed) for name, seed in result.seeds.items()},
        "replicates": config.run.replicates,
        "kernel": config.run.kernel,
        "clock": result.clock,
        "git": git,
        "timings": timings,
        "files": sorted([*files, "manifest.json"]),
    }
    manifest_text = json.dumps(json_safe(manifest), indent=2, allow_nan=False, ensure_ascii=False)
    (folder / "manifest.json").write_text(manifest_text + "\n", encoding="utf-8")


def write_run(result: RunResult, out_dir: Path | str, config_path: Path | None = None) -> Path:
    """Write a run's folder atomically and return its path.

    Everything is written into ``<out_dir>.tmp-<random>`` next to ``out_dir`` and renamed into
    place when complete. An existing ``out_dir`` is replaced: it is renamed aside, the new folder
    renamed in, then the old one deleted. On any error (or Ctrl-C) the temporary folder is removed
    and a previous ``out_dir`` is left as it was, so ``out_dir`` is never half-written.

    Args:
        result: the run's config, tables, summary, timings and seeds.
        out_dir: the run's folder.
        config_path: the config file the run came from; recorded in the manifest, its stem titles
            the figure when the config has no title, and its folder locates the git repository
            of the experiment (the current directory when None).

    Returns:
        ``out_dir`` as a :class:`~pathlib.Path`.

    Raises:
        PainnetError: ``out_dir`` is an existing file, or its parent cannot be created or written.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    config_path = None if config_path is None else Path(config_path)
    _prepare_parent(out)
    # Ask git before writing, so the temporary folder itself never makes the tree look dirty.
    git = git_state(config_path.parent if config_path is not None else Path.cwd())

    temp = _sibling(out, "tmp")
    try:
        temp.mkdir()
    except OSError as exc:
        raise PainnetError(
            f"cannot create a folder in {out.parent}: {exc.strerror or exc}; choose a writable --out"
        ) from None

    try:
        _fill_folder(result, temp, out, config_path, started, git)
        _move_into_place(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return out


def _move_into_place(temp: Path, out: Path) -> None:
    """Rename ``temp`` to ``out``, replacing an existing ``out`` folder."""
    if not out.exists():
        temp.rename(out)
        return
    old = _sibling(out, "old")
    out.rename(old)
    try:
        temp.rename(out)
    except BaseException:
        old.rename(out)  # put the previous folder back
        raise
    try:
        shutil.rmtree(old)
    except OSError as exc:
        warnings.warn(
            f"wrote {out}, but could not delete the previous version set aside at {old}: {exc}",
            stacklevel=3,
        )
