"""The fast (spiking) and slow (transfer-table) clocks agree where both can run (issue 3).

Protocol both clocks can run: ongoing C input at 1 Hz from 2 to 22 min, 80 % NMDA block from
12 min; projection-neuron firing and the excitability index compared minute by minute. The
slow clock uses the bundled table of the default network (seed 1) and 10-s steps.

Stated tolerances: mean projection rate in each phase within 30 % (or 3 Hz) of the fast clock;
excitability within 0.15 at the end of each phase.
"""

from __future__ import annotations

import numpy as np
import pytest

from painnet.config.loading import config_from_dict
from painnet.engine.layout import S
from painnet.model import PainModel
from painnet.slowclock.clock import simulate_slow
from painnet.slowclock.transfer import find

pytestmark = pytest.mark.slow

PHASES = {"sensitized": (7.0, 12.0), "blocked": (17.0, 22.0), "after": (23.0, 25.0)}


def _config(clock: str):
    return config_from_dict(
        {
            "schema_version": 1,
            "protocol": {"stimulus": "none"},
            "condition": {
                "ongoing_input": [
                    {"population": "C", "rate": "1 Hz", "start": "2 min", "duration": "20 min"}
                ]
            },
            "drugs": {"nmda_block": 0.8, "nmda_block_start": "12 min"},
            "run": {
                "seed": 1,
                "duration": "25 min",
                "clock": clock,
                "model_step": "50 ms",
                "slow_step": "10 s",
                "replicates": 2,
            },
        }
    )


@pytest.fixture(scope="module")
def clocks():
    fast_config = _config("fast")
    model = PainModel(fast_config)
    ids = np.r_[model.populations["WDR"].start : model.populations["NS"].stop]
    per_minute = round(60_000 / fast_config.run.model_step)
    minutes, rates, excitability = [], [], []
    count = model.engine.spike_count[:, ids].sum()
    for minute in range(25):
        model.run_for(per_minute)
        new = model.engine.spike_count[:, ids].sum()
        rates.append((new - count) / (len(ids) * model.engine.members * 60.0))
        count = new
        excitability.append(model.engine.state[:, S["excitability"], ids].mean())
        minutes.append(minute + 1.0)
    slow_config = _config("slow")
    table = find(slow_config)
    assert table is not None, "the bundled transfer table does not match the default network"
    slow = simulate_slow(slow_config, table)
    t = slow.times / 60_000.0
    fast = {"t": np.array(minutes), "rate": np.array(rates), "e": np.array(excitability)}
    slow_series = {
        "t": t,
        "rate": slow.series["rate_projection"].mean(axis=0),
        "e": slow.series["excitability"].mean(axis=0),
    }
    return fast, slow_series


@pytest.mark.parametrize("phase", list(PHASES))
def test_projection_rates_agree(clocks, phase):
    fast, slow = clocks
    a, b = PHASES[phase]
    # the fast series holds the mean rate of each minute ending at t
    fast_rate = fast["rate"][(fast["t"] > a) & (fast["t"] <= b)].mean()
    slow_rate = slow["rate"][(slow["t"] >= a) & (slow["t"] < b)].mean()
    assert abs(slow_rate - fast_rate) <= max(0.3 * fast_rate, 3.0), (phase, fast_rate, slow_rate)


@pytest.mark.parametrize("minute", [12.0, 22.0, 25.0])
def test_excitability_agrees(clocks, minute):
    fast, slow = clocks
    fast_e = float(np.interp(minute, fast["t"], fast["e"]))
    slow_e = float(np.interp(minute, slow["t"], slow["e"]))
    assert abs(slow_e - fast_e) <= 0.15, (minute, fast_e, slow_e)
