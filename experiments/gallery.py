"""Regenerate the classroom gallery thumbnails (docs/figures/gallery_<scenario>.png).

Runs every config in configs/classroom/ and draws its wind-up figure on shared axes, so the
scenarios can be compared by eye (slow-clock scenarios: their pain and state time course).

    .venv/bin/python experiments/gallery.py      # ~20 s
"""

from __future__ import annotations

from pathlib import Path

from painnet.config import load_config
from painnet.plotting import timecourse_figure, windup_figure
from painnet.run import simulate

ROOT = Path(__file__).resolve().parents[1]
Y_MAX = 60.0  # spikes per neuron per stimulus: the live app's fixed axis


def main() -> None:
    out = ROOT / "docs" / "figures"
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "configs" / "classroom").glob("*.yaml")):
        config = load_config(path)
        result = simulate(config)
        if result.clock == "slow":  # days to weeks: the pain and state time course
            figure = timecourse_figure(
                result.tables["timeseries"], out / f"gallery_{path.stem}.png", title=config.title
            )
            print(f"{path.relative_to(ROOT)} → {figure.relative_to(ROOT)}")
            continue
        figure = windup_figure(
            result.tables["responses"],
            out / f"gallery_{path.stem}.png",
            title=config.title,
            windup_pulses=tuple(config.output.windup_pulses),
            y_max=Y_MAX,
        )
        print(f"{path.relative_to(ROOT)} → {figure.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
