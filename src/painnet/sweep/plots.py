"""Figures of a sweep folder, projector style: dose–response curves and heatmaps.

For each readout in ``sweep.readouts``: with one swept parameter, the readout against it (mean
and 95 % confidence band over replicates); with two, curves against the last parameter (one per
value of the first) and a heatmap of the mean; with three or more, small-multiple heatmaps over
the values of the third. ``painnet plot SWEEP_DIR`` regenerates them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from painnet.errors import PainnetError

_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(\S*)\s*$")


def _numeric(column: pd.Series) -> tuple[pd.Series, str]:
    """Values as numbers plus their unit (``"1 Hz"`` → 1.0, ``"Hz"``); non-numbers stay as they are."""
    units = set()
    out = []
    for v in column:
        m = _NUMBER.match(str(v))
        if m is None:
            return column, ""
        out.append(float(m.group(1)))
        units.add(m.group(2))
    return pd.Series(out, index=column.index), units.pop() if len(units) == 1 else ""


def _schema_unit(path: str) -> str:
    """The schema's unit of a concrete config path (``drugs.nmda_block`` → ``fraction``)."""
    from painnet.docs import schema_fields

    parts = path.split(".")
    for field in schema_fields():
        template = field.path.split(".")
        if len(template) == len(parts) and all(
            t == p or t.startswith("<") for t, p in zip(template, parts, strict=True)
        ):
            return field.unit or ""
    return ""


def _label(path: str, unit: str) -> str:
    return f"{path} ({unit})" if unit else path


def _summary(table: pd.DataFrame, keys: list[str], readout: str) -> pd.DataFrame:
    grouped = table.groupby(keys, sort=True)[readout]
    stats = grouped.agg(["mean", "std", "count"]).reset_index()
    half = 1.96 * stats["std"].fillna(0) / np.sqrt(stats["count"].clip(lower=1))
    stats["low"], stats["high"] = stats["mean"] - half, stats["mean"] + half
    return stats


def sweep_figures(sweep_dir: Path | str) -> list[Path]:
    """Write the sweep's figures into ``<sweep_dir>/figures`` and return their paths."""
    from matplotlib.figure import Figure

    from painnet.plotting import population_colour, projector_style

    root = Path(sweep_dir)
    try:
        plan = json.loads((root / "sweep.json").read_text(encoding="utf-8"))
        config = yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8"))
        table = pd.read_csv(root / "results.csv")
    except (OSError, ValueError) as err:
        raise PainnetError(
            f"{root} is not a finished sweep folder ({err}); run painnet sweep first"
        ) from None
    paths = list(plan["points"][0]["values"]) if plan["points"] else []
    if table.empty or not paths:
        return []
    units = {}
    for p in paths:
        table[p], units[p] = _numeric(table[p])
        units[p] = units[p] or _schema_unit(p)
    title = config.get("title") or root.name
    out_dir = root / "figures"
    out_dir.mkdir(exist_ok=True)
    written = []
    for readout in config["sweep"].get("readouts", []):
        if readout not in table:
            raise PainnetError(
                f"sweep.readouts: {readout!r} is not a column of results.csv; "
                f"choose from {', '.join(c for c in table.columns if '.' in c or c.endswith('ratio'))}"
            )
        x = paths[-1]
        with projector_style():
            fig = Figure()
            ax = fig.subplots()
            lines = paths[0] if len(paths) >= 2 else None
            groups = [(None, table)] if lines is None else list(table.groupby(lines, sort=True))
            for i, (value, sub) in enumerate(groups):
                stats = _summary(sub, [x], readout)
                colour = population_colour(str(value), i) if lines else population_colour("WDR")
                name = None if lines is None else f"{value:g} {units[lines]}".strip()
                ax.plot(stats[x], stats["mean"], marker="o", color=colour, label=name)
                ax.fill_between(
                    stats[x], stats["low"], stats["high"], color=colour, alpha=0.2, lw=0
                )
            ax.set_xlabel(_label(x, units[x]))
            ax.set_ylabel(readout)
            ax.set_ylim(bottom=0)
            ax.set_title(f"{title}\n{readout}: mean and 95 % CI over replicates", loc="left")
            if lines:
                ax.legend(title=_label(lines, units[lines]), frameon=False, loc="best")
            path = out_dir / f"{readout}_curves.png"
            fig.savefig(path)
            written.append(path)
        if len(paths) >= 2:
            written.append(
                _heatmaps(
                    table,
                    paths,
                    units,
                    readout,
                    title,
                    out_dir / f"{readout}_heatmap.png",
                    config["sweep"].get("boundary"),
                )
            )
    return written


def _heatmaps(table, paths, units, readout, title, path: Path, boundary: dict | None) -> Path:
    from matplotlib.figure import Figure

    from painnet.plotting import projector_style

    x, y = paths[-1], paths[0]
    facet = paths[1] if len(paths) >= 3 else None
    facets = [(None, table)] if facet is None else list(table.groupby(facet, sort=True))
    with projector_style():
        fig = Figure()
        axes = np.atleast_1d(fig.subplots(1, len(facets), squeeze=False)[0])
        vmax = float(table[readout].max())
        image = None
        for ax, (value, sub) in zip(axes, facets, strict=True):
            grid = _summary(sub, [y, x], readout).pivot(index=y, columns=x, values="mean")
            image = ax.imshow(
                grid.values, origin="lower", aspect="auto", cmap="viridis", vmin=0, vmax=vmax
            )
            ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
            ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
            ax.set_xlabel(_label(x, units[x]))
            ax.set_ylabel(_label(y, units[y]))
            ax.grid(False)
            for (i, j), v in np.ndenumerate(grid.values):
                ax.text(
                    j,
                    i,
                    f"{v:.2g}",
                    ha="center",
                    va="center",
                    color="white" if v < 0.6 * vmax else "black",
                    fontsize=20,
                )
            if boundary and boundary["readout"] in sub and min(grid.shape) >= 2:
                line = _summary(sub, [y, x], boundary["readout"]).pivot(
                    index=y, columns=x, values="mean"
                )
                level = float(boundary["level"])
                ax.contour(line.values, levels=[level], colors="white", linewidths=5)
                ax.contour(line.values, levels=[level], colors="black", linewidths=2.5)
                for label, side, corner in (
                    (boundary.get("below", ""), line.values < level, "lower"),
                    (boundary.get("above", ""), line.values >= level, "upper"),
                ):
                    if label and side.any():
                        i, j = np.argwhere(side)[0 if corner == "lower" else -1]
                        ax.text(j, i + (0.3 if corner == "lower" else -0.3), label,
                                ha="center", va="center", fontsize=18, color="black",
                                bbox={"facecolor": "white", "alpha": 0.8, "lw": 0})  # fmt: skip
            if facet is not None:
                ax.set_title(f"{facet} = {value:g} {units[facet]}".strip(), fontsize=18)
        fig.colorbar(image, ax=list(axes), label=f"{readout} (mean)")
        fig.suptitle(f"{title}\n{readout} (mean over replicates)", x=0.02, ha="left", fontsize=24)
        fig.savefig(path)
    return path
