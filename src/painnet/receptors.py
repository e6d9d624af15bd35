"""Synaptic receptor equations shared by both neuron kernels.

Conductances are in nS, voltages in mV, concentrations in µM. These are plain numpy-compatible
functions; the numba kernel compiles the same functions, so the equations exist once.
"""

from __future__ import annotations

import math

import numpy as np

JAHR_STEVENS_SLOPE = 0.062
"""Voltage sensitivity of the Mg²⁺ block (1/mV) — Jahr & Stevens 1990, as coded in Aguiar 2010."""

JAHR_STEVENS_KD_UM = 3570.0
"""Mg²⁺ dissociation constant at 0 mV (µM; 3.57 mM) — Jahr & Stevens 1990."""


def mg_block(v: np.ndarray | float, magnesium: float) -> np.ndarray | float:
    """Fraction of NMDA conductance not blocked by Mg²⁺ at membrane potential ``v`` (mV).

    B(V) = 1 / (1 + exp(-0.062 V) [Mg²⁺]o / 3.57 mM) (Jahr & Stevens 1990); ``magnesium`` in µM.
    B = 0.06 at -65 mV, 0.23 at -40 mV, 0.78 at 0 mV for 1 mM Mg²⁺.
    """
    return 1.0 / (1.0 + np.exp(-JAHR_STEVENS_SLOPE * v) * (magnesium / JAHR_STEVENS_KD_UM))


def dual_exponential_peak_norm(tau_rise: float, tau_decay: float) -> float:
    """Factor that scales ``exp(-t/tau_decay) - exp(-t/tau_rise)`` to a peak of 1.

    With it, a synaptic weight is the peak conductance of one unitary event.
    """
    t_peak = tau_decay * tau_rise / (tau_decay - tau_rise) * math.log(tau_decay / tau_rise)
    return 1.0 / (math.exp(-t_peak / tau_decay) - math.exp(-t_peak / tau_rise))
