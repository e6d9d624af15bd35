"""Measure the default network's transfer function for the slow clock (painnet.slowclock).

    .venv/bin/python experiments/fit_transfer.py     # ~5 min on 2 cores

Writes ``src/painnet/slowclock/transfer_default.npz``: the spiking model run at every point of
the input grid (ongoing C rate × NMDA gain × C release × synaptic gain × current), with the
network of a config with every default (seed 1). Configs with another network are measured on
first use and cached in ``~/.cache/painnet/transfer``.
"""

from __future__ import annotations

from pathlib import Path

from painnet.config.loading import config_from_dict
from painnet.slowclock.transfer import BUNDLED, fit

OUT = Path(__file__).resolve().parents[1] / "src" / "painnet" / "slowclock" / BUNDLED


def main() -> None:
    config = config_from_dict({"schema_version": 1})
    table = fit(config, progress=True)
    table.save(OUT)
    print(f"wrote {OUT} ({table.meta['points']} points in {table.meta['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
