"""The live wind-up plot: spikes per neuron for each stimulus, for each projection population.

The response to stimulus k is counted exactly as in a run's ``responses.csv``
(:func:`painnet.readouts.response_table`: spikes in ``output.response_window`` after the stimulus,
per neuron); the stimulus in progress is drawn as its count so far, so the class sees each
response build. The axes are fixed, from the first stimulus to the last and from 0 to
:data:`RESPONSE_AXIS_MAX`, so conditions compare by eye (the y axis only ever grows, if a
response would leave it).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from painnet.agents import is_projection_type
from painnet.plotting import population_colour, projector_style
from painnet.readouts import response_table
from painnet.viz.network_view import FRAME_SIZE_IN, encode_canvas

if TYPE_CHECKING:
    import pandas as pd

    from painnet.model import PainModel

#: Top of the y axis (spikes per neuron per stimulus). The default network's NS neurons plateau
#: near 52 and WDR near 27 over 16 stimuli at 1 Hz (configs/windup.yaml, seed 1); a display choice.
RESPONSE_AXIS_MAX = 60.0

_MARKERS = ("o", "s", "D", "^", "v")

#: Figure size: as the network frame, 960 × 540 px (16:9).
FIGURE_SIZE_IN = FRAME_SIZE_IN


def projection_populations(model: PainModel) -> dict[str, range]:
    """Node ids of each projection population (the ones with responses), in config order."""
    types = {name: spec.type for name, spec in model.config.model.populations.items()}
    return {name: ids for name, ids in model.populations.items() if is_projection_type(types[name])}


def live_responses(model: PainModel) -> pd.DataFrame:
    """Spikes per neuron for every delivered stimulus so far (shown batch member only).

    Returns:
        The tidy response table of :func:`painnet.readouts.response_table` restricted to
        ``member == model.member`` and the delivered pulses, with a column ``complete``: whether
        the stimulus's response window has closed (the last one may still be counting).
    """
    member, time_ms, neuron = model.engine.spikes()
    mine = member == model.member
    table = response_table(
        np.zeros(int(mine.sum()), np.int32),
        time_ms[mine],
        neuron[mine],
        np.asarray(model.pulses, dtype=float),
        projection_populations(model),
        1,
        model.config.output.response_window,
    )
    table = table[table["pulse"] <= model.delivered].copy()
    pulses = np.asarray(model.pulses, dtype=float)
    end = model.config.output.response_window[1]
    if len(pulses) > 1:
        end = min(end, float(np.min(np.diff(pulses))))
    table["complete"] = table["time_s"] * 1000.0 + end <= model.time_ms
    return table


class WindupView:
    """A persistent wind-up figure for one model, re-rendered frame by frame.

    Args:
        model: the model (fixes the populations and the number of stimuli).
        subtitle: a line under the title, e.g. the slider settings of this run.
        size: figure size in inches (at 100 dpi).
    """

    def __init__(
        self, model: PainModel, subtitle: str = "", size: tuple[float, float] = FIGURE_SIZE_IN
    ) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        self.populations = list(projection_populations(model))
        n = max(len(model.pulses), 1)
        self._n_pulses = n
        self._y_max = RESPONSE_AXIS_MAX
        width_px, height_px = size[0] * 100, size[1] * 100
        header = _wrap_settings(subtitle, 70)
        with projector_style():
            # Fixed margins (px) rather than constrained layout: the header text is set per frame.
            fig = Figure(figsize=size, layout="none")
            top_px = 14 + 31 * len(header) + 40
            fig.subplots_adjust(
                left=135 / width_px,
                right=1 - 90 / width_px,
                bottom=85 / height_px,
                top=1 - top_px / height_px,
            )
            ax = fig.add_subplot()
            ax.set_xlim(0.5, n + 0.5)
            ax.set_ylim(0, self._y_max)
            if n <= 20:
                ax.set_xticks(range(1, n + 1))
            else:
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel("stimulus number")
            ax.set_ylabel("spikes per neuron\nper stimulus", fontsize=22)
            fig.text(
                10 / width_px,
                1 - 10 / height_px,
                "\n".join(header),
                va="top",
                fontsize=18,
                linespacing=1.25,
                color="#333333",
            )
            self._lines = {}  # complete responses: markers joined by a line
            self._pending = {}  # the response still being counted: a hollow marker
            self._names = {}  # the population's name, written at the end of its curve
            for index, name in enumerate(self.populations):
                colour = population_colour(name, index)
                (line,) = ax.plot(
                    [],
                    [],
                    marker=_MARKERS[index % len(_MARKERS)],
                    color=colour,
                    markerfacecolor=colour,
                    markeredgecolor="white",
                    label=name,
                    zorder=3,
                )
                (pending,) = ax.plot(
                    [],
                    [],
                    linestyle="none",
                    marker=_MARKERS[index % len(_MARKERS)],
                    color=colour,
                    markerfacecolor="white",
                    zorder=3,
                )
                self._lines[name] = line
                self._pending[name] = pending
                self._names[name] = ax.annotate(
                    name,
                    xy=(n + 0.5, 0),  # the right edge of the axes ...
                    xytext=(8, 0),  # ... plus 8 pt
                    textcoords="offset points",
                    color=colour,
                    fontsize=20,
                    fontweight="bold",
                    va="center",
                    annotation_clip=False,
                )
            self._ratio = fig.text(
                10 / width_px, 1 - (top_px - 6) / height_px, "", va="bottom", fontsize=20
            )
            canvas = FigureCanvasAgg(fig)
        self.figure, self._ax, self._canvas = fig, ax, canvas
        self._dynamic = (
            *self._lines.values(),
            *self._pending.values(),
            *self._names.values(),
            self._ratio,
        )
        for artist in self._dynamic:
            artist.set_animated(True)
        self._redraw_background()

    def _redraw_background(self) -> None:
        with projector_style():
            self._canvas.draw()
        self._background = self._canvas.copy_from_bbox(self.figure.bbox)

    def update(self, model: PainModel) -> pd.DataFrame:
        """Set the curves to the model's responses so far; returns the response table."""
        table = live_responses(model)
        top = 0.0
        for name, line in self._lines.items():
            rows = table[table["population"] == name]
            done = rows["complete"].to_numpy()
            x, y = rows["pulse"].to_numpy(), rows["spikes_per_neuron"].to_numpy()
            line.set_data(x[done], y[done])
            self._pending[name].set_data(x[~done], y[~done])
            label = self._names[name]  # right of the last stimulus, level with the latest response
            label.set_visible(bool(done.any()))
            if done.any():
                label.xy = (self._n_pulses + 0.5, y[done][-1])
            top = max(top, float(y.max()) if len(y) else 0.0)
        if top > self._y_max:  # grow, never shrink: a nice ceiling
            step = 10.0 ** math.floor(math.log10(top))
            self._y_max = math.ceil(top / step) * step
            self._ax.set_ylim(0, self._y_max)
            self._redraw_background()
        self._ratio.set_text(_ratio_text(table[table["complete"]], self.populations[:1]))
        return table

    def render(self, model: PainModel, format: str = "jpeg") -> bytes:
        """Update to the model's current state and return the frame as image bytes."""
        self.update(model)
        self._canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.figure.draw_artist(artist)
        return encode_canvas(self._canvas, format)


def _wrap_settings(text: str, width: int) -> list[str]:
    """Break ``a · b · c`` into lines of at most ``width`` characters, at the dots."""
    lines: list[str] = []
    for part in text.split(" · ") if text else []:
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return lines


def _ratio_text(table: pd.DataFrame, populations: list[str]) -> str:
    """``WDR: last / first response = 3.2×`` once two stimuli are complete."""
    parts = []
    for name in populations:
        y = table.loc[table["population"] == name, "spikes_per_neuron"].to_numpy()
        if len(y) >= 2 and y[0] > 0:
            parts.append(f"{name}: last / first response {y[-1] / y[0]:.1f}×")
    return "   ".join(parts)
