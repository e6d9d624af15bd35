"""Dosing regimens from the config → dose events for the pharmacokinetics.

Config times are in ms (painnet's canonical unit) and amounts in mg, mg/kg, mg/h or mg/kg/h;
dose events are in minutes, mg and mg/min. Per-kilogram amounts are multiplied by the patient's
body mass.

Target entries (``kind: target``, an idealized target-controlled infusion) are not dose events:
they hold the concentration at a level during a window (:func:`target_windows`), which
:class:`~painnet.pharmacology.patient.Pharmacology` applies on top of the kinetics.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from painnet.config.drugs import Bolus, DoseEntry, Infusion, Repeated, Target, Titration
from painnet.pharmacology.pk import Disposition, DoseEvent

MS_PER_MIN = 6e4
_MG_PER_L = 1e-3  # per ng/mL


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
        elif isinstance(entry, Target):
            continue  # not a dose event: see target_windows
        else:  # pragma: no cover - the config union has exactly these kinds
            raise TypeError(f"unknown regimen entry {entry!r}")
    return events


@dataclass(frozen=True)
class TargetWindow:
    """A concentration held during a time window (an ideal target-controlled infusion).

    Attributes:
        concentration: the target (mg/L, plasma and effect site).
        start: when it is reached (min).
        end: when the pump stops (min; ``inf`` for the rest of the run).
    """

    concentration: float
    start: float
    end: float

    def during(self, minutes: np.ndarray) -> np.ndarray:
        """Whether each time (min) lies in ``[start, end)``."""
        return (minutes >= self.start) & (minutes < self.end)

    def given(self, minutes: np.ndarray, disposition: Disposition) -> np.ndarray:
        """Drug a plasma-targeted pump has delivered by each time (mg).

        Holding the central compartment at C from ``start`` takes a loading dose ``V1·C``, then
        ``CL·C`` per minute for elimination plus what the peripheral compartments take up while
        they fill, ``C·V_i·(1 − exp(−Q_i·τ/V_i))`` by time τ. The effect site has no mass. (An
        effect-site-targeted pump overshoots plasma at first and gives slightly more early on.)
        """
        tau = np.clip(minutes - self.start, 0.0, self.end - self.start)
        amount = disposition.central_volume + disposition.clearance * tau
        for q, v in disposition.peripherals:
            amount = amount + v * -np.expm1(-q * tau / v)
        return np.where(minutes >= self.start, self.concentration * amount, 0.0)


def target_windows(
    regimen: Sequence[DoseEntry], target_concentration: float | None = None
) -> list[TargetWindow]:
    """The target entries of a regimen (and the drug's ``target_concentration`` shorthand).

    Args:
        regimen: the drug's regimen (entries of other kinds are skipped).
        target_concentration: the drug's ``target_concentration`` (ng/mL), held from 0 for the
            whole run; None for none.

    Returns:
        One window per target, concentrations in mg/L, times in minutes.
    """
    windows = [
        TargetWindow(
            entry.concentration * _MG_PER_L, entry.start / MS_PER_MIN, entry.end / MS_PER_MIN
        )
        for entry in regimen
        if isinstance(entry, Target)
    ]
    if target_concentration is not None:
        windows.append(TargetWindow(target_concentration * _MG_PER_L, 0.0, math.inf))
    return windows
