"""Global sensitivity of a readout to the swept parameters (SALib: Sobol indices, Morris).

Run a sweep with ``mode: saltelli`` (Sobol first-order and total indices) or ``mode: morris``
(elementary effects), then ``painnet sensitivity SWEEP_DIR --readout windup_ratio``. The readout
of each point is its mean over replicates.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from painnet.config.loading import config_from_dict
from painnet.errors import PainnetError
from painnet.sweep.points import salib_problem, sample_order, unit_sample


def sensitivity(sweep_dir: Path | str, readout: str | None = None) -> tuple[pd.DataFrame, Path]:
    """Compute the indices; writes ``sensitivity_<readout>.csv`` and a bar chart in the folder."""
    root = Path(sweep_dir)
    try:
        config = config_from_dict(
            yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8"))
        )
        table = pd.read_csv(root / "results.csv")
    except OSError as err:
        raise PainnetError(
            f"{root} is not a finished sweep folder ({err.strerror}); run painnet sweep first"
        ) from None
    sweep = config.sweep
    if sweep is None or sweep.mode not in ("saltelli", "morris"):
        raise PainnetError(
            "sensitivity needs a sweep with mode: saltelli (Sobol indices) or morris; "
            f"this one is {getattr(sweep, 'mode', None)!r}"
        )
    readout = readout or sweep.readouts[0]
    if readout not in table:
        raise PainnetError(f"--readout: {readout!r} is not a column of results.csv")
    means = table.groupby("point_id")[readout].mean()
    order = sample_order(sweep, config.run.seed)
    missing = [pid for pid in order if pid not in means.index]
    if missing:
        raise PainnetError(
            f"{len(set(missing))} points have no result yet; finish the sweep with --resume"
        )
    y = means.loc[order].to_numpy()
    if not np.all(np.isfinite(y)):
        raise PainnetError(
            f"{readout} is undefined (NaN) at {int((~np.isfinite(y)).sum())} points; choose another --readout"
        )
    problem = salib_problem(sweep)
    if sweep.mode == "saltelli":
        from SALib.analyze import sobol

        si = sobol.analyze(problem, y, calc_second_order=False, seed=config.run.seed)
        result = pd.DataFrame(
            {
                "parameter": problem["names"],
                "S1": si["S1"],
                "S1_conf": si["S1_conf"],
                "ST": si["ST"],
                "ST_conf": si["ST_conf"],
            }
        )
        bars, conf, label = "ST", "ST_conf", "total-order Sobol index"
    else:
        from SALib.analyze import morris

        x = unit_sample(sweep, config.run.seed)
        si = morris.analyze(problem, x, y, seed=config.run.seed)
        result = pd.DataFrame(
            {
                "parameter": problem["names"],
                "mu_star": si["mu_star"],
                "mu_star_conf": si["mu_star_conf"],
                "sigma": si["sigma"],
            }
        )
        bars, conf, label = "mu_star", "mu_star_conf", "Morris μ* (elementary effect)"
    result.to_csv(root / f"sensitivity_{readout}.csv", index=False)
    return result, _figure(
        result, bars, conf, label, readout, root / "figures" / f"sensitivity_{readout}.png"
    )


def _figure(
    result: pd.DataFrame, bars: str, conf: str, label: str, readout: str, path: Path
) -> Path:
    from matplotlib.figure import Figure

    from painnet.plotting import population_colour, projector_style

    path.parent.mkdir(exist_ok=True)
    with projector_style():
        fig = Figure()
        ax = fig.subplots()
        ax.barh(
            result["parameter"],
            result[bars],
            xerr=result[conf],
            color=population_colour("WDR"),
            capsize=8,
        )
        ax.set_xlabel(f"{label} of {readout}")
        ax.set_xlim(left=0)
        ax.set_title(f"What drives {readout}?", loc="left")
        fig.savefig(path)
    return path
