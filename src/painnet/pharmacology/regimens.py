"""Dosing regimens from the config → dose events for the pharmacokinetics.

Config times are in ms (painnet's canonical unit) and amounts in mg, mg/kg, mg/h or mg/kg/h;
dose events are in minutes, mg and mg/min. Per-kilogram amounts are multiplied by the patient's
body mass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from painnet.config.drugs import Bolus, DoseEntry, Infusion, Repeated, Titration
from painnet.pharmacology.pk import DoseEvent

MS_PER_MIN = 6e4


def regimen_events(regimen: Sequence[DoseEntry], body_mass: float) -> list[DoseEvent]:
    """The dose events of a regimen for a patient of ``body_mass`` kg.

    A bolus with ``over`` and every infusion or titration step is a zero-order input; an
    infusion without duration runs forever (to the end of any simulation).
    """
    events: list[DoseEvent] = []
    for entry in regimen:
        if isinstance(entry, Bolus):
            amount = entry.dose.for_patient(body_mass)
            start = entry.at / MS_PER_MIN
            if entry.over is None:
                events.append(DoseEvent(entry.route, start, amount=amount))
            else:
                duration = entry.over / MS_PER_MIN
                events.append(
                    DoseEvent(entry.route, start, rate=amount / duration, duration=duration)
                )
        elif isinstance(entry, Infusion):
            duration = math.inf if entry.duration is None else entry.duration / MS_PER_MIN
            rate = entry.rate.for_patient(body_mass) / 60.0
            events.append(
                DoseEvent(entry.route, entry.start / MS_PER_MIN, rate=rate, duration=duration)
            )
        elif isinstance(entry, Repeated):
            amount = entry.dose.for_patient(body_mass)
            for i in range(entry.count):
                start = (entry.start + i * entry.every) / MS_PER_MIN
                events.append(DoseEvent(entry.route, start, amount=amount))
        elif isinstance(entry, Titration):
            start = entry.start / MS_PER_MIN
            for step in entry.steps:
                duration = step.duration / MS_PER_MIN
                rate = step.rate.for_patient(body_mass) / 60.0
                events.append(DoseEvent(entry.route, start, rate=rate, duration=duration))
                start += duration
        else:  # pragma: no cover - the config union has exactly these kinds
            raise TypeError(f"unknown regimen entry {entry!r}")
    return events
