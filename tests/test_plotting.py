"""The projector-style wind-up figure."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from painnet.plotting import (
    PALETTE,
    population_colour,
    projector_style,
    windup_figure,
    windup_ratio,
)


def _responses(members: int, pulses: int = 16, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for member in range(members):
        for population, neurons, first, gain in (("WDR", 20, 1.0, 3.0), ("NS", 10, 0.5, 1.5)):
            for pulse in range(1, pulses + 1):
                mean = first * (1 + (gain - 1) * (pulse - 1) / max(pulses - 1, 1))
                spikes = int(rng.poisson(mean * neurons))
                rows.append(
                    {
                        "member": member,
                        "population": population,
                        "pulse": pulse,
                        "time_s": float(pulse - 1),
                        "spikes": spikes,
                        "neurons": neurons,
                        "spikes_per_neuron": spikes / neurons,
                    }
                )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("members", [1, 4])
def test_windup_figure_is_1600_by_900_png(tmp_path: Path, members: int) -> None:
    from matplotlib.image import imread

    path = windup_figure(_responses(members), tmp_path / "windup.png", title="Wind-up")
    assert path == tmp_path / "windup.png"
    image = imread(path)
    assert image.shape[:2] == (900, 1600)


def test_windup_figure_handles_short_and_empty_tables(tmp_path: Path) -> None:
    from matplotlib.image import imread

    short = windup_figure(_responses(2, pulses=5), tmp_path / "short.png")
    empty = windup_figure(_responses(1).iloc[:0], tmp_path / "empty.png", title="nothing")
    assert imread(short).shape[:2] == (900, 1600)
    assert imread(empty).shape[:2] == (900, 1600)


def test_windup_figure_leaves_no_pyplot_figures_open(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    windup_figure(_responses(2), tmp_path / "w.png")
    assert len(plt.get_fignums()) == before


def test_windup_ratio_matches_definition() -> None:
    table = pd.DataFrame(
        {
            "member": 0,
            "population": "WDR",
            "pulse": range(1, 17),
            "spikes_per_neuron": [2.0] + [1.0] * 12 + [4.0, 6.0, 8.0],
        }
    )
    assert windup_ratio(table)["WDR"] == pytest.approx(3.0)
    silent = table.assign(spikes_per_neuron=0.0)
    assert np.isnan(windup_ratio(silent)["WDR"])


def test_projector_style_sets_and_restores_rcparams() -> None:
    import matplotlib as mpl

    before = mpl.rcParams["font.size"]
    with projector_style():
        assert mpl.rcParams["font.size"] >= 18
        assert (
            min(mpl.rcParams[k] for k in ("xtick.labelsize", "ytick.labelsize", "legend.fontsize"))
            >= 18
        )
        assert mpl.rcParams["lines.linewidth"] * 100 / 72 >= 3  # ≥ 3 px at 100 dpi
        width, height = mpl.rcParams["figure.figsize"]
        assert width / height == pytest.approx(16 / 9)
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0] == PALETTE["NS"]
    assert mpl.rcParams["font.size"] == before


def test_population_colours_are_fixed_with_a_fallback() -> None:
    assert population_colour("WDR") == population_colour("wdr")
    assert population_colour("WDR") != population_colour("NS")
    assert population_colour("lamina_III", 0) != population_colour("lamina_III", 1)


def test_import_painnet_does_not_import_matplotlib() -> None:
    import subprocess

    code = (
        "import sys, painnet, painnet.plotting, painnet.outputs; print('matplotlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
