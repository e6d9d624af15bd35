"""Sweep points and batches: from a ``sweep:`` spec to stable, batchable units of work.

A *point* is one assignment of values to the swept paths; its id is a hash of that assignment, so
it does not depend on list order. A *member* is (point, replicate). Members whose configs differ
only in per-member parameters (:func:`painnet.model.structural_key`) run together in one engine
batch; each batch's id is a hash of its members, so a resumed sweep recognizes finished work.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass

import numpy as np

from painnet.config.loading import apply_overrides, config_from_dict
from painnet.config.schema import ExperimentConfig, Sweep, SweepRange
from painnet.errors import ConfigError
from painnet.model import structural_key


def _hash(data: object, n: int = 12) -> str:
    return hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:n]


@dataclass(frozen=True)
class Point:
    """One combination of swept values (config syntax, e.g. ``"1 Hz"``)."""

    index: int
    values: dict

    @property
    def id(self) -> str:
        """Stable id: a hash of the values, independent of the point's position."""
        return _hash(self.values)


@dataclass(frozen=True)
class Member:
    """One run of a point: its replicate and the key of its input streams."""

    point: Point
    replicate: int
    stream_key: int


@dataclass(frozen=True)
class Batch:
    """Members that share network and protocol and run as one engine batch."""

    members: tuple[Member, ...]

    @property
    def id(self) -> str:
        """Stable id: a hash of the members' point ids, replicates and stream keys."""
        return _hash([(m.point.id, m.replicate, m.stream_key) for m in self.members])


def _values(spec: SweepRange | list) -> list:
    if isinstance(spec, list):
        return spec
    if spec.values is not None:
        return spec.values
    space = np.geomspace if spec.scale == "log" else np.linspace
    return [_with_unit(float(x), spec.unit) for x in space(spec.start, spec.stop, spec.num)]


def _with_unit(x: float, unit: str) -> float | str:
    x = float(f"{x:.12g}")
    return f"{x:g} {unit}" if unit else x


def salib_problem(sweep: Sweep) -> dict:
    """The SALib problem of a sampled sweep, on the unit cube (ranges are mapped afterwards)."""
    paths = list(sweep.parameters)
    return {"num_vars": len(paths), "names": paths, "bounds": [[0.0, 1.0]] * len(paths)}


def unit_sample(sweep: Sweep, seed: int) -> np.ndarray:
    """Sample rows in the unit cube, in the order the mode's analysis expects."""
    d = len(sweep.parameters)
    if sweep.mode == "sobol":
        from scipy.stats import qmc

        return qmc.Sobol(d=d, scramble=True, seed=seed).random(sweep.samples)
    if sweep.mode in ("saltelli", "morris"):
        try:
            from SALib.sample import morris, sobol
        except ImportError:
            raise ConfigError(
                [f"sweep.mode: {sweep.mode!r} needs SALib; pip install 'painnet[sensitivity]'"]
            ) from None
        problem = salib_problem(sweep)
        if sweep.mode == "morris":
            return morris.sample(problem, sweep.samples, seed=seed)
        return sobol.sample(problem, sweep.samples, calc_second_order=False, seed=seed)
    return np.random.default_rng(seed).random((sweep.samples, d))


def _sampled(sweep: Sweep, seed: int) -> list[dict]:
    paths = list(sweep.parameters)
    unit = unit_sample(sweep, seed)
    points = []
    for row in unit:
        values = {}
        for path, u in zip(paths, row, strict=True):
            spec = sweep.parameters[path]
            if spec.scale == "log":
                x = np.exp(np.log(spec.start) + u * (np.log(spec.stop) - np.log(spec.start)))
            else:
                x = spec.start + u * (spec.stop - spec.start)
            values[path] = _with_unit(float(x), spec.unit)
        points.append(values)
    return points


def sweep_points(sweep: Sweep, seed: int = 0) -> list[Point]:
    """The sweep's points, in spec order (grid: last path varies fastest)."""
    paths = list(sweep.parameters)
    if sweep.mode == "grid":
        combos = [
            dict(zip(paths, c, strict=True))
            for c in itertools.product(*(_values(sweep.parameters[p]) for p in paths))
        ]
    elif sweep.mode == "zip":
        lists = [_values(sweep.parameters[p]) for p in paths]
        if len({len(v) for v in lists}) != 1:
            sizes = ", ".join(f"{p}: {len(v)}" for p, v in zip(paths, lists, strict=True))
            raise ConfigError([f"sweep.parameters: zip needs lists of equal length, got {sizes}"])
        combos = [dict(zip(paths, c, strict=True)) for c in zip(*lists, strict=True)]
    else:
        combos = _sampled(sweep, seed)
    if sweep.mode in ("saltelli", "morris"):  # designs may revisit a point: simulate it once
        combos = list({_hash(c): c for c in combos}.values())
    points = [Point(i, c) for i, c in enumerate(combos)]
    ids = [p.id for p in points]
    if len(set(ids)) != len(ids):
        raise ConfigError(["sweep.parameters: some points repeat; remove duplicate values"])
    return points


def sample_order(sweep: Sweep, seed: int) -> list[str]:
    """Point ids in the order of the sampling design (for sensitivity analysis)."""
    return [Point(0, c).id for c in _sampled(sweep, seed)]


def point_config(base: ExperimentConfig, point: Point) -> ExperimentConfig:
    """The base config with the point's values applied (validated like ``--set``)."""
    data = base.model_dump(mode="json")
    data.pop("sweep", None)
    try:
        return config_from_dict(apply_overrides(data, point.values))
    except ConfigError as err:
        raise ConfigError([f"sweep point {point.values}: {p}" for p in err.problems]) from None


def stream_key(sweep: Sweep, point: Point, replicate: int) -> int:
    """Input-stream key of a member: the replicate under common random numbers, else per point."""
    if sweep.common_random_numbers:
        return replicate
    return int(_hash([point.id, replicate], 15), 16)


def plan_batches(base: ExperimentConfig) -> tuple[list[Point], list[Batch]]:
    """Points and batches of ``base.sweep``; every point's config is validated once, not kept.

    Raises:
        ConfigError: when a point's values do not make a valid config.
    """
    sweep = base.sweep
    if sweep is None:
        raise ConfigError(
            ["sweep: this config has no 'sweep' section; add one to use painnet sweep"]
        )
    points = sweep_points(sweep, base.run.seed)
    problems: list[str] = []
    groups: dict[str, list[Member]] = {}
    for p in points:
        try:
            key = _hash(structural_key(point_config(base, p)), 16)
        except ConfigError as err:
            problems.extend(err.problems)
            continue
        for r in range(sweep.replicates):
            groups.setdefault(key, []).append(Member(p, r, stream_key(sweep, p, r)))
    if problems:
        raise ConfigError(problems[:20])
    batches = [
        Batch(tuple(members[i : i + sweep.batch_size]))
        for members in groups.values()
        for i in range(0, len(members), sweep.batch_size)
    ]
    return points, batches
