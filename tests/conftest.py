"""Shared fixtures: small, fast configs built from the bundled wind-up experiment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.chdir(ROOT)  # bundled configs are addressed as configs/...


@pytest.fixture
def small_config():
    """The wind-up config, shortened to 4 pulses at 2 Hz with one replicate (fast)."""
    from painnet.config import load_config

    return load_config(
        ROOT / "configs" / "windup.yaml",
        ["protocol.pulses=4", "protocol.frequency=2", "protocol.after=500 ms", "run.replicates=1"],
    )
