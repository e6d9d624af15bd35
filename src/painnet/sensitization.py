"""Central sensitization beyond wind-up: synaptic LTP, activity-maintained excitability, chronic state.

Three slow states per dorsal-horn neuron (rows ``potentiation``, ``excitability`` and ``chronic``
of the engine state), all driven by the neuron's NMDA-dependent calcium pool ``c`` (µM), so NMDA
block reaches each of them only through calcium (SCIENCE §0, §B, §C4, §F2; DESIGN §2):

- **LTP** (minutes to hours; Graupner & Brunel 2012)::

      τ dρ/dt = −ρ(1−ρ)(ρ*−ρ) + γp (1−ρ) Θ[c−θp] − γd ρ Θ[c−θd]

  bistable (ρ = 0 DOWN, ρ = 1 UP); block before induction keeps c below θp (no LTP), block after
  induction leaves an UP synapse UP (Benrath et al. 2005).
- **Excitability** (minutes): ``de/dt = (e∞ − e)/τ``, ``e∞ = h(c − c_rest; K_e, n_e)`` with
  ``h(x; K, n) = xⁿ/(xⁿ + Kⁿ)``, τ = τ_on rising and τ_off falling: kept up by ongoing NMDA
  calcium, lost under NMDA block while the drive continues (Woolf & Thompson 1991).
- **Chronic** (days–weeks): ``ds/dt = a(1−s)/τ_on − (1−a) s/τ_off``, ``a = h(c − c_rest; K_s,
  n_s)`` the NMDA "refresh" (τ_on = onset half-life / ln 2; Dahan et al. 2011).

Their effects on the network are cell parameters read by the kernels::

    synaptic_gain         = (1 + (g_LTP − 1) ρ) (1 + (g_chronic − 1) s)   (plastic AMPA weights)
    sensitization_current = e I_e + s I_s                                  (pA, depolarizing)

Updates use the calcium at the end of each model step, held constant over the step; e and s are
integrated exactly for constant calcium (any step length, so the slow clock uses the same
functions), ρ with Euler sub-steps short enough for stability.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np

from painnet.config.schema import ExperimentConfig
from painnet.engine.layout import C, K, S


def hill(x: np.ndarray, half: np.ndarray | float, n: np.ndarray | float) -> np.ndarray:
    """``xⁿ/(xⁿ + Kⁿ)`` for x ≥ 0 (negative x counts as 0)."""
    xn = np.maximum(x, 0.0) ** n
    return xn / (xn + half**n)


@dataclass(frozen=True)
class SensitizationParameters:
    """Per-member parameters as column arrays (shape ``(B, 1)``), in ms, µM, pA."""

    ltp_on: np.ndarray
    theta_d: np.ndarray
    theta_p: np.ndarray
    gamma_p: np.ndarray
    gamma_d: np.ndarray
    ltp_tau: np.ndarray
    rho_star: np.ndarray
    ltp_gain: np.ndarray
    exc_on: np.ndarray
    exc_half: np.ndarray
    exc_hill: np.ndarray
    exc_tau_on: np.ndarray
    exc_tau_off: np.ndarray
    exc_current: np.ndarray
    chr_on: np.ndarray
    chr_half: np.ndarray
    chr_hill: np.ndarray
    chr_tau_on: np.ndarray
    chr_tau_off: np.ndarray
    chr_current: np.ndarray
    chr_gain: np.ndarray

    @classmethod
    def from_configs(cls, members: Sequence[ExperimentConfig]) -> SensitizationParameters:
        """One row per member config."""

        def col(get) -> np.ndarray:
            return np.array([[float(get(m.model.sensitization))] for m in members])

        return cls(
            ltp_on=col(lambda s: s.ltp.enabled),
            theta_d=col(lambda s: s.ltp.depression_threshold),
            theta_p=col(lambda s: s.ltp.potentiation_threshold),
            gamma_p=col(lambda s: s.ltp.gamma_potentiation),
            gamma_d=col(lambda s: s.ltp.gamma_depression),
            ltp_tau=col(lambda s: s.ltp.tau),
            rho_star=col(lambda s: s.ltp.unstable_point),
            ltp_gain=col(lambda s: s.ltp.potentiated_gain),
            exc_on=col(lambda s: s.excitability.enabled),
            exc_half=col(lambda s: s.excitability.half_activation),
            exc_hill=col(lambda s: s.excitability.hill),
            exc_tau_on=col(lambda s: s.excitability.tau_on),
            exc_tau_off=col(lambda s: s.excitability.tau_off),
            exc_current=col(lambda s: s.excitability.current),
            chr_on=col(lambda s: s.chronic.enabled),
            chr_half=col(lambda s: s.chronic.half_activation),
            chr_hill=col(lambda s: s.chronic.hill),
            chr_tau_on=col(lambda s: s.chronic.onset_half_life / math.log(2.0)),
            chr_tau_off=col(lambda s: s.chronic.decay_time),
            chr_current=col(lambda s: s.chronic.current),
            chr_gain=col(lambda s: s.chronic.synaptic_gain),
        )


def advance_potentiation(
    rho: np.ndarray, above_p: np.ndarray, above_d: np.ndarray, dt: float, p: SensitizationParameters
) -> np.ndarray:
    """ρ after ``dt`` ms of the Graupner–Brunel rule.

    ``above_p`` and ``above_d`` are the fractions of the step (or of a population's neurons)
    with calcium above θp and θd: 0 or 1 for one neuron on the fast clock, population averages
    on the slow clock.
    """
    fastest = float(np.max((p.gamma_p + p.gamma_d + 1.0) / p.ltp_tau))
    n_sub = max(1, math.ceil(dt * fastest / 0.05))
    args = np.broadcast_arrays(
        np.asarray(rho, float),
        np.asarray(above_p, float),
        np.asarray(above_d, float),
        p.ltp_tau,
        p.gamma_p,
        p.gamma_d,
        p.rho_star,
    )
    flat = [np.ascontiguousarray(a, dtype=float).ravel() for a in args]
    out = _graupner_brunel(*flat, dt / n_sub, n_sub).reshape(args[0].shape)
    return np.where(p.ltp_on > 0, out, 0.0)


@numba.njit(cache=True)
def _graupner_brunel(rho, above_p, above_d, tau, gamma_p, gamma_d, rho_star, h, n_sub):
    """Euler sub-steps of the Graupner–Brunel equation, element by element (clipped to [0, 1])."""
    out = rho.copy()
    for i in range(out.size):
        r = out[i]
        for _ in range(n_sub):
            drift = (
                -r * (1.0 - r) * (rho_star[i] - r)
                + gamma_p[i] * (1.0 - r) * above_p[i]
                - gamma_d[i] * r * above_d[i]
            )
            r = min(1.0, max(0.0, r + h / tau[i] * drift))
        out[i] = r
    return out


def advance_excitability(
    e: np.ndarray, target: np.ndarray, dt: float, p: SensitizationParameters
) -> np.ndarray:
    """The excitability e after ``dt`` ms relaxing toward ``target`` = e∞ (exact)."""
    tau = np.where(target > e, p.exc_tau_on, p.exc_tau_off)
    e = target + (e - target) * np.exp(-dt / tau)
    return np.where(p.exc_on > 0, e, 0.0)


def advance_chronic(
    s: np.ndarray, refresh: np.ndarray, dt: float, p: SensitizationParameters
) -> np.ndarray:
    """The chronic state s after ``dt`` ms at NMDA refresh ``a`` (exact: the equation is linear)."""
    rise = refresh / p.chr_tau_on
    rate = rise + (1.0 - refresh) / p.chr_tau_off
    target = rise / rate
    advanced = target + (s - target) * np.exp(-rate * dt)
    return np.where(p.chr_on > 0, advanced, s)  # disabled: the state stays as set


def excitability_target(above_rest: np.ndarray, p: SensitizationParameters) -> np.ndarray:
    """e∞ of calcium ``above_rest`` (µM)."""
    return hill(above_rest, p.exc_half, p.exc_hill)


def chronic_refresh(above_rest: np.ndarray, p: SensitizationParameters) -> np.ndarray:
    """The NMDA refresh a of calcium ``above_rest`` (µM)."""
    return hill(above_rest, p.chr_half, p.chr_hill)


def synaptic_gain(rho: np.ndarray, s: np.ndarray, p: SensitizationParameters) -> np.ndarray:
    """Multiplier of plastic AMPA weights onto a neuron."""
    chronic = np.where(p.chr_on > 0, 1.0 + (p.chr_gain - 1.0) * s, 1.0)
    return (1.0 + (p.ltp_gain - 1.0) * rho) * chronic


def sensitization_current(e: np.ndarray, s: np.ndarray, p: SensitizationParameters) -> np.ndarray:
    """Depolarizing current (pA) from the excitability and chronic states."""
    return e * p.exc_current + np.where(p.chr_on > 0, s * p.chr_current, 0.0)


class SensitizationStates:
    """Advances the three states of the sensitizing neurons of an engine between kernel calls.

    Args:
        members: one config per batch member (their ``model.sensitization`` and
            ``condition.chronic_state``).
        state, cell, const: the engine's arrays (updated in place).
        neurons: the neurons the states act on (dorsal-horn neurons of types that sensitize:
            :func:`painnet.agents.sensitizes`; not inhibitory interneurons).
    """

    def __init__(
        self,
        members: Sequence[ExperimentConfig],
        state: np.ndarray,
        cell: np.ndarray,
        const: np.ndarray,
        neurons: np.ndarray,
    ) -> None:
        self.p = SensitizationParameters.from_configs(members)
        self.state, self.cell, self.const = state, cell, const
        self.dh = np.asarray(neurons, dtype=np.int64)
        initial = np.array([[m.condition.chronic_state or 0.0] for m in members])
        state[:, S["chronic"], self.dh] = initial
        self.apply()

    def step(self, dt: float) -> None:
        """Advance every state by ``dt`` ms at the current calcium, then update the effects."""
        st, dh = self.state, self.dh
        calcium = st[:, S["calcium"], dh]
        above = calcium - self.const[:, [K["calcium_resting"]]]
        p = self.p
        st[:, S["potentiation"], dh] = advance_potentiation(
            st[:, S["potentiation"], dh],
            (calcium > p.theta_p).astype(float),
            (calcium > p.theta_d).astype(float),
            dt,
            p,
        )
        st[:, S["excitability"], dh] = advance_excitability(
            st[:, S["excitability"], dh], excitability_target(above, p), dt, p
        )
        st[:, S["chronic"], dh] = advance_chronic(
            st[:, S["chronic"], dh], chronic_refresh(above, p), dt, p
        )
        self.apply()

    def apply(self) -> None:
        """Write the states' effects into the cell parameters the kernels read."""
        st, dh = self.state, self.dh
        rho, e, s = (st[:, S[k], dh] for k in ("potentiation", "excitability", "chronic"))
        self.cell[:, C["synaptic_gain"], dh] = synaptic_gain(rho, s, self.p)
        self.cell[:, C["sensitization_current"], dh] = sensitization_current(e, s, self.p)
