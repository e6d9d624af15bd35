"""Run the showcase sweep (wind-up ratio × NMDA block × frequency) and copy its figures to docs/.

.venv/bin/python experiments/windup_block_sweep.py     # ~1-2 min on 2 cores
"""

from __future__ import annotations

import shutil
from pathlib import Path

from painnet.config import load_config
from painnet.sweep import run_sweep
from painnet.sweep.plots import sweep_figures

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    out = ROOT / "runs" / "windup_block_frequency"
    shutil.rmtree(out, ignore_errors=True)
    config = load_config(ROOT / "configs" / "sweeps" / "windup_block_frequency.yaml")
    outcome = run_sweep(config, out, jobs=2, progress=True)
    figures = ROOT / "docs" / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    for path in sweep_figures(out):
        shutil.copy(path, figures / f"sweep_{path.name}")
    print(f"{len(outcome.table)} rows; figures copied to {figures}")


if __name__ == "__main__":
    main()
