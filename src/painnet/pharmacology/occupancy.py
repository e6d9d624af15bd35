"""Receptor occupancy from concentration, and how ligands of one target combine (SCIENCE D2).

One ligand at concentration C (µM) occupies a fraction ``r/(1 + r)`` of its site, with
``r = (C/K)^n``: K the Ki or IC50, n the Hill coefficient (the 1:1 formula ``C/(C + K)`` of
SCIENCE D2 for n = 1). Ligands that bind the **same site** compete (Gaddum): each holds
``r_i/(1 + Σ r_j)``, together ``Σ r_i/(1 + Σ r_j)``. This is used for ketamine + norketamine at
the NMDA PCP site and for morphine + ketamine at the µ-opioid receptor.

An endogenous agonist tone ``a₀`` (fraction of receptors activated) meets a competitive
antagonist at ratio ``r`` as ``a = a₀/(1 + r(1 − a₀))`` — Gaddum with the agonist ratio
``x = a₀/(1 − a₀)`` — which is exactly ``a₀`` without antagonist.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def occupancy_ratio(concentration: np.ndarray, k: float, hill: float = 1.0) -> np.ndarray:
    """``r = (C/K)^n``: occupancy odds of one ligand (C and K in the same unit)."""
    return (np.asarray(concentration, dtype=float) / k) ** hill


def occupancy(concentration: np.ndarray, k: float, hill: float = 1.0) -> np.ndarray:
    """Fraction of a site held by one ligand: ``(C/K)^n / (1 + (C/K)^n)``.

    Args:
        concentration: ligand concentration (µM, or any unit shared with ``k``).
        k: concentration for half occupancy (Ki or IC50).
        hill: Hill coefficient n.
    """
    ratio = occupancy_ratio(concentration, k, hill)
    return ratio / (1.0 + ratio)


def shared_occupancy(ratios: Sequence[np.ndarray]) -> np.ndarray:
    """Fraction of a site held by several ligands competing for it: ``Σ r_i / (1 + Σ r_j)``.

    Args:
        ratios: each ligand's occupancy odds ``(C_i/K_i)^n_i`` (:func:`occupancy_ratio`).
    """
    total = np.sum(np.asarray(ratios, dtype=float), axis=0)
    return total / (1.0 + total)


def tone_with_antagonist(baseline: float, antagonist_ratio: np.ndarray) -> np.ndarray:
    """Receptor activation by an endogenous agonist tone against a competitive antagonist.

    Args:
        baseline: activation ``a₀`` without antagonist (fraction, < 1).
        antagonist_ratio: ``(C_B/K_B)^n`` of the antagonist.

    Returns:
        ``a₀/(1 + r(1 − a₀))``; exactly ``a₀`` where ``r = 0``.
    """
    return baseline / (1.0 + np.asarray(antagonist_ratio, dtype=float) * (1.0 - baseline))
