"""The live pain-score panel: the brain's 0–10 readout now (big numerals) and over the run.

The score is the supraspinal readout of :mod:`painnet.pain` (``PainModel.pain_scores()``, shown
batch member): projection-neuron firing smoothed over seconds and mapped to 0–10. The panel is
HTML with an inline SVG plot, not a matplotlib picture: text stays sharp on a projector and a
frame costs well under a millisecond (the app must keep ≥ 5 updates per second on 2 cores). The
axes are fixed — 0 to 10, and the whole protocol in time — so the class sees the score rise, not
the axes rescale; ticks under the plot mark the stimuli.

Sizes are in CSS pixels of a card about 500 px wide (a third of a 1920-px screen without the
sidebar): 24 px text is 18 pt.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from painnet.plotting import OKABE_ITO

if TYPE_CHECKING:
    from painnet.model import PainModel

#: Numeric rating scale categories (upper bound of the score, word, Okabe–Ito chip colour):
#: 0 none, 1–3 mild, 4–6 moderate, 7–10 severe (the usual NRS bands). Black text on each chip.
PAIN_BANDS: tuple[tuple[float, str, str], ...] = (
    (0.5, "no pain", "#d9d9d9"),
    (3.5, "mild", OKABE_ITO["bluish_green"]),
    (6.5, "moderate", OKABE_ITO["orange"]),
    (10.0, "severe", OKABE_ITO["vermillion"]),
)

#: Points of the trace per second of biology (the readout integrates over ~2 s, so 10/s is smooth).
TRACE_POINTS_PER_SECOND = 10.0

_WIDTH, _HEIGHT = 500.0, 210.0  # SVG user units (≈ CSS px)
_LEFT, _RIGHT, _TOP, _BOTTOM = 56.0, 16.0, 12.0, 46.0  # plot margins
_LINE = OKABE_ITO["vermillion"]


def pain_band(score: float) -> tuple[str, str]:
    """The NRS word and chip colour of a 0–10 score."""
    for upper, word, colour in PAIN_BANDS:
        if score < upper:
            return word, colour
    return PAIN_BANDS[-1][1], PAIN_BANDS[-1][2]


class PainView:
    """The pain-score panel of one model, updated frame by frame.

    Args:
        model: the model (fixes the time axis: its protocol's duration and stimuli).

    Attributes:
        points: ``(time_s, score)`` of the trace so far, one per 1/TRACE_POINTS_PER_SECOND s.
    """

    def __init__(self, model: PainModel) -> None:
        self.duration_s = max(model.config.duration / 1000.0, 1e-3)
        self.pulses_s = [float(t) / 1000.0 for t in model.pulses]
        self.points: list[tuple[float, float]] = []
        self._taken = 0  # entries of model.pain_trace already read
        self._path = ""
        self._axes = self._static_svg()

    def score(self, model: PainModel) -> float:
        """The shown member's current score (0–10)."""
        return float(model.pain_scores()[model.member])

    def update(self, model: PainModel) -> None:
        """Read the new part of the model's pain trace into :attr:`points`."""
        trace = model.pain_trace
        spacing = 1.0 / TRACE_POINTS_PER_SECOND
        for time_ms, scores in trace[self._taken :]:
            t = time_ms / 1000.0
            if not self.points or t - self.points[-1][0] >= spacing - 1e-9:
                self.points.append((t, float(scores[model.member])))
                self._path += f"{'L' if len(self.points) > 1 else 'M'}{self._x(t):.1f},{self._y(self.points[-1][1]):.1f}"
        self._taken = len(trace)

    def render(self, model: PainModel) -> str:
        """The panel's HTML for the model's current state."""
        self.update(model)
        score = self.score(model)
        word, colour = pain_band(score)
        stimuli = "".join(
            f'<line class="painnet-stimulus" x1="{self._x(t):.1f}" x2="{self._x(t):.1f}" '
            f'y1="{_HEIGHT - _BOTTOM + 2:.0f}" '
            f'y2="{_HEIGHT - _BOTTOM + 12:.0f}" stroke="black" stroke-width="2"/>'
            for t in self.pulses_s[: model.delivered]
        )
        svg = (
            f'<svg viewBox="0 0 {_WIDTH:.0f} {_HEIGHT:.0f}" width="100%" '
            'preserveAspectRatio="xMidYMid meet" role="img" aria-label="pain score over time">'
            f"{self._axes}{stimuli}"
            f'<path d="{self._path}" fill="none" stroke="{_LINE}" stroke-width="5" '
            'stroke-linejoin="round" stroke-linecap="round"/></svg>'
        )
        return (
            '<div style="font-family: sans-serif; color: black; padding: 0 8px;">'
            '<div style="display: flex; align-items: baseline; gap: 14px; flex-wrap: wrap;">'
            '<span style="font-size: 26px; font-weight: bold;">Pain score</span>'
            f'<span class="painnet-pain-score" style="font-size: 84px; font-weight: bold; '
            f'line-height: 1;">{score:.1f}</span>'
            '<span style="font-size: 26px;">/ 10</span>'
            f'<span style="font-size: 24px; font-weight: bold; background: {colour}; '
            f'padding: 2px 12px; border-radius: 6px;">{html.escape(word)}</span>'
            "</div>"
            f"{svg}</div>"
        )

    # ---- geometry ---------------------------------------------------------------------------

    def _x(self, t_s: float) -> float:
        return _LEFT + (_WIDTH - _LEFT - _RIGHT) * min(max(t_s / self.duration_s, 0.0), 1.0)

    @staticmethod
    def _y(score: float) -> float:
        return _TOP + (_HEIGHT - _TOP - _BOTTOM) * (1.0 - min(max(score, 0.0), 10.0) / 10.0)

    def _static_svg(self) -> str:
        """Grid lines, y labels 0/5/10 and time ticks: drawn once per model."""
        parts = []
        for score in (0, 5, 10):
            y = self._y(score)
            parts.append(
                f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="{"black" if score == 0 else "#bdbdbd"}" stroke-width="{2 if score == 0 else 1}"/>'
                f'<text x="{_LEFT - 10}" y="{y + 8:.1f}" text-anchor="end" font-size="24">{score}</text>'
            )
        step = _time_step(self.duration_s)
        t = 0.0
        while t <= self.duration_s + 1e-9:
            x = self._x(t)
            parts.append(
                f'<text x="{x:.1f}" y="{_HEIGHT - 6:.0f}" text-anchor="middle" font-size="24">'
                f"{t:g}{' s' if t == 0 else ''}</text>"
            )
            t += step
        return "".join(parts)


def _time_step(duration_s: float) -> float:
    """A tick spacing giving 3–7 time labels."""
    for step in (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600):
        if duration_s / step <= 6:
            return float(step)
    return duration_s / 4
