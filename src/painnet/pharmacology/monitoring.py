"""The patient monitor: vital signs from effect-site concentrations, and alarms.

- **Dissociation score** (0–100): rises linearly with racemic-equivalent ketamine concentration
  from ``dissociation_onset`` (0) to ``dissociation_full`` (100) — Bowdle 1998: psychedelic
  effects linear in plasma level from 50 to 200 ng/mL (SCIENCE D3, F3).
- **Heart rate** (bpm): ``HR₀ + E_HR·C^n/(C^n + C50^n)`` (Tweed 1972 / Bovill 1972 via AnaSim:
  26 bpm, 2 µg/mL, n 3; SCIENCE F4).
- **Mean arterial pressure** (mmHg): ``MAP₀·(1 + E_MAP·C^n/(C^n + C50^n))`` (Tweed 1972 +28 %).
- **Respiratory drive** (fraction of baseline ventilation at fixed end-tidal CO₂):
  ``1/(1 + (C_e,morphine/C50)^γ)`` (Dahan 2004: 32 nM, γ 1). Ketamine largely preserves the
  ventilatory CO₂ response (Gautier & Gaudy 1978, SCIENCE F4) and is left out.

Ketamine enters as its effect-site concentration in racemic-equivalent ng/mL: S-ketamine
concentrations are multiplied by K_racemic/K_S at the NMDA site (0.5/0.30), the same potency
ratio that sets its NMDA block (assumption: side effects scale with NMDA potency). Norketamine
is left out (no contribution to cognitive effects, Olofsen 2012; SCIENCE D4).
"""

from __future__ import annotations

import numpy as np

from painnet.config.drugs import Monitoring


def _sigmoid(concentration: np.ndarray, c50: float, hill: float) -> np.ndarray:
    ratio = (np.asarray(concentration, dtype=float) / c50) ** hill
    return ratio / (1.0 + ratio)


def vital_signs(
    ketamine_ng_ml: np.ndarray, morphine_um: np.ndarray, monitor: Monitoring
) -> dict[str, np.ndarray]:
    """Vital signs from effect-site concentrations.

    Args:
        ketamine_ng_ml: racemic-equivalent ketamine effect-site concentration (ng/mL).
        morphine_um: morphine effect-site concentration (µM).
        monitor: the monitoring parameters.

    Returns:
        ``dissociation`` (score 0–100), ``heart_rate`` (bpm), ``mean_arterial_pressure``
        (mmHg) and ``respiratory_drive`` (fraction of baseline).
    """
    span = monitor.dissociation_full - monitor.dissociation_onset
    haemodynamic = _sigmoid(ketamine_ng_ml, monitor.haemodynamic_c50, monitor.haemodynamic_hill)
    depression = _sigmoid(morphine_um, monitor.respiratory_c50, monitor.respiratory_hill)
    return {
        "dissociation": 100.0 * np.clip((ketamine_ng_ml - monitor.dissociation_onset) / span, 0, 1),
        "heart_rate": monitor.heart_rate_baseline + monitor.heart_rate_emax * haemodynamic,
        "mean_arterial_pressure": monitor.pressure_baseline
        * (1.0 + monitor.pressure_emax * haemodynamic),
        "respiratory_drive": 1.0 - depression,
    }


def alarms(signs: dict[str, np.ndarray], monitor: Monitoring) -> dict[str, np.ndarray]:
    """Alarm flags from vital signs (:func:`vital_signs`).

    Returns:
        Boolean arrays: ``tachycardia`` (heart rate above ``alarm_heart_rate``),
        ``hypertension`` (MAP above ``alarm_pressure``), ``respiratory_depression`` (drive below
        ``alarm_respiratory``) and ``dissociation`` (score at or above ``alarm_dissociation``).
    """
    return {
        "tachycardia": signs["heart_rate"] > monitor.alarm_heart_rate,
        "hypertension": signs["mean_arterial_pressure"] > monitor.alarm_pressure,
        "respiratory_depression": signs["respiratory_drive"] < monitor.alarm_respiratory,
        "dissociation": signs["dissociation"] >= monitor.alarm_dissociation,
    }
