"""Patient-controlled analgesia (PCA): the pump logic, without the patient or the clock.

The patient presses when the pain score is at or above ``threshold``. A press is granted, and a
bolus delivered, unless the last delivered bolus is younger than the lockout or the bolus would
take the amount delivered in the last 60 minutes above the hourly limit. Opioid use is then an
outcome of the pain the network produces, not an input (DESIGN 3; SCIENCE V9). A Mesa agent
wraps this and gives each granted bolus to :meth:`painnet.pharmacology.Pharmacology.add_dose`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from painnet.config.drugs import PCA

_HOUR_MS = 3.6e6


@dataclass
class PCAPump:
    """A PCA pump.

    Args:
        bolus_mg: drug per granted request (mg).
        lockout_ms: shortest time between two delivered boluses (ms).
        hourly_limit_mg: most drug delivered in any 60-min window (mg); None = no limit.
        threshold: pain score (0–10) at or above which the patient presses.

    Attributes:
        deliveries: ``(time_ms, mg)`` of every delivered bolus, in order.
        presses: number of presses (requests at or above the threshold).
        refused: number of presses refused (lockout or hourly limit).
    """

    bolus_mg: float
    lockout_ms: float
    hourly_limit_mg: float | None
    threshold: float
    deliveries: list[tuple[float, float]] = field(default_factory=list)
    presses: int = 0
    refused: int = 0
    _last_request_ms: float = field(default=-math.inf, repr=False)

    def __post_init__(self) -> None:
        if not (self.bolus_mg > 0 and self.lockout_ms >= 0):
            raise ValueError(
                f"PCA needs bolus_mg > 0 and lockout_ms >= 0, got {self.bolus_mg}, {self.lockout_ms}"
            )
        if self.hourly_limit_mg is not None and self.hourly_limit_mg < self.bolus_mg:
            raise ValueError(
                f"PCA hourly limit {self.hourly_limit_mg} mg is below one bolus "
                f"({self.bolus_mg} mg): no request could ever be granted"
            )

    @classmethod
    def from_config(cls, pca: PCA) -> PCAPump:
        """A pump with the configured settings (``drugs.morphine.pca``)."""
        return cls(pca.bolus, pca.lockout, pca.hourly_limit, pca.threshold)

    def request(self, time_ms: float, pain_score: float) -> float:
        """The patient's pain at ``time_ms``; returns the drug delivered now (mg), 0 if none.

        Args:
            time_ms: time of the request (ms); requests must come in time order.
            pain_score: current pain score (0–10).
        """
        if time_ms < self._last_request_ms:
            raise ValueError(
                f"PCA requests must come in time order: {time_ms} ms after {self._last_request_ms} ms"
            )
        self._last_request_ms = time_ms
        if pain_score < self.threshold:
            return 0.0
        self.presses += 1
        if self.deliveries and time_ms - self.deliveries[-1][0] < self.lockout_ms:
            self.refused += 1
            return 0.0
        if (
            self.hourly_limit_mg is not None
            and self.delivered_within(time_ms, _HOUR_MS) + self.bolus_mg > self.hourly_limit_mg
        ):
            self.refused += 1
            return 0.0
        self.deliveries.append((time_ms, self.bolus_mg))
        return self.bolus_mg

    def delivered_within(self, time_ms: float, window_ms: float) -> float:
        """Drug delivered in the ``window_ms`` before ``time_ms`` (excluding its start) (mg)."""
        return sum(mg for t, mg in self.deliveries if time_ms - window_ms < t <= time_ms)

    @property
    def total_mg(self) -> float:
        """All drug delivered so far (mg)."""
        return sum(mg for _, mg in self.deliveries)
