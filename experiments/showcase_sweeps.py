"""Run the showcase sweeps of docs/sweeps.md and copy their figures to docs/figures/.

CRPS infusion rate × duration (interrupt vs reverse), perioperative ketamine × PCA bolus,
ketamine's secondary modifiers, and wind-up against ketamine concentration.

    .venv/bin/python experiments/showcase_sweeps.py     # ~5 min on 2 cores
"""

from __future__ import annotations

import shutil
from pathlib import Path

from painnet.config import load_config
from painnet.sweep import run_sweep
from painnet.sweep.plots import sweep_figures

ROOT = Path(__file__).resolve().parents[1]

SWEEPS: dict[str, dict[str, str]] = {
    "crps_ketamine_dose_duration": {
        "pain_score_at_336h_heatmap.png": "sweep_crps_reversal.png",
        "pain_score_at_168.5h_curves.png": "sweep_crps_interrupt.png",
    },
    "perioperative_ketamine_pca": {"opioid_mg_at_24h_curves.png": "sweep_periop_opioid.png"},
    "ketamine_modifiers": {"first_response_heatmap.png": "sweep_modifiers_first_response.png"},
    "windup_ketamine_concentration": {"windup_ratio_curves.png": "sweep_windup_ketamine.png"},
}
"""Sweep config name → figure written by `painnet plot` → name under docs/figures/."""


def main() -> None:
    figures = ROOT / "docs" / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    for name, wanted in SWEEPS.items():
        out = ROOT / "runs" / name
        shutil.rmtree(out, ignore_errors=True)
        outcome = run_sweep(load_config(ROOT / "configs" / "sweeps" / f"{name}.yaml"), out, jobs=2)
        written = {path.name: path for path in sweep_figures(out)}
        for source, target in wanted.items():
            shutil.copy(written[source], figures / target)
        print(f"{name}: {len(outcome.table)} rows → {', '.join(wanted.values())}")


if __name__ == "__main__":
    main()
