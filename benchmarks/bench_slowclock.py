"""Slow-clock benchmark: 12 weeks of a CRPS patient on a 2-core machine (issue 3 target ≤ 30 s).

    .venv/bin/python benchmarks/bench_slowclock.py     # → benchmarks/results_slowclock.json

Runs configs/scenarios/crps_ketamine_100h.yaml (S-ketamine titration, chronic state, ongoing C
input) for 12 weeks (84 days) at 1-minute steps (120,960 steps), for one patient and for a batch
of 8 virtual patients (lognormal PK variability), three repetitions each; reports the median
wall time. Also reports the spiking (fast-clock) cost of the same 12 weeks extrapolated from one
simulated minute, for the ratio. Nothing asserts on timings.
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

import numpy as np

from painnet.config import load_config
from painnet.model import PainModel
from painnet.slowclock.clock import simulate_slow
from painnet.slowclock.transfer import for_config

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "scenarios" / "crps_ketamine_100h.yaml"
WEEKS = 12


def slow(patients: int) -> float:
    sets = [f"run.duration={WEEKS * 7} d", "run.slow_step=1 min", f"run.replicates={patients}"]
    if patients > 1:
        sets.append("drugs.patient.variability=true")
    config = load_config(CONFIG, sets)
    table = for_config(config)
    simulate_slow(load_config(CONFIG, [*sets[1:], "run.duration=1 h"]), table)  # warm-up (numba)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        simulate_slow(config, table)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def fast_minute() -> float:
    config = load_config(
        CONFIG,
        ["run.clock=fast", "run.duration=70 s", "drugs.ketamine=null", "run.model_step=50 ms"],
    )
    model = PainModel(config)
    model.run_for(200)  # 10 s warm-up
    start = time.perf_counter()
    model.run_for(1200)  # one minute of biology
    return time.perf_counter() - start


def main() -> None:
    one, eight = slow(1), slow(8)
    minute = fast_minute()
    fast_12_weeks = minute * 60 * 24 * 7 * WEEKS
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {
            "nproc": len(__import__("os").sched_getaffinity(0)),
            "python": platform.python_version(),
        },
        "steps": WEEKS * 7 * 24 * 60,
        "slow_clock_12_weeks_s": {"1 patient": round(one, 2), "8 patients": round(eight, 2)},
        "fast_clock_1_min_s": round(minute, 2),
        "fast_clock_12_weeks_extrapolated_h": round(fast_12_weeks / 3600, 1),
        "speed_up": round(fast_12_weeks / one),
    }
    out = ROOT / "benchmarks" / "results_slowclock.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
