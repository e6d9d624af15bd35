"""The slow clock: sensitization states, drugs and pain over days to weeks.

Each step (``run.slow_step``, default 1 min) of every batch member:

1. the inputs of the network are gathered at the step's start: ongoing C drive from
   ``condition.ongoing_input`` (its rate × fraction of fibres: the mean extra rate per C fibre),
   the drug effect factors from the pharmacology chain (:mod:`painnet.pharmacology`), and the
   projection neurons' synaptic gain and sensitization current from their slow states;
2. the measured transfer function (:mod:`painnet.slowclock.transfer`) gives the projection
   neurons' mean rate and their calcium statistics at those inputs;
3. the slow states advance over the step with the same equations as on the fast clock
   (:mod:`painnet.sensitization`), driven by those calcium statistics;
4. the pain score is read from the rate (:mod:`painnet.pain`; its 2-s smoothing is instant at
   this scale) and each patient agent with a PCA pump may press for a morphine bolus.

The clock is a Mesa model (:class:`SlowClockModel`) with one :class:`Patient` agent per batch
member (virtual patient).

Approximations (the price of the speed; ``tests/test_slow_clock.py`` measures their effect
against the fast clock): states are population means of the projection neurons, interneurons
keep their drug-free, unsensitized state apart from the NMDA gain and release factors; the
opioid/α2 K⁺ conductance enters as the current it carries at the leak reversal; the inhibitory
gain of the cholinergic modifier is not represented; ongoing input is C only.
"""

from __future__ import annotations

from collections.abc import Sequence

import mesa
import numpy as np
import pandas as pd

from painnet.config.schema import ExperimentConfig
from painnet.sensitization import (
    SensitizationParameters,
    advance_chronic,
    advance_excitability,
    advance_potentiation,
    sensitization_current,
    synaptic_gain,
)
from painnet.slowclock.transfer import TransferFunction


def c_drive(config: ExperimentConfig, times_ms: np.ndarray) -> np.ndarray:
    """Mean extra firing rate per C fibre (Hz) from ``condition.ongoing_input`` at ``times_ms``."""
    c_names = [n for n, p in config.model.populations.items() if p.type == "c_fibre"]
    rate = np.zeros(len(times_ms))
    for spec in config.condition.ongoing_input:
        if spec.population in c_names:
            active = (times_ms >= spec.start) & (times_ms < spec.end)
            rate += np.where(active, spec.rate * spec.fraction, 0.0)
    return rate


def unsupported(config: ExperimentConfig) -> list[str]:
    """Why ``config`` cannot run on the slow clock (empty when it can)."""
    reasons = []
    if config.protocol.trains is not None or config.protocol.stimulus != "none":
        reasons.append(
            "protocol: stimulus pulses need the fast clock (set protocol.stimulus: none, or "
            "run.clock: fast)"
        )
    types = {n: p.type for n, p in config.model.populations.items()}
    for k, spec in enumerate(config.condition.ongoing_input):
        if types.get(spec.population) != "c_fibre":
            reasons.append(
                f"condition.ongoing_input.{k}.population: the slow clock models ongoing C-fibre "
                f"input only, got {spec.population!r} (use run.clock: fast)"
            )
    return reasons


class Patient(mesa.Agent):
    """A virtual patient on the slow clock: its drugs, its PCA pump, its dorsal horn's states.

    The patient's pharmacology (:class:`~painnet.pharmacology.Pharmacology`, with its own
    between-subject draw) gives the drug effects; each step the patient reads its pain score
    and, with a PCA pump, may press for a morphine bolus (lockout and hourly limit permitting),
    which then changes its future concentrations. Opioid use is thereby an outcome of the pain
    the network produces, not an input (DESIGN §3).

    Attributes:
        index: the patient's batch-member index.
        pharmacology: its drugs.
        pump: its PCA pump, or None.
        effects: its effect factors on the model's time grid (``nmda_gain``, ``c_release``,
            ``k_conductance``), recomputed after each PCA bolus.
    """

    def __init__(self, model: SlowClockModel, index: int, pharmacology, pump) -> None:
        super().__init__(model)
        self.index = index
        self.pharmacology = pharmacology
        self.pump = pump
        self.effects = _effect_table(pharmacology, model.times)

    def step(self) -> None:
        """Press the PCA button when the pain score exceeds the pump's threshold."""
        model = self.model
        if self.pump is None or model.k >= model.n_steps:
            return
        t = float(model.times[model.k])
        given = self.pump.request(t, float(model.pain[self.index]))
        if given > 0:
            model.series["pca_bolus_mg"][self.index, model.k] = given
            self.pharmacology.add_dose("morphine", t, given, "iv")
            self.effects = _effect_table(self.pharmacology, model.times)


class SlowClockModel(mesa.Model):
    """The slow clock as a Mesa model: one :class:`Patient` agent per batch member.

    ``step()`` advances one ``run.slow_step``: the network's response at the current inputs
    (vectorized over patients, from the transfer table), the pain scores, the patients' PCA
    decisions (agent rules), then the slow states over the step.

    Args:
        config: the experiment; ``run.slow_step`` sets the step, ``config.duration`` the span.
        transfer: the network's measured transfer function.
        members: per-member configs (default ``run.replicates`` copies of ``config``); they may
            differ in drugs, patient, condition and sensitization parameters.
        stream_keys: input-stream key per member (virtual-patient draws).
    """

    def __init__(
        self,
        config: ExperimentConfig,
        transfer: TransferFunction,
        members: Sequence[ExperimentConfig] | None = None,
        stream_keys: Sequence[int] | None = None,
    ) -> None:
        from painnet.pharmacology import Pharmacology
        from painnet.pharmacology.pca import PCAPump
        from painnet.seeds import stream

        super().__init__(rng=config.run.seed)
        self.config = config
        self.transfer = transfer
        self.members = list(members) if members is not None else [config] * config.run.replicates
        keys = list(stream_keys) if stream_keys is not None else list(range(len(self.members)))
        b = len(self.members)
        self.dt = config.run.slow_step
        self.n_steps = int(np.ceil(config.duration / self.dt))
        self.times = np.arange(self.n_steps + 1) * self.dt
        self.k = 0
        self.p = SensitizationParameters.from_configs(self.members)
        self.patients = [
            Patient(
                self,
                i,
                Pharmacology.from_config(m.drugs, rng=stream(config.run.seed, "patients", key)),
                PCAPump.from_config(m.drugs.morphine.pca)
                if m.drugs.morphine is not None and m.drugs.morphine.pca is not None
                else None,
            )
            for i, (m, key) in enumerate(zip(self.members, keys, strict=True))
        ]
        self.potassium = np.array([m.model.receptors.potassium.reversal for m in self.members])
        projection = _projection_cells(config)
        self.leak_reversal = float(
            np.mean([config.model.populations[n].cell.leak_reversal for n in projection])
        )
        self.drive = np.stack([c_drive(m, self.times) for m in self.members])
        self.rho = np.zeros(b)
        self.e = np.zeros(b)
        self.s = np.array([m.condition.chronic_state or 0.0 for m in self.members])
        self.pain = np.zeros(b)
        self.half = np.array([m.model.pain.half_rate for m in self.members])
        self.hill = np.array([m.model.pain.hill for m in self.members])
        self.rate_names = [f"rate_{n}" for n in projection]
        names = (
            "pain_score",
            "rate_projection",
            "calcium",
            "potentiation",
            "excitability",
            "chronic_state",
            "pca_bolus_mg",
            "synaptic_gain",
            "current_pa",
            *self.rate_names,
        )
        self.series = {name: np.zeros((b, self.n_steps + 1)) for name in names}
        self._observe()
        self.running = self.n_steps > 0

    def _observe(self) -> None:
        """The network at the current step's inputs: rates, pain scores, state drives."""
        k, p = self.k, self.p
        fx = {
            name: np.array([patient.effects[name][k] for patient in self.patients])
            for name in ("nmda_gain", "c_release", "k_conductance")
        }
        gain = synaptic_gain(self.rho[:, None], self.s[:, None], p)[:, 0]
        current = sensitization_current(self.e[:, None], self.s[:, None], p)[:, 0] + fx[
            "k_conductance"
        ] * (self.potassium - self.leak_reversal)
        out = self.transfer(
            c_rate=self.drive[:, k],
            nmda_gain=fx["nmda_gain"],
            c_release=fx["c_release"],
            synaptic_gain=gain,
            current=current,
        )
        r = np.maximum(out["rate"], 0.0) ** self.hill
        self.pain = 10.0 * r / (r + self.half**self.hill)
        self._drives = out
        values = {
            "pain_score": self.pain,
            "rate_projection": out["rate"],
            "calcium": out["calcium"],
            "potentiation": self.rho,
            "excitability": self.e,
            "chronic_state": self.s,
            "synaptic_gain": gain,
            "current_pa": current,
            **{name: out[name] for name in self.rate_names},
        }
        for name, value in values.items():
            self.series[name][:, k] = value

    def step(self) -> None:
        """Patients act on the current pain, then the slow states advance one step."""
        self.agents.do("step")
        out, p, dt = self._drives, self.p, self.dt
        self.e = advance_excitability(self.e[:, None], out["excitability_drive"][:, None], dt, p)[
            :, 0
        ]
        self.s = advance_chronic(self.s[:, None], out["chronic_refresh"][:, None], dt, p)[:, 0]
        self.rho = advance_potentiation(
            self.rho[:, None],
            out["above_potentiation"][:, None],
            out["above_depression"][:, None],
            dt,
            p,
        )[:, 0]
        self.k += 1
        self._observe()
        if self.k >= self.n_steps:
            self.running = False

    def timeseries(self) -> pd.DataFrame:
        """One tidy table: a row per patient and step, with drugs, vital signs and states."""
        frames = []
        for patient in self.patients:
            i = patient.index
            frame = {"member": np.full(self.n_steps + 1, i), "time_h": self.times / 3.6e6}
            frame.update({name: values[i] for name, values in self.series.items()})
            frame["c_drive_hz"] = self.drive[i]
            frame.update(patient.effects)
            frame.update(patient.pharmacology.columns(self.times))
            frames.append(pd.DataFrame(frame))
        return pd.concat(frames, ignore_index=True)

    def summaries(self) -> list[dict]:
        """Scalar readouts per patient (member).

        ``pain_score_mean``/``_peak``/``_final``; ``opioid_total_mg`` (PCA morphine); the final
        ``potentiation``, ``excitability`` and ``chronic_state``; per drug (and metabolite) the
        plasma peak ``<drug>_cmax_ng_ml``, its time ``<drug>_tmax_h`` and the area under the
        plasma curve ``<drug>_auc_ng_h_ml`` over the run; and at each
        ``output.report_times`` t (hours h): ``pain_score_at_<h>h`` and ``opioid_mg_at_<h>h``
        (PCA morphine delivered up to t).
        """
        out = []
        hours = self.times / 3.6e6
        for patient in self.patients:
            i = patient.index
            pain = self.series["pain_score"][i]
            given = np.cumsum(self.series["pca_bolus_mg"][i])
            row = {
                "pain_score_mean": float(pain.mean()),
                "pain_score_peak": float(pain.max()),
                "pain_score_final": float(pain[-1]),
                "opioid_total_mg": float(given[-1]),
                "potentiation_final": float(self.series["potentiation"][i, -1]),
                "excitability_final": float(self.series["excitability"][i, -1]),
                "chronic_state_final": float(self.series["chronic_state"][i, -1]),
            }
            concentrations = patient.pharmacology.concentrations(self.times)
            for drug, values in concentrations.items():
                plasma = values["plasma_ng_ml"]
                peak = int(np.argmax(plasma))
                row[f"{drug}_cmax_ng_ml"] = float(plasma[peak])
                row[f"{drug}_tmax_h"] = float(hours[peak])
                row[f"{drug}_auc_ng_h_ml"] = float(np.trapezoid(plasma, hours))
            for t in self.members[i].output.report_times:
                label = f"{t / 3.6e6:g}h"
                row[f"pain_score_at_{label}"] = float(np.interp(t / 3.6e6, hours, pain))
                row[f"opioid_mg_at_{label}"] = float(
                    given[min(np.searchsorted(self.times, t, "right") - 1, len(given) - 1)]
                )
            out.append(row)
        return out

    @property
    def opioid_total_mg(self) -> np.ndarray:
        """PCA morphine delivered per patient (mg)."""
        return np.array([p.pump.total_mg if p.pump is not None else 0.0 for p in self.patients])


def simulate_slow(
    config: ExperimentConfig,
    transfer: TransferFunction,
    members: Sequence[ExperimentConfig] | None = None,
    stream_keys: Sequence[int] | None = None,
    progress: bool = False,
) -> SlowClockModel:
    """Run ``config`` (and its batch members) on the slow clock to its end; returns the model."""
    from painnet.progress import progress_bar

    model = SlowClockModel(config, transfer, members, stream_keys)
    label = f"slow clock: {config.duration / 3.6e6:.1f} h in {model.n_steps} steps"
    with progress_bar(progress, model.n_steps, label) as advance:
        chunk = max(1, model.n_steps // 200)
        while model.running:
            for _ in range(chunk):
                if not model.running:
                    break
                model.step()
            advance(chunk)
    return model


def _effect_table(pharma, times: np.ndarray) -> dict[str, np.ndarray]:
    """The effect factors the slow clock uses, over the whole time grid."""
    fx = pharma.effects(times)
    return {
        "nmda_gain": np.asarray(fx.nmda_gain, dtype=float),
        "c_release": np.asarray(fx.c_release, dtype=float),
        "k_conductance": np.asarray(fx.k_conductance_opioid + fx.k_conductance_descending),
    }


def _projection_cells(config: ExperimentConfig) -> list[str]:
    from painnet.agents import is_projection_type

    return [n for n, p in config.model.populations.items() if is_projection_type(p.type)]
