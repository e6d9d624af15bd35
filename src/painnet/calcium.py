"""Intracellular calcium and the Ca²⁺-activated non-selective cation (CAN) current.

NMDA receptors let Ca²⁺ in; a slow calcium pool (decay ~3 s) builds up when C-fibre volleys come
faster than it clears, and gates a depolarizing CAN current — the plateau that makes each response
larger than the last (wind-up; Aguiar, Sousa & Lima 2010, SCIENCE C1 and I.1). Units: µM, ms.
"""

from __future__ import annotations

import numpy as np


def calcium_influx(
    nmda_current: np.ndarray | float, calcium_fraction: float, per_charge: float, dt: float
) -> np.ndarray | float:
    """Rise in Ca²⁺ (µM) during ``dt`` (ms) from an NMDA current (pA, negative = inward).

    Only inward current carries Ca²⁺ in; ``calcium_fraction`` of it is Ca²⁺ (Burnashev 1995) and
    ``per_charge`` (µM/pC) lumps the pool volume and buffering.
    """
    return per_charge * calcium_fraction * np.maximum(-nmda_current, 0.0) * dt * 1e-3


def can_gate_rate(
    calcium: np.ndarray | float, gate: np.ndarray | float, half_activation: float, tau_max: float
) -> np.ndarray | float:
    """d(gate)/dt (1/ms) of the CAN gate (Aguiar 2010 iCaAN).

    m∞ = c²/(1 + c²) and τ = τ_max/(1 + c²) with c = Ca/K: the gate opens slowly (τ ≈ 2 s at
    Ca = K for τ_max = 4 s) and the current is g m² (V - E_CAN).
    """
    c2 = (calcium / half_activation) ** 2
    return (c2 / (1.0 + c2) - gate) * (1.0 + c2) / tau_max
