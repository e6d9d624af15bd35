"""Linear compartmental pharmacokinetics: doses → plasma and effect-site concentrations.

One drug in one patient is a linear, time-invariant system of first-order compartments
(amounts in mg, time in minutes, volumes in L):

- an **absorption depot** per extravascular route: ``dA_d/dt = −ka·A_d``; of what leaves it, a
  fraction ``F`` (bioavailability) enters the central compartment and, when a metabolite is
  modelled, a fraction ``(1 − F)·f_pre`` is converted to the metabolite on the way (first-pass);
  the rest never reaches the circulation;
- a **mammillary body**: central compartment ``V1`` with elimination clearance ``CL`` and
  peripheral compartments ``(Q_i, V_i)`` exchanging with it,
  ``dA_1/dt = input − (CL/V1)·A_1 − Σ Q_i (A_1/V1 − A_i/V_i)``, ``dA_i/dt = Q_i (A_1/V1 − A_i/V_i)``;
- an **effect site** without mass: ``dC_e/dt = ke0·(C_1 − C_e)`` (Sheiner 1979; SCIENCE E2);
- optionally a **metabolite** in one apparent compartment fed by the whole elimination flux of the
  parent, ``dA_m/dt = (CL/V1)·A_1 + first-pass − (CL_m/V_m)·A_m``, with its own effect site. CL_m
  and V_m are *apparent* values (divided by the unidentifiable fraction metabolised, as in Flint
  2017), so ``A_m/V_m`` is the true metabolite concentration.

Because the system is linear, a regimen is the sum of the responses to its doses (superposition).
Each response is written in closed form with the eigen-decomposition ``A = W Λ W⁻¹``: a bolus
``D`` at ``t0`` gives ``x(t) = W e^{Λ(t−t0)} W⁻¹ b D`` and a zero-order input ``R`` over
``[t0, t1]`` gives ``x(t) = R W diag(e^{λa}(e^{λ(c−a)} − 1)/λ) W⁻¹ b`` with
``c = max(t − t0, 0)``, ``a = max(t − t1, 0)``. Concentrations at any times are therefore exact
(no time step), vectorized over the times and cheap to re-evaluate after a dose is added.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

IV = "iv"

# Coincident rates (e.g. an absorption half-time equal to the effect-site half-time) make the
# eigenbasis degenerate. The scalar rates (ke0, ka, metabolite) are then split by these relative
# amounts, far below any measurement precision, until the basis is well conditioned.
_SPLITS = (0.0, 1e-7, 1e-6, 1e-5)
_MAX_CONDITION = 1e8


@dataclass(frozen=True)
class Disposition:
    """One patient's mammillary disposition of one drug (already scaled to the patient).

    Attributes:
        central_volume: V1 (L).
        clearance: elimination clearance CL from the central compartment (L/min).
        peripherals: ``(Q, V)`` of each peripheral compartment: intercompartmental clearance
            (L/min) and volume (L).
        ke0: plasma–effect-site equilibration rate constant (1/min).
    """

    central_volume: float
    clearance: float
    peripherals: tuple[tuple[float, float], ...]
    ke0: float

    def __post_init__(self) -> None:
        values = [self.central_volume, self.clearance, self.ke0]
        values += [x for pair in self.peripherals for x in pair]
        if not all(math.isfinite(v) and v > 0 for v in values):
            raise ValueError(f"disposition parameters must be finite and positive, got {self}")

    @property
    def steady_state_volume(self) -> float:
        """Vss = V1 + ΣV_i (L)."""
        return self.central_volume + sum(v for _, v in self.peripherals)


@dataclass(frozen=True)
class Absorption:
    """How a dose given by one extravascular route reaches the body.

    Attributes:
        bioavailability: F, the fraction of the dose that reaches the central compartment.
        rate: first-order absorption rate constant ka (1/min).
        to_metabolite: fraction of the *non-bioavailable* dose converted to the metabolite before
            it reaches the circulation (first-pass formation); 0 without a metabolite.
    """

    bioavailability: float
    rate: float
    to_metabolite: float = 0.0

    def __post_init__(self) -> None:
        if not (0 < self.bioavailability <= 1 and self.rate > 0 and 0 <= self.to_metabolite <= 1):
            raise ValueError(f"absorption parameters out of range: {self}")


@dataclass(frozen=True)
class Metabolite:
    """One-compartment metabolite formed from the parent's elimination (apparent parameters).

    Attributes:
        volume: apparent volume V_m (L).
        clearance: apparent clearance CL_m (L/min).
        ke0: plasma–effect-site equilibration rate constant of the metabolite (1/min).
    """

    volume: float
    clearance: float
    ke0: float

    def __post_init__(self) -> None:
        if not all(math.isfinite(v) and v > 0 for v in (self.volume, self.clearance, self.ke0)):
            raise ValueError(f"metabolite parameters must be finite and positive, got {self}")


@dataclass(frozen=True)
class DoseEvent:
    """One input of drug: a bolus (``duration == 0``) or a zero-order input (an infusion).

    Attributes:
        route: ``"iv"`` or the name of an absorption route of the drug.
        start: time the input starts (min).
        amount: drug given at once at ``start`` (mg); for boluses.
        rate: input rate from ``start`` to ``start + duration`` (mg/min); for infusions.
        duration: length of the zero-order input (min); ``inf`` runs to the end of any simulation.
    """

    route: str
    start: float
    amount: float = 0.0
    rate: float = 0.0
    duration: float = 0.0

    def __post_init__(self) -> None:
        ok = (
            math.isfinite(self.start)
            and math.isfinite(self.amount)
            and math.isfinite(self.rate)
            and not math.isnan(self.duration)
            and min(self.amount, self.rate, self.duration) >= 0
            and not (self.duration > 0 and self.amount > 0)
            and not (self.duration == 0 and self.rate > 0)
        )
        if not ok:
            raise ValueError(
                f"a dose is either an amount at one time or a rate over a duration, got {self}"
            )

    def given(self, times: np.ndarray) -> np.ndarray:
        """Cumulative amount of this input delivered by ``times`` (mg)."""
        if self.duration == 0:
            return np.where(times >= self.start, self.amount, 0.0)
        return self.rate * np.clip(times - self.start, 0.0, self.duration)


@dataclass
class _Modes:
    """Eigen-decomposition of the system entered by one route, projected onto chosen outputs.

    ``gains[k]`` is the response matrix for output set ``k``: ``y(t) = gains[k] @ e^{λ t}`` after a
    unit bolus into the route's entry compartment.
    """

    rates: np.ndarray
    gains: dict[str, np.ndarray]


@dataclass
class PKModel:
    """A drug in one patient: its disposition, absorption routes, optional metabolite and doses.

    Args:
        disposition: the mammillary body and effect site.
        routes: absorption by extravascular route name; ``"iv"`` needs no entry.
        metabolite: the optional metabolite compartment.
        events: the doses given so far (add more with :meth:`add`).
    """

    disposition: Disposition
    routes: Mapping[str, Absorption]
    metabolite: Metabolite | None = None
    events: list[DoseEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        if IV in self.routes:
            raise ValueError("'iv' enters the central compartment directly; it has no absorption")
        self._modes: dict[str, _Modes] = {}

    @property
    def route_names(self) -> tuple[str, ...]:
        """Routes this drug can be given by."""
        return (IV, *self.routes)

    def add(self, event: DoseEvent) -> None:
        """Give a dose (bolus or infusion); linear kinetics, so it adds to what is there."""
        if event.route not in self.route_names:
            raise ValueError(
                f"unknown route {event.route!r}; this drug has {', '.join(self.route_names)}"
            )
        self.events.append(event)

    def extend(self, events: Iterable[DoseEvent]) -> None:
        """Give several doses."""
        for event in events:
            self.add(event)

    # ---- outputs ----------------------------------------------------------------------------

    def concentrations(self, times: np.ndarray) -> dict[str, np.ndarray]:
        """Concentrations at ``times`` (min), in mg/L (= µg/mL).

        Returns:
            ``plasma`` and ``effect`` for the drug and, with a metabolite, ``metabolite_plasma``
            and ``metabolite_effect``; arrays shaped like ``times``.
        """
        return self._response(np.asarray(times, dtype=float), "concentrations")

    def amounts(self, times: np.ndarray) -> dict[str, np.ndarray]:
        """Drug amounts in the body at ``times`` (min), in mg (for mass-balance checks).

        Returns:
            ``depot`` (all absorption depots together), ``central`` and ``peripheral`` (all
            peripheral compartments together); arrays shaped like ``times``.
        """
        return self._response(np.asarray(times, dtype=float), "amounts")

    def given(self, times: np.ndarray) -> np.ndarray:
        """Cumulative dose given by ``times`` (min), all routes (mg)."""
        times = np.asarray(times, dtype=float)
        total = np.zeros_like(times)
        for event in self.events:
            total = total + event.given(times)
        return total

    # ---- the linear system ------------------------------------------------------------------

    def _response(self, times: np.ndarray, kind: str) -> dict[str, np.ndarray]:
        names = self._output_names(kind)
        out = np.zeros((len(names), times.size))
        flat = times.ravel()
        for event in self.events:
            modes = self._modes_for(event.route)
            gains, rates = modes.gains[kind], modes.rates
            if event.duration == 0:
                tau = flat - event.start
                after = tau >= 0
                if not after.any():
                    continue
                basis = np.exp(np.outer(rates, np.where(after, tau, 0.0))) * after
                out += event.amount * (gains @ basis)
            else:
                c = np.clip(flat - event.start, 0.0, None)
                a = np.clip(flat - event.start - event.duration, 0.0, None)
                if not c.any():
                    continue
                span = c - a  # time the input has run so far, capped at its duration
                basis = np.exp(np.outer(rates, a)) * np.expm1(np.outer(rates, span))
                basis /= rates[:, None]
                out += event.rate * (gains @ basis)
        out = np.maximum(out, 0.0)  # remove round-off below zero (e.g. at the instant of a dose)
        return {name: row.reshape(times.shape) for name, row in zip(names, out, strict=True)}

    def _output_names(self, kind: str) -> tuple[str, ...]:
        if kind == "amounts":
            return ("depot", "central", "peripheral")
        if self.metabolite is None:
            return ("plasma", "effect")
        return ("plasma", "effect", "metabolite_plasma", "metabolite_effect")

    def _modes_for(self, route: str) -> _Modes:
        if route not in self._modes:
            for split in _SPLITS:
                modes = self._decompose(route, split)
                if modes is not None:
                    self._modes[route] = modes
                    break
            else:  # pragma: no cover - would need a mammillary body with coincident modes
                raise ValueError(
                    f"cannot decompose the PK system entered by route {route!r}: its rates coincide"
                )
        return self._modes[route]

    def _decompose(self, route: str, split: float) -> _Modes | None:
        """Eigen-decomposition of the system with a depot for ``route`` (none for iv).

        State order: central, peripherals, effect site, [metabolite, metabolite effect site],
        [depot]. Every state drains, so every rate λ is negative. Returns None when the basis is
        ill conditioned (coincident rates; the caller retries with the rates split).
        """
        d, m = self.disposition, self.metabolite
        n_per = len(d.peripherals)
        i_eff = 1 + n_per
        i_met = i_eff + 1 if m is not None else None
        i_depot = i_eff + (3 if m is not None else 1) if route != IV else None
        n = i_eff + 1 + (2 if m is not None else 0) + (1 if route != IV else 0)
        A = np.zeros((n, n))
        k10 = d.clearance / d.central_volume
        A[0, 0] = -k10
        for i, (q, v) in enumerate(d.peripherals, start=1):
            A[0, 0] -= q / d.central_volume
            A[0, i] = q / v
            A[i, 0] = q / d.central_volume
            A[i, i] = -q / v
        ke0 = d.ke0 * (1 + split)
        A[i_eff, 0] = ke0 / d.central_volume
        A[i_eff, i_eff] = -ke0
        if m is not None:
            km = m.clearance / m.volume * (1 + 2 * split)
            ke0m = m.ke0 * (1 + 3 * split)
            A[i_met, 0] = k10
            A[i_met, i_met] = -km
            A[i_met + 1, i_met] = ke0m / m.volume
            A[i_met + 1, i_met + 1] = -ke0m
        entry = 0
        if i_depot is not None:
            absorption = self.routes[route]
            ka = absorption.rate * (1 + 4 * split)
            A[i_depot, i_depot] = -ka
            A[0, i_depot] = ka * absorption.bioavailability
            if m is not None:
                A[i_met, i_depot] = ka * (1 - absorption.bioavailability) * absorption.to_metabolite
            entry = i_depot

        rates, vectors = np.linalg.eig(A)
        if np.iscomplexobj(
            rates
        ):  # only from (nearly) coincident rates: compartments cannot oscillate
            if np.abs(rates.imag).max() > 1e-12 * np.abs(rates).max():
                return None
            rates, vectors = rates.real, vectors.real
        if np.linalg.cond(vectors) > _MAX_CONDITION:
            return None
        weights = np.linalg.solve(vectors, np.eye(n)[:, entry])
        modal = vectors * weights[None, :]  # state j after a unit bolus: Σ_k modal[j, k] e^{λ_k t}

        rows = [modal[0] / d.central_volume, modal[i_eff]]
        if m is not None:
            rows += [modal[i_met] / m.volume, modal[i_met + 1]]
        depot = modal[i_depot] if i_depot is not None else np.zeros(n)
        peripheral = modal[1 : 1 + n_per].sum(axis=0)
        gains = {
            "concentrations": np.array(rows),
            "amounts": np.array([depot, modal[0], peripheral]),
        }
        return _Modes(rates=rates, gains=gains)
