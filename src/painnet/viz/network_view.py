"""The network drawn as it fires: one frame of the live app (and of animations).

Each neuron is a dot in its population's colour (:data:`painnet.plotting.PALETTE`) on the fixed
layered layout of :mod:`painnet.viz.layout`. A neuron that has just spiked is drawn large and in
full colour, then fades back to a pale dot: its *activity* is ``exp(-Δt / τ)``, with Δt the time
since its last spike and τ = :data:`ACTIVITY_TIME_CONSTANT`. Synapses of active neurons light up in
the presynaptic colour; all others are a faint grey web. The projection neurons send lines to a
"brain" node whose colour shows how many of them are active: the pain signal leaving the cord.

Speed (the app must keep ≥ 5 updates per second on 2 cores): the figure and its artists are built
once per model; a frame only updates colours, sizes and the active synapses, then renders a PNG.
No arrows (matplotlib arrows cost ~1 s per frame at a few hundred synapses; MESA_NOTES §5).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from painnet.plotting import OKABE_ITO, projector_style
from painnet.viz.layout import LAYERS, NetworkLayout, layered_layout

if TYPE_CHECKING:
    from painnet.model import PainModel

#: Fade time of a neuron's highlight after a spike (ms). A display choice, not biology: long enough
#: that a spike stays visible for a frame or two at the app's default speed (100 ms per frame).
ACTIVITY_TIME_CONSTANT = 100.0

#: Activity above which a neuron's outgoing synapses are drawn lit.
ACTIVE_SYNAPSE_THRESHOLD = 0.5

#: At most this many of a neuron's outgoing synapses light up when it is active (a fixed, seeded
#: choice per neuron). Drawing every lit synapse of a C-fibre volley (~2000 long lines) costs
#: ~60 ms per frame in Agg; all synapses stay visible in the faint grey web.
LIT_SYNAPSES_PER_NEURON = 6

#: Frame size: 9.6 × 5.4 in at 100 dpi = 960 × 540 px (16:9). Small enough that the projector
#: style's 18-24 pt text stays large after the browser scales the frame into its card.
FRAME_SIZE_IN = (9.6, 5.4)

_PALE = 0.3  # how much of its colour a silent neuron keeps (the rest is white)
_DOT_AREA = 30.0  # marker area (pt²) of a silent neuron; an active one grows to 3.5 ×
_BRAIN_AREA = 2500.0  # marker area (pt²) of the brain node; it grows to 1.6 × with the signal
_BRAIN_COLOUR = OKABE_ITO["vermillion"]
_WEB_GREY = "#c8c8c8"


def activity(model: PainModel) -> np.ndarray:
    """Activity of every neuron of the shown batch member: ``exp(-time since last spike / τ)``.

    Args:
        model: the model.

    Returns:
        ``float[N]`` in [0, 1]: 1 for a spike in the last kernel step, 0 for no spike yet.
    """
    engine = model.engine
    since_ms = (engine.t - engine.last_spike[model.member]) * engine.dt
    return np.exp(-np.clip(since_ms, 0.0, 1e6) / ACTIVITY_TIME_CONSTANT)


def _rgba(colour: str) -> np.ndarray:
    from matplotlib.colors import to_rgba

    return np.array(to_rgba(colour))


class NetworkView:
    """A persistent figure of one model's network, re-rendered frame by frame.

    Args:
        model: the model to draw (its network fixes the layout).
        size: figure size in inches (at 100 dpi).

    Attributes:
        layout: the layered layout.
        figure: the matplotlib figure (Agg, no pyplot).
    """

    def __init__(self, model: PainModel, size: tuple[float, float] = FRAME_SIZE_IN) -> None:
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure

        from painnet.plotting import population_colour

        self.layout: NetworkLayout = layered_layout(model.graph, model.populations, model.config)
        lay = self.layout
        n = len(lay.xy)
        self._colour = np.zeros((n, 4))
        for index, block in enumerate(lay.blocks):
            self._colour[block.ids.start : block.ids.stop] = _rgba(
                population_colour(block.name, index)
            )
        self._white = np.ones(4)
        self._shown = _shown_synapses(lay.pre, LIT_SYNAPSES_PER_NEURON)
        with projector_style():
            fig = Figure(figsize=size, layout="none")
            ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
            ax.set_axis_off()
            x0, x1, y0, y1 = lay.extent
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
            brain = np.asarray(lay.brain_xy)
            ax.add_collection(
                LineCollection(lay.segments, colors=_WEB_GREY, linewidths=0.4, alpha=0.35, zorder=1)
            )
            to_brain = np.stack(
                [lay.xy[lay.projection], np.broadcast_to(brain, (len(lay.projection), 2))], axis=1
            )
            ax.add_collection(
                LineCollection(to_brain, colors=_WEB_GREY, linewidths=0.8, alpha=0.6, zorder=1)
            )
            self._lit = LineCollection([], linewidths=1.4, zorder=2)
            self._lit_brain = LineCollection([], linewidths=3.0, zorder=2)
            ax.add_collection(self._lit)
            ax.add_collection(self._lit_brain)
            self._to_brain = to_brain
            self._dots = ax.scatter(lay.xy[:, 0], lay.xy[:, 1], s=_DOT_AREA, linewidths=0, zorder=3)
            self._brain = ax.scatter(
                [brain[0]], [brain[1]], s=_BRAIN_AREA, edgecolors="black", linewidths=3, zorder=3
            )
            for block in lay.blocks:
                ax.text(
                    *block.label_xy,
                    f"{block.name} ({len(block.ids)})",
                    ha="left",
                    va="bottom",
                    fontsize=18,
                    fontweight="bold",
                    color=population_colour(block.name),
                )
            for x, name in zip(lay.layer_x, (*LAYERS, "brain"), strict=True):
                ax.text(x, y1 - 0.4, name, ha="center", va="top", fontsize=20, color="#333333")
            self._clock = ax.text(
                x0 + 0.3, y0 + 0.2, "", ha="left", va="bottom", fontsize=20, color="#333333"
            )
        self.figure = fig
        self._ax = ax
        self._dynamic = (self._lit, self._lit_brain, self._dots, self._brain, self._clock)
        for artist in self._dynamic:
            artist.set_animated(True)  # drawn per frame over the cached static background
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self._canvas = FigureCanvasAgg(fig)
        self._canvas.draw()
        self._background = self._canvas.copy_from_bbox(fig.bbox)

    def update(self, model: PainModel) -> None:
        """Colour the neurons and synapses by the model's current activity."""
        a = activity(model)
        lay = self.layout
        weight = _PALE + (1.0 - _PALE) * a
        colours = self._white * (1.0 - weight[:, None]) + self._colour * weight[:, None]
        colours[:, 3] = 1.0
        self._dots.set_facecolors(colours)
        self._dots.set_sizes(_DOT_AREA * (1.0 + 2.5 * a))

        shown = self._shown
        pre = lay.pre[shown]
        lit = a[pre] > ACTIVE_SYNAPSE_THRESHOLD
        self._lit.set_segments(lay.segments[shown[lit]])
        lit_colours = self._colour[pre[lit]].copy()
        lit_colours[:, 3] = 0.15 + 0.45 * a[pre[lit]]
        self._lit.set_colors(lit_colours)

        proj = a[lay.projection]
        lit_p = proj > ACTIVE_SYNAPSE_THRESHOLD
        self._lit_brain.set_segments(self._to_brain[lit_p])
        p_colours = self._colour[lay.projection[lit_p]].copy()
        p_colours[:, 3] = proj[lit_p]
        self._lit_brain.set_colors(p_colours)

        signal = float(proj.mean()) if len(proj) else 0.0
        w = _PALE + (1.0 - _PALE) * min(1.0, 2.0 * signal)
        self._brain.set_facecolors([self._white * (1 - w) + _rgba(_BRAIN_COLOUR) * w])
        self._brain.set_sizes([_BRAIN_AREA * (1.0 + 0.6 * min(1.0, 2.0 * signal))])
        self._clock.set_text(_clock_text(model))

    def render(self, model: PainModel, format: str = "jpeg") -> bytes:
        """Update to the model's current state and return the frame as image bytes.

        Only the changing artists are drawn, over the static background rendered once.
        """
        self.update(model)
        self._canvas.restore_region(self._background)
        for artist in self._dynamic:
            self._ax.draw_artist(artist)
        return encode_canvas(self._canvas, format)


def encode_canvas(canvas, format: str = "jpeg") -> bytes:
    """The pixels of an Agg canvas as JPEG (quality 90, ~5 ms at 1280 × 720) or PNG bytes.

    JPEG because PNG costs 40-70 ms per frame for a picture this busy; the live app needs speed.
    """
    from PIL import Image

    pixels = np.asarray(canvas.buffer_rgba())[..., :3]
    buffer = io.BytesIO()
    options = {"compress_level": 1} if format == "png" else {"quality": 90}
    Image.fromarray(pixels).save(buffer, format=format, **options)
    return buffer.getvalue()


def _shown_synapses(pre: np.ndarray, per_neuron: int) -> np.ndarray:
    """Indices of up to ``per_neuron`` synapses of each presynaptic neuron (seeded, display only)."""
    order = np.random.default_rng(0).permutation(len(pre))
    order = order[np.argsort(pre[order], kind="stable")]  # shuffled within each neuron
    sorted_pre = pre[order]
    first = np.searchsorted(sorted_pre, sorted_pre, "left")
    rank = np.arange(len(order)) - first
    return np.sort(order[rank < per_neuron])


def _clock_text(model: PainModel) -> str:
    """``t = 3.40 s   stimulus 3 of 16``."""
    total = len(model.pulses)
    text = f"t = {model.time_ms / 1000:.2f} s"
    if total:
        text += f"   stimulus {model.delivered} of {total}"
    return text
