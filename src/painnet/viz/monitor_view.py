"""The live patient monitor: heart rate, blood pressure, breathing and dissociation, with alarms.

Vital signs come from the effect-site concentrations (:mod:`painnet.pharmacology.monitoring`):
ketamine raises heart rate and mean arterial pressure and makes the patient dissociate; morphine
depresses respiratory drive (ketamine leaves it alone). Each sign is a tile drawn like a bedside
monitor — coloured numerals on black — and turns into an alarm tile (black on vermillion, with
the alarm's name) when its threshold in ``drugs.monitoring`` is crossed
(:meth:`painnet.pharmacology.Pharmacology.alarms`).

HTML only, re-sent only when a shown number or alarm changes.
"""

from __future__ import annotations

import html

from painnet.plotting import OKABE_ITO
from painnet.viz.drug_view import DrugState

#: Tiles: vital-sign key, label, unit, alarm key, alarm text, numeral colour on black. Okabe–Ito
#: colours all have ≥ 5.9:1 contrast on black.
TILES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("heart_rate", "Heart rate", "bpm", "tachycardia", "HR HIGH", OKABE_ITO["bluish_green"]),
    ("mean_arterial_pressure", "MAP", "mmHg", "hypertension", "MAP HIGH", OKABE_ITO["orange"]),
    (
        "respiratory_drive",
        "Resp. drive",
        "%",
        "respiratory_depression",
        "DRIVE LOW",
        OKABE_ITO["sky_blue"],
    ),
    ("dissociation", "Dissociation", "/100", "dissociation", "DISSOCIATED", OKABE_ITO["yellow"]),
)

_ALARM_BACKGROUND = OKABE_ITO["vermillion"]  # black text on it: 5.4:1


def vital_numbers(state: DrugState) -> dict[str, str]:
    """The numerals shown per vital sign: ``70``, ``90``, ``100`` (%), ``0``."""
    v = state.vitals
    return {
        "heart_rate": f"{v['heart_rate']:.0f}",
        "mean_arterial_pressure": f"{v['mean_arterial_pressure']:.0f}",
        "respiratory_drive": f"{100.0 * v['respiratory_drive']:.0f}",
        "dissociation": f"{v['dissociation']:.0f}",
    }


class MonitorView:
    """The monitor strip; :meth:`render` returns its HTML (cached while nothing changes)."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._html = ""

    def render(self, state: DrugState) -> str:
        """The strip's HTML for ``state``."""
        numbers = vital_numbers(state)
        key = (tuple(numbers.values()), tuple(state.alarms.values()))
        if key == self._key:
            return self._html
        self._key = key
        tiles = []
        for sign, label, unit, alarm, alarm_text, colour in TILES:
            on = state.alarms.get(alarm, False)
            background, ink = (_ALARM_BACKGROUND, "black") if on else ("black", colour)
            note = f"⚠ {alarm_text}" if on else label
            tiles.append(
                f'<div class="painnet-vital{" painnet-alarm" if on else ""}" '
                f'style="background: {background}; color: {ink}; border-radius: 8px; '
                "padding: 6px 12px; display: flex; flex-direction: column; "
                'justify-content: space-between;">'
                f'<div style="font-size: 22px; font-weight: bold;">{html.escape(note)}</div>'
                f'<div><span style="font-size: 60px; font-weight: bold; line-height: 1.05;">'
                f"{numbers[sign]}</span>"
                f'<span style="font-size: 24px; margin-left: 6px;">{html.escape(unit)}</span></div>'
                "</div>"
            )
        self._html = (
            '<div style="font-family: sans-serif; padding: 0 8px;">'
            '<div style="font-size: 26px; font-weight: bold; color: black; margin-bottom: 6px;">'
            "Patient monitor</div>"
            '<div style="display: grid; grid-template-columns: 1fr 1fr; gap: 8px;">'
            f"{''.join(tiles)}</div></div>"
        )
        return self._html
