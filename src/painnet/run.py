"""Run an experiment: simulate a config and collect its tables and readouts."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from painnet.config.schema import ExperimentConfig


@dataclass
class RunResult:
    """Everything a run produces, before it is written to disk.

    Attributes:
        config: the resolved (validated) config.
        tables: tidy tables by name (written as ``<name>.csv``), e.g. ``responses``, ``timeseries``.
        summary: scalar readouts by name (``summary.json``), e.g. ``windup_ratio``.
        timings: wall-clock seconds by phase (``build``, ``simulate``, ...).
        seeds: the seeds used, by stream.
    """

    config: ExperimentConfig
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    seeds: dict[str, int] = field(default_factory=dict)
