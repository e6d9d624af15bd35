"""The slow clock: transfer table, interpolation, the Mesa model of patients, clock choice."""

from __future__ import annotations

import numpy as np
import pytest

from painnet.config.loading import config_from_dict
from painnet.errors import PainnetError
from painnet.run import simulate
from painnet.slowclock import resolved_clock
from painnet.slowclock.clock import c_drive, simulate_slow, unsupported
from painnet.slowclock.transfer import TransferFunction, fit, network_key

TINY_AXES = {
    "c_rate": (0.0, 1.0, 2.0),
    "nmda_gain": (0.2, 1.0),
    "c_release": (0.5, 1.0),
    "synaptic_gain": (1.0, 2.0),
    "current": (-15.0, 0.0, 10.0),
}


def _config(**sections):
    data = {"schema_version": 1, "protocol": {"stimulus": "none"}, "run": {"seed": 1}}
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value}
    return config_from_dict(data)


@pytest.fixture(scope="module")
def tiny_table():
    """A small table measured on the default network (a few seconds)."""
    return fit(_config(), axes=TINY_AXES, batch=72)


def test_interpolation_is_exact_for_multilinear_functions():
    rng = np.random.default_rng(0)
    axes = {"a": np.array([0.0, 1, 3]), "b": np.array([0.0, 2.0]), "c": np.array([-1.0, 0, 1, 5])}
    grid = np.meshgrid(*axes.values(), indexing="ij")
    table = TransferFunction(
        axes=axes,
        outputs={"f": 2 * grid[0] - grid[1] + 0.5 * grid[2] + 1, "g": grid[0] * grid[1]},
        key="k",
    )
    x = {k: rng.uniform(v[0], v[-1], 40) for k, v in axes.items()}
    out = table(**x)
    np.testing.assert_allclose(out["f"], 2 * x["a"] - x["b"] + 0.5 * x["c"] + 1, atol=1e-12)
    np.testing.assert_allclose(out["g"], x["a"] * x["b"], atol=1e-12)
    clipped = table(a=10.0, b=-5.0, c=0.0)  # outside the grid: its edge
    assert clipped["g"] == pytest.approx(3.0 * 0.0)
    with pytest.raises(TypeError, match="missing transfer inputs: c"):
        table(a=1.0, b=1.0)


def test_table_round_trips_through_a_file(tmp_path, tiny_table):
    path = tmp_path / "t.npz"
    tiny_table.save(path)
    again = TransferFunction.load(path)
    assert again.key == tiny_table.key and list(again.axes) == list(tiny_table.axes)
    for name, values in tiny_table.outputs.items():
        np.testing.assert_array_equal(again.outputs[name], values)


def test_measured_network_responds_to_its_inputs(tiny_table):
    """C drive raises projection firing and calcium; NMDA block lowers calcium; current adds."""
    at = {"nmda_gain": 1.0, "c_release": 1.0, "synaptic_gain": 1.0, "current": 0.0}
    quiet, driven = tiny_table(c_rate=0.0, **at), tiny_table(c_rate=2.0, **at)
    assert driven["rate"] > 10 * max(quiet["rate"], 0.5)
    assert driven["calcium"] > 3 * quiet["calcium"]
    blocked = tiny_table(c_rate=2.0, **{**at, "nmda_gain": 0.2})
    assert blocked["calcium"] < 0.5 * driven["calcium"]
    assert blocked["excitability_drive"] < driven["excitability_drive"]
    pushed = tiny_table(c_rate=1.0, **{**at, "current": 10.0})
    assert pushed["rate"] > tiny_table(c_rate=1.0, **at)["rate"]


def test_network_key_ignores_rates_but_not_the_network():
    base = _config()
    same = _config(
        model={"sensitization": {"ltp": {"gamma_potentiation": 5.0}}, "pain": {"hill": 3}}
    )
    other = _config(model={"populations": {"WDR": {"size": 25}}})
    seed = _config(run={"seed": 2})
    assert network_key(base) == network_key(same)
    assert network_key(base) != network_key(other)
    assert network_key(base) != network_key(seed)


def test_clock_choice_and_what_the_slow_clock_refuses():
    long_quiet = _config(run={"duration": "3 h"})
    assert resolved_clock(long_quiet) == "slow"
    assert resolved_clock(_config(run={"duration": "1 h"})) == "fast"
    pulses = config_from_dict({"schema_version": 1, "run": {"clock": "slow"}})
    assert resolved_clock(pulses) == "slow"
    assert "protocol" in unsupported(pulses)[0]
    with pytest.raises(PainnetError, match=r"run\.clock: slow cannot run this config"):
        simulate(pulses)
    touch = _config(condition={"ongoing_input": [{"population": "Abeta", "rate": "5 Hz"}]})
    assert "ongoing C-fibre input only" in unsupported(touch)[0]


def test_c_drive_follows_the_input_windows():
    config = _config(
        condition={
            "ongoing_input": [
                {"population": "C", "rate": "2 Hz", "start": "1 h", "duration": "1 h"},
                {"population": "C", "rate": "1 Hz", "fraction": 0.5},
            ]
        }
    )
    hours = np.array([0.5, 1.5, 2.5]) * 3.6e6
    np.testing.assert_allclose(c_drive(config, hours), [0.5, 2.5, 0.5])


def test_ongoing_input_sensitizes_and_nmda_block_reverses_it(tiny_table):
    """Excitability builds under C drive and falls back under NMDA block while the drive goes on."""
    config = _config(
        condition={"ongoing_input": [{"population": "C", "rate": "1 Hz", "start": "10 min"}]},
        drugs={"nmda_block": 0.8, "nmda_block_start": "40 min"},
        run={"duration": "70 min", "slow_step": "10 s", "seed": 1},
    )
    control = config.model_copy(
        update={"drugs": config.drugs.model_copy(update={"nmda_block": None})}
    )
    model = simulate_slow(config, tiny_table, members=[control, config])
    e = model.series["excitability"]
    minute = model.times / 60_000
    at = lambda m: np.interp(m, minute, np.arange(len(minute))).astype(int)  # noqa: E731
    assert e[0, at(5)] < 0.05
    assert e[0, at(39)] > 0.4 and e[1, at(39)] > 0.4
    assert e[0, at(69)] > 0.4  # kept while the input lasts
    assert e[1, at(69)] < 0.3 * e[1, at(39)]  # reversed under block


def test_pca_patient_agent_presses_and_respects_the_lockout(tiny_table):
    config = _config(
        condition={"ongoing_input": [{"population": "C", "rate": "2 Hz"}]},
        drugs={
            "morphine": {
                "regimen": [],
                "pca": {"bolus": "1 mg", "lockout": "10 min", "threshold": 3},
            }
        },
        run={"duration": "2 h", "slow_step": "1 min"},
        output={"report_times": ["1 h", "2 h"]},
    )
    model = simulate_slow(config, tiny_table)
    boluses = model.series["pca_bolus_mg"][0]
    given = np.flatnonzero(boluses > 0)
    assert len(given) >= 2  # pain under 2 Hz C drive is above the threshold at first
    assert np.all(np.diff(given) >= 10)  # 10-min lockout at 1-min steps
    summary = model.summaries()[0]
    assert summary["opioid_mg_at_2h"] == pytest.approx(boluses.sum())
    assert summary["opioid_mg_at_1h"] <= summary["opioid_mg_at_2h"]
    series = model.timeseries()
    assert {"morphine_plasma_ng_ml", "occupancy_mu_opioid", "respiratory_drive"} <= set(series)
    assert series["morphine_plasma_ng_ml"].max() > 0


def test_slow_clock_sweep_is_the_same_batched_or_in_processes(tmp_path):
    """A slow-clock sweep (bundled table of the default network): batching and processes agree."""
    from painnet.config import load_config
    from painnet.sweep import run_sweep

    def sweep(batch: int):
        return load_config(
            "configs/sweeps/crps_ketamine_dose_duration.yaml",
            [
                "run.duration=9 d",
                "run.slow_step=10 min",
                f"sweep.batch_size={batch}",
                "sweep.parameters={'drugs.ketamine.regimen.0.rate': ['10 mg/h', '30 mg/h'],"
                " 'drugs.ketamine.regimen.0.duration': ['0.5 h', '24 h']}",
            ],
        )

    batched = run_sweep(sweep(4), tmp_path / "batched").table
    pooled = run_sweep(sweep(1), tmp_path / "pool", jobs=2).table
    key = ["point_id", "replicate"]
    batched, pooled = (t.sort_values(key).reset_index(drop=True) for t in (batched, pooled))
    assert len(batched) == 4
    assert batched.equals(pooled[batched.columns])
    # a stronger infusion relieves more pain while it runs (30 min into it)
    by_rate = batched.groupby("drugs.ketamine.regimen.0.rate")["pain_score_at_168.5h"].mean()
    assert by_rate["30 mg/h"] < by_rate["10 mg/h"]
