"""Projector-style figures: large text, thick lines, colour-blind-safe colours, 16:9.

Every figure painnet makes is drawn inside :func:`projector_style`, so a figure reads from the back
of a lecture theatre: text of 18 pt or more, lines of 3 px or more, a 1600 × 900 px (16:9) canvas,
black on white, and the Okabe–Ito palette (Okabe & Ito 2008, "Color universal design"), which stays
distinguishable under the common colour-vision deficiencies. Each population keeps one colour in
every figure (:data:`PALETTE`), so the class learns "orange is the excitatory interneurons" once.

matplotlib is imported inside the functions, never at module import, so ``import painnet`` does not
pull in a plotting backend; figures are drawn with the non-interactive Agg canvas and closed after
saving, so this is safe on headless machines and in sweep workers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: Okabe–Ito colours by name (Okabe & Ito 2008).
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Default colour cycle, strongest contrast on white first (yellow last: weak on a projector).
COLOUR_CYCLE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
)

#: One fixed colour per default population name and per registered agent type.
PALETTE: dict[str, str] = {
    # projection neurons
    "WDR": OKABE_ITO["vermillion"],
    "wdr": OKABE_ITO["vermillion"],
    "NS": OKABE_ITO["blue"],
    "ns": OKABE_ITO["blue"],
    # interneurons
    "E": OKABE_ITO["orange"],
    "excitatory_interneuron": OKABE_ITO["orange"],
    "I": OKABE_ITO["bluish_green"],
    "inhibitory_interneuron": OKABE_ITO["bluish_green"],
    # primary afferents
    "C": OKABE_ITO["reddish_purple"],
    "c_fibre": OKABE_ITO["reddish_purple"],
    "Adelta": OKABE_ITO["sky_blue"],
    "adelta_fibre": OKABE_ITO["sky_blue"],
    "Abeta": OKABE_ITO["black"],
    "abeta_fibre": OKABE_ITO["black"],
}

#: Marker shapes by population position, so overlapping lines stay distinguishable (and in greyscale).
_MARKERS: tuple[str, ...] = ("o", "s", "D", "^", "v", "P", "X")

_SPAN_GREY = "#efefef"  # background shading of the stimuli used in the wind-up ratio
_NOTE_GREY = "#555555"  # secondary text (annotations, subtitles); 7.5:1 contrast on white

#: Figure geometry: 16 × 9 in at 100 dpi is a 1600 × 900 px (16:9) image.
FIGURE_SIZE_IN: tuple[float, float] = (16.0, 9.0)
FIGURE_DPI: int = 100

#: matplotlib settings of the projector style (sizes in points; 1 pt = 100/72 px at 100 dpi).
_RC: dict[str, Any] = {
    "figure.figsize": FIGURE_SIZE_IN,
    "figure.dpi": FIGURE_DPI,
    "savefig.dpi": FIGURE_DPI,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "font.size": 20,
    "axes.titlesize": 22,
    "axes.labelsize": 24,
    "xtick.labelsize": 20,
    "ytick.labelsize": 20,
    "legend.fontsize": 20,
    "legend.title_fontsize": 20,
    "figure.titlesize": 30,
    "figure.titleweight": "bold",
    "text.color": "black",
    "axes.labelcolor": "black",
    "axes.edgecolor": "black",
    "axes.linewidth": 2.0,
    "xtick.color": "black",
    "ytick.color": "black",
    "xtick.major.width": 2.0,
    "ytick.major.width": 2.0,
    "xtick.major.size": 8,
    "ytick.major.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 1.0,
    "grid.alpha": 1.0,
    "axes.axisbelow": True,
    "lines.linewidth": 4.0,  # 5.6 px at 100 dpi
    "lines.markersize": 13,
    "lines.markeredgewidth": 2.0,
    "patch.linewidth": 2.0,
    "legend.frameon": False,
    "figure.constrained_layout.use": True,
}


def population_colour(name: str, index: int = 0) -> str:
    """The colour of a population in every painnet figure.

    Args:
        name: population name (``"WDR"``) or agent type (``"wdr"``).
        index: position of the population in the figure, used to pick a colour from
            :data:`COLOUR_CYCLE` when ``name`` has no fixed colour in :data:`PALETTE`.

    Returns:
        A hex colour string.
    """
    colour = PALETTE.get(name)
    if colour is None:
        colour = COLOUR_CYCLE[index % len(COLOUR_CYCLE)]
    return colour


@contextmanager
def projector_style() -> Iterator[None]:
    """Draw figures inside this context to get the projector style.

    Sets matplotlib rcParams (restored on exit): ≥ 18 pt text, ≥ 3 px lines, a 16:9 canvas of
    1600 × 900 px, black on white with a light grid, and the Okabe–Ito colour cycle.

    Yields:
        None.
    """
    import matplotlib as mpl
    from cycler import cycler

    rc = dict(_RC)
    rc["axes.prop_cycle"] = cycler(color=list(COLOUR_CYCLE))
    with mpl.rc_context(rc):
        yield


def windup_ratio(responses: pd.DataFrame, pulses: tuple[int, int] = (14, 16)) -> dict[str, float]:
    """Wind-up ratio per population from a responses table: mean(R_a..R_b) / R_1.

    ``R_k`` is the response to stimulus ``k`` (spikes per neuron, averaged over batch members).
    With fewer than ``b`` stimuli the last three are averaged instead. Used for figure labels; the
    authoritative readout is the one in ``summary.json``.

    Args:
        responses: the tidy ``responses`` table (``population``, ``pulse``,
            ``spikes_per_neuron``; ``member`` optional).
        pulses: first and last pulse (1-based, inclusive) of the wind-up window.

    Returns:
        The ratio by population name; NaN where ``R_1`` is 0 or pulses are missing.
    """
    mean = responses.groupby(["population", "pulse"], sort=False)["spikes_per_neuron"].mean()
    ratios: dict[str, float] = {}
    for population in responses["population"].unique():
        curve = mean.loc[population].sort_index()
        n_pulses = int(curve.index.max()) if len(curve) else 0
        first, last = pulses
        if n_pulses < last:
            first, last = max(1, n_pulses - 2), n_pulses
        late = curve.loc[(curve.index >= first) & (curve.index <= last)]
        r1 = float(curve.get(1, float("nan")))
        ratios[str(population)] = float(late.mean()) / r1 if len(late) and r1 > 0 else float("nan")
    return ratios


def windup_figure(
    responses: pd.DataFrame,
    path: Path | str,
    title: str = "",
    *,
    windup_pulses: tuple[int, int] = (14, 16),
    y_max: float | None = None,
) -> Path:
    """Draw the wind-up curve: response of each projection population to each stimulus.

    Wind-up is the progressive increase of a dorsal-horn neuron's response to repeated C-fibre
    stimuli at ≥ 0.3 Hz (Mendell 1966); its size is the wind-up ratio mean(R14–16)/R1
    (Dickenson & Sullivan 1987). One line with markers per population; with several batch members
    the line is the mean and the band ± 1 SD across members. The stimuli averaged for the ratio are
    shaded.

    Args:
        responses: the tidy ``responses`` table of a run (``member``, ``population``, ``pulse``,
            ``spikes_per_neuron``).
        path: where to save the PNG (1600 × 900 px).
        title: figure title, e.g. the config's title.
        windup_pulses: first and last stimulus (1-based) averaged for the ratio in the subtitle.
        y_max: fix the top of the y axis (spikes per neuron per stimulus) so figures of
            several conditions share axes; ``None`` scales to the data.

    Returns:
        The path of the saved PNG.
    """
    # A bare Figure (no pyplot) renders with Agg, touches no global figure registry or backend,
    # and is freed when it goes out of scope: safe in notebooks, workers and headless machines.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    path = Path(path)
    with projector_style():
        fig = Figure()
        ax = fig.add_subplot()
        populations = list(responses["population"].unique()) if len(responses) else []
        n_members = (
            int(responses["member"].nunique()) if "member" in responses and len(responses) else 1
        )
        n_pulses = int(responses["pulse"].max()) if len(responses) else 0

        for index, population in enumerate(populations):
            rows = responses[responses["population"] == population]
            stats = rows.groupby("pulse")["spikes_per_neuron"].agg(["mean", "std"]).sort_index()
            colour = population_colour(str(population), index)
            x = stats.index.to_numpy()
            ax.plot(
                x,
                stats["mean"],
                marker=_MARKERS[index % len(_MARKERS)],
                color=colour,
                label=str(population),
                markerfacecolor=colour,
                markeredgecolor="white",
                zorder=3,
            )
            if n_members > 1:
                sd = stats["std"].fillna(0.0)
                ax.fill_between(
                    x,
                    (stats["mean"] - sd).clip(lower=0),
                    stats["mean"] + sd,
                    color=colour,
                    alpha=0.2,
                    linewidth=0,
                    zorder=2,
                )

        if n_pulses:
            first, last = windup_pulses
            if n_pulses < last:
                first, last = max(1, n_pulses - 2), n_pulses
            span_label = f"R{first}" if first == last else f"R{first}–{last}"
            along_top = ax.get_xaxis_transform()  # x in data, y in axes fraction
            for lo, hi, label in ((1, 1, "R1"), (first, last, span_label)):
                ax.axvspan(lo - 0.5, hi + 0.5, color=_SPAN_GREY, zorder=0, linewidth=0)
                ax.text(
                    (lo + hi) / 2,
                    0.985,
                    label,
                    transform=along_top,
                    ha="center",
                    va="top",
                    color=_NOTE_GREY,
                    fontsize=18,
                )
            ax.set_xlim(0.5, n_pulses + 0.5)
            if n_pulses <= 20:
                ax.set_xticks(range(1, n_pulses + 1))
            else:
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            ax.text(
                0.5,
                0.5,
                "no responses recorded",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color=_NOTE_GREY,
            )
            ax.set_xticks([])
            first, last = windup_pulses

        if y_max is None:
            top = ax.get_ylim()[1] if populations else 0.0
            y_max = top * 1.12 if top > 0 else 1.0  # headroom for the R labels
        ax.set_ylim(0, y_max)
        ax.set_xlabel("stimulus number")
        ax.set_ylabel("spikes per neuron per stimulus")

        ratios = windup_ratio(responses, windup_pulses) if len(responses) else {}
        window = f"R{first}" if first == last else f"R{first}–{last}"
        parts = [
            f"{name} {ratio:.1f}×" if ratio == ratio else f"{name} n/a (R1 = 0)"
            for name, ratio in ratios.items()
        ]
        subtitle = f"wind-up ratio mean({window}) / R1:   " + "   ".join(parts) if parts else ""
        if n_members > 1:
            subtitle += f"\nmean ± SD over {n_members} batch members"
        if title:
            fig.suptitle(title)
        if subtitle:
            ax.set_title(subtitle, loc="left", color="#333333", pad=16)
        if populations:
            ax.legend(
                title="population", loc="upper left", bbox_to_anchor=(1.01, 1.0), handlelength=2.5
            )

        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=FIGURE_DPI, format="png")
        fig.clear()
    return path


def timecourse_figure(timeseries: pd.DataFrame, path: Path | str, title: str = "") -> Path:
    """Slow-clock run: pain score, sensitization states and drug concentrations over time.

    Args:
        timeseries: the slow clock's tidy time series (``member``, ``time_h``, ``pain_score``,
            ``excitability``, ``chronic_state``, ``potentiation``, ``<drug>_plasma_ng_ml``...).
        path: PNG to write.
        title: the scenario, shown as the figure title.

    Returns:
        ``path``.
    """
    import matplotlib.pyplot as plt

    path = Path(path)
    hours = float(timeseries["time_h"].max())
    scale, unit = (24.0, "days") if hours > 72 else (1.0, "hours")
    mean = timeseries.groupby("time_h").mean(numeric_only=True)
    t = mean.index.to_numpy() / scale
    drugs = [c for c in mean.columns if c.endswith("_plasma_ng_ml")]
    with projector_style():
        fig, axes = plt.subplots(3 if drugs else 2, 1, sharex=True)
        ax = axes[0]
        ax.plot(t, mean["pain_score"], color=COLOUR_CYCLE[1])
        ax.set(ylabel="pain (0–10)", ylim=(0, 10))
        ax.set_title(title or "Slow clock")
        ax = axes[1]
        for colour, (column, label) in zip(
            COLOUR_CYCLE,
            (
                ("excitability", "excitability"),
                ("chronic_state", "chronic state"),
                ("potentiation", "LTP ρ"),
            ),
            strict=False,
        ):
            ax.plot(t, mean[column], color=colour, label=label)
        ax.set(ylabel="state (0–1)", ylim=(0, 1.05))
        ax.legend(loc="upper right", fontsize=16, ncol=3)
        if drugs:
            ax = axes[2]
            for colour, column in zip(COLOUR_CYCLE[3:], drugs, strict=False):
                ax.plot(t, mean[column], color=colour, label=column.removesuffix("_plasma_ng_ml"))
            ax.set(ylabel="plasma (ng/mL)")
            ax.legend(loc="upper right", fontsize=16)
        axes[-1].set_xlabel(f"time ({unit})")
        fig.savefig(path)
        plt.close(fig)
    return path


def potentiation_figure(trains: pd.DataFrame, path: Path | str, title: str = "") -> Path:
    """LTP protocols: each test pulse's response as % of the baseline pulses, over time.

    Args:
        trains: the run's ``train_responses`` table (``member``, ``population``, ``train``,
            ``time_s``, ``spikes_per_neuron``) with trains named ``baseline`` and ``test``.
        path: PNG to write.
        title: the scenario, shown as the figure title.

    Returns:
        ``path``.
    """
    import matplotlib.pyplot as plt

    path = Path(path)
    with projector_style():
        fig, ax = plt.subplots()
        for i, (name, rows) in enumerate(trains.groupby("population", sort=False)):
            base = rows[rows["train"] == "baseline"]["spikes_per_neuron"].mean()
            tests = rows[rows["train"].isin(["baseline", "test"])]
            curve = tests.groupby("time_s")["spikes_per_neuron"].mean() / base * 100.0
            ax.plot(
                curve.index / 60.0,
                curve.to_numpy(),
                marker=_MARKERS[i % len(_MARKERS)],
                color=population_colour(name, i),
                label=name,
            )
        conditioning = trains[~trains["train"].isin(["baseline", "test"])]["time_s"]
        if len(conditioning):
            ax.axvspan(conditioning.min() / 60.0, conditioning.max() / 60.0, color=_SPAN_GREY)
        ax.axhline(100.0, color=_NOTE_GREY, lw=2)
        ax.set(xlabel="time (min)", ylabel="C-fibre response (% of baseline)", ylim=(0, 250))
        ax.set_title(title or "Potentiation")
        ax.legend(loc="upper right")
        fig.savefig(path)
        plt.close(fig)
    return path
