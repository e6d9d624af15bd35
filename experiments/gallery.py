"""Regenerate the classroom gallery thumbnails (docs/figures/gallery_<scenario>.png).

Runs every config in configs/classroom/ and draws its wind-up figure on shared axes, so the
scenarios can be compared by eye.

    .venv/bin/python experiments/gallery.py      # ~20 s
"""

from __future__ import annotations

from pathlib import Path

from painnet.config import load_config
from painnet.plotting import windup_figure
from painnet.run import simulate

ROOT = Path(__file__).resolve().parents[1]
Y_MAX = 60.0  # spikes per neuron per stimulus: the live app's fixed axis


def main() -> None:
    out = ROOT / "docs" / "figures"
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "configs" / "classroom").glob("*.yaml")):
        config = load_config(path)
        result = simulate(config)
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
