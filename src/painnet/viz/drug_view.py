"""The live drug panel: effect-site concentrations and receptor occupancy, as numbers and bars.

What the drugs are doing to the shown batch member right now, read from the same pharmacology
chain that drives the network (:class:`painnet.pharmacology.Pharmacology`; regimen →
concentration → occupancy): the effect-site concentration of ketamine and morphine in ng/mL, and
the fraction of NMDA receptors blocked, of µ-opioid receptors occupied and of muscarinic receptors
blocked (ketamine is a muscarinic antagonist). With the ``drugs.nmda_block`` teaching override
the NMDA bar shows the override and says so.

HTML, not a matplotlib picture: sharp on a projector and nearly free to redraw; the bars have
fixed 0–100 % scales. Colours: Okabe–Ito (:data:`painnet.plotting.OKABE_ITO`); text is black on
white or on the light bar track.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from painnet.plotting import OKABE_ITO

#: Bars of the panel: occupancy key, label, colour.
OCCUPANCY_BARS: tuple[tuple[str, str, str], ...] = (
    ("nmda", "NMDA blocked", OKABE_ITO["vermillion"]),
    ("mu_opioid", "µ-opioid occupied", OKABE_ITO["blue"]),
    ("muscarinic", "muscarinic blocked", OKABE_ITO["bluish_green"]),
)

#: Drugs listed (always both, so the layout never jumps): config name, label.
DRUGS: tuple[tuple[str, str], ...] = (("ketamine", "ketamine"), ("morphine", "morphine"))


@dataclass(frozen=True)
class DrugState:
    """The drugs of one patient at one time.

    Attributes:
        time_ms: the time.
        configured: drugs given in the config (``ketamine``, ``morphine``).
        effect_ng_ml: effect-site concentration by drug (ng/mL).
        occupancy: receptor occupancy by target (fractions; ``nmda`` is the override when set).
        vitals: vital signs (:meth:`painnet.pharmacology.Pharmacology.monitoring`).
        alarms: alarm flags (:meth:`painnet.pharmacology.Pharmacology.alarms`).
        nmda_override: whether the ``nmda_block`` teaching override sets the NMDA block now.
        form: ketamine's form (``racemic`` or ``esketamine``), or None without ketamine.
    """

    time_ms: float
    configured: tuple[str, ...]
    effect_ng_ml: dict[str, float]
    occupancy: dict[str, float]
    vitals: dict[str, float]
    alarms: dict[str, bool]
    nmda_override: bool
    form: str | None


def drug_state(pharmacology, time_ms: float) -> DrugState:
    """Evaluate the chain of one :class:`~painnet.pharmacology.Pharmacology` at ``time_ms``."""
    from painnet.pharmacology.monitoring import alarms

    t = np.array([float(time_ms)])
    config = pharmacology.config
    concentrations = pharmacology.concentrations(t)
    vitals = pharmacology.monitoring(t)
    end = config.nmda_block_end
    override = (
        config.nmda_block is not None
        and config.nmda_block_start <= time_ms
        and (end is None or time_ms < end)
    )
    return DrugState(
        time_ms=float(time_ms),
        configured=pharmacology.drugs,
        effect_ng_ml={name: float(c["effect_ng_ml"][0]) for name, c in concentrations.items()},
        occupancy={name: float(v[0]) for name, v in pharmacology.occupancy(t).items()},
        vitals={name: float(v[0]) for name, v in vitals.items()},
        alarms={name: bool(v[0]) for name, v in alarms(vitals, config.monitoring).items()},
        nmda_override=override,
        form=config.ketamine.form if config.ketamine is not None else None,
    )


def format_concentration(value: float) -> str:
    """``150``, ``21.8``, ``0.4``: three significant figures at most, no trailing zeros."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".")


class DrugView:
    """The drug panel; :meth:`render` returns its HTML (cached while nothing visible changes)."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._html = ""

    def render(self, state: DrugState) -> str:
        """The panel's HTML for ``state``."""
        rows = []
        for name, label in DRUGS:
            given = name in state.configured
            if name == "ketamine" and state.form == "esketamine":
                label = "S-ketamine"
            value = format_concentration(state.effect_ng_ml.get(name, 0.0)) if given else "—"
            rows.append((label, value, given))
        bars = [
            (label, 100.0 * state.occupancy.get(key, 0.0), colour)
            for key, label, colour in OCCUPANCY_BARS
        ]
        key = (tuple(rows), tuple(round(p, 1) for _, p, _ in bars), state.nmda_override)
        if key == self._key:
            return self._html
        self._key = key
        self._html = _drug_html(rows, bars, state.nmda_override)
        return self._html


def _drug_html(rows, bars, override: bool) -> str:
    parts = [
        '<div style="font-family: sans-serif; color: black; padding: 0 8px;">',
        '<div style="font-size: 26px; font-weight: bold; margin-bottom: 4px;">'
        "Drugs at the effect site</div>",
        '<table style="font-size: 26px; border-collapse: collapse; margin-bottom: 8px;">',
    ]
    for label, value, given in rows:
        colour = "black" if given else "#757575"
        parts.append(
            f'<tr style="color: {colour};"><td style="padding-right: 16px;">{html.escape(label)}</td>'
            f'<td class="painnet-concentration" style="font-size: 40px; font-weight: bold; '
            f'text-align: right; padding-right: 8px;">{value}</td>'
            f"<td>{'ng/mL' if given else 'not given'}</td></tr>"
        )
    parts.append("</table>")
    for label, percent, colour in bars:
        note = " (override)" if override and label.startswith("NMDA") else ""
        parts.append(
            '<div style="font-size: 24px; display: flex; justify-content: space-between;">'
            f"<span>{html.escape(label)}{note}</span>"
            f'<span class="painnet-occupancy" style="font-weight: bold;">{percent:.0f} %</span></div>'
            '<div style="height: 22px; background: #e6e6e6; border: 2px solid black; '
            'margin-bottom: 6px;">'
            f'<div style="height: 100%; width: {min(max(percent, 0.0), 100.0):.1f}%; '
            f'background: {colour};"></div></div>'
        )
    parts.append("</div>")
    return "".join(parts)
