"""Disinhibition (condition.disinhibition) and the responding-fraction readout (allodynia index).

Config errors teach; an intact condition (inhibition kept 1, no E_Cl shift) is bit-identical to no
condition; both kernels apply it alike; it is a per-member parameter; it opens the gate so touch
drives NS neurons; the readout's definition holds on a hand-made spike train.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from painnet.config import config_from_dict, load_config
from painnet.engine.layout import C
from painnet.errors import ConfigError
from painnet.model import PainModel, structural_key
from painnet.readouts import neuron_response_table, responding_readouts
from painnet.run import advance_to_end, member_summaries, simulate

ALLODYNIA = "configs/conditions/allodynia_disinhibition.yaml"


def _run(config, ms=None):
    model = PainModel(config)
    model.run_for_time(config.duration if ms is None else ms)
    return model


def _with_condition(config, **disinhibition):
    data = config.model_dump(mode="json")
    data["condition"] = {"disinhibition": disinhibition}
    return config_from_dict(data)


# ---- config ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("disinhibition", "expected"),
    [
        (
            {"populations": ["NS", "WRD"]},
            "condition.disinhibition.populations: unknown population 'WRD' (did you mean 'WDR'?)",
        ),
        (
            {"populations": ["Abeta"]},
            "condition.disinhibition.populations: 'Abeta' is a primary afferent",
        ),
        ({"populations": []}, "condition.disinhibition.populations: empty list"),
        (
            {"inhibition_scale": 1.5},
            "condition.disinhibition.inhibition_scale: expected a fraction in [0, 1], got 1.5",
        ),
        (
            {"chloride_shift": "50 mV"},
            "condition.disinhibition.chloride_shift: expected a voltage in [0, 40] mV",
        ),
        ({"inhibiton_scale": 0.1}, "did you mean 'inhibition_scale'?"),
    ],
)
def test_condition_errors_name_the_field_and_the_fix(disinhibition, expected):
    with pytest.raises(ConfigError) as err:
        config_from_dict({"schema_version": 1, "condition": {"disinhibition": disinhibition}})
    assert any(line.startswith(expected) or expected in line for line in err.value.problems), (
        err.value.problems
    )


def test_unknown_condition_suggests_disinhibition():
    with pytest.raises(ConfigError, match="did you mean 'disinhibition'"):
        config_from_dict({"schema_version": 1, "condition": {"disinhibiton": {}}})


def test_condition_defaults_and_set_override():
    config = load_config(ALLODYNIA, ["condition.disinhibition.chloride_shift=0.02 V"])
    assert config.condition.disinhibition.chloride_shift == pytest.approx(20.0)  # mV
    assert config.condition.disinhibition.populations == ["NS", "E"]
    bare = config_from_dict({"schema_version": 1, "condition": {"disinhibition": {}}})
    assert bare.condition.disinhibition.inhibition_scale == 1.0
    assert bare.condition.disinhibition.populations is None  # every dorsal-horn population
    assert config_from_dict({"schema_version": 1}).condition.disinhibition is None


# ---- mechanism ------------------------------------------------------------------------------


def test_intact_condition_is_bit_identical_to_no_condition(small_config):
    none = _run(small_config)
    intact = _run(_with_condition(small_config, inhibition_scale=1.0, chloride_shift="0 mV"))
    np.testing.assert_array_equal(none.engine.state, intact.engine.state)
    for x, y in zip(none.engine.spikes(), intact.engine.spikes(), strict=True):
        np.testing.assert_array_equal(x, y)


def test_condition_sets_cell_rows_of_the_named_populations_only():
    config = load_config(ALLODYNIA, ["condition.disinhibition.chloride_shift=20 mV"])
    model = PainModel(config)
    reversal = config.model.receptors.gaba_a.reversal
    by_population = {}
    for agent in model.agents:
        if hasattr(agent, "inhibition_scale"):
            by_population.setdefault(agent.population, set()).add(
                (agent.inhibition_scale, agent.chloride_reversal)
            )
    assert by_population["NS"] == {(0.1, reversal + 20.0)}
    assert by_population["E"] == {(0.1, reversal + 20.0)}
    assert by_population["WDR"] == {(1.0, reversal)}
    assert by_population["I"] == {(1.0, reversal)}


def test_kernels_agree_under_disinhibition():
    config = load_config(
        ALLODYNIA,
        [
            "protocol.pulses=1",
            "run.replicates=1",
            "condition.disinhibition.inhibition_scale=0.3",
            "condition.disinhibition.chloride_shift=10 mV",
        ],
    )
    numpy_config = config.model_copy(
        update={"run": config.run.model_copy(update={"kernel": "numpy"})}
    )
    a, b = _run(config, 1200), _run(numpy_config, 1200)
    sa, sb = a.engine.spikes(), b.engine.spikes()
    ns = a.populations["NS"]
    assert np.isin(sa[2], np.asarray(ns)).sum() > 5, "the test must make NS neurons fire"
    for x, y in zip(sa, sb, strict=True):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_allclose(a.engine.state, b.engine.state, rtol=1e-9, atol=1e-9)


def test_inhibition_scale_acts_at_once_through_the_agents():
    """Writing an agent's inhibition_scale changes its input at the next step (trace unscaled)."""
    config = load_config("configs/touch.yaml", ["protocol.pulses=2", "run.replicates=1"])
    model = PainModel(config)
    for agent in model.agents:
        if agent.population in ("NS", "E"):
            agent.inhibition_scale = 0.1
    ns = model.populations["NS"]
    assert np.all(model.engine.cell[0, C["inhibition_scale"], ns.start : ns.stop] == 0.1)
    advance_to_end(model)
    opened = model.engine.spike_count[0, ns.start : ns.stop].sum()
    closed = _run(config).engine.spike_count[0, ns.start : ns.stop].sum()
    assert opened > 10 * max(closed, 1)


def test_disinhibition_is_a_per_member_parameter():
    """Control and disinhibited members share one batch, and each equals its own run."""
    control = load_config(
        ALLODYNIA, ["protocol.pulses=2", "run.replicates=1", "condition.disinhibition=null"]
    )
    treated = load_config(ALLODYNIA, ["protocol.pulses=2", "run.replicates=1"])
    assert structural_key(control) == structural_key(treated)
    batch = PainModel(control, members=[control, treated], stream_keys=[0, 0])
    advance_to_end(batch)
    both = member_summaries(batch)
    alone = simulate(treated).summary
    assert both[1]["NS"]["responding_fraction"] == alone["NS"]["responding_fraction"]
    assert both[1]["NS"]["evoked_spikes"] == alone["NS"]["evoked_spikes"]
    assert both[0]["NS"]["responding_fraction"] < both[1]["NS"]["responding_fraction"]


def test_disinhibition_lets_touch_drive_ns_neurons():
    """SCIENCE V8, quick version (seed 1, 3 touches): the gate opens for NS neurons."""
    sets = ["protocol.pulses=3", "run.replicates=1"]
    healthy = simulate(load_config("configs/touch.yaml", sets)).summary["NS"]
    disinhibited = simulate(load_config(ALLODYNIA, sets)).summary["NS"]
    assert healthy["responding_fraction"] <= 0.2
    assert disinhibited["responding_fraction"] >= 0.4
    assert disinhibited["evoked_spikes"] > 10 * max(healthy["evoked_spikes"], 0.1)


# ---- readout --------------------------------------------------------------------------------


def test_responding_fraction_definition_on_a_hand_made_spike_train():
    """Four neurons, two stimuli at 1000 and 2000 ms, window 0–500 ms, baseline 200–1000 ms.

    n0: 1 spike per stimulus, silent at baseline → responds (1 - 0 >= 1).
    n1: 1 spike after one stimulus only → 0.5 per stimulus: does not respond.
    n2: 3 spikes per stimulus, but 4 spontaneous spikes in 800 ms (5 Hz → 2.5 per window):
        3 - 2.5 < 1, does not respond.
    n3: 4 spikes per stimulus and 4 spontaneous spikes: 4 - 2.5 >= 1, responds.
    """
    spikes = {
        0: [1100, 2100],
        1: [1100],
        2: [300, 400, 500, 600, *[1010, 1020, 1030], *[2010, 2020, 2030]],
        3: [300, 400, 500, 600, *[1010, 1020, 1030, 1040], *[2010, 2020, 2030, 2040]],
    }
    neuron = np.array([n for n, ts in spikes.items() for _ in ts])
    time_ms = np.array([t for ts in spikes.values() for t in ts], dtype=float)
    member = np.zeros(len(neuron), dtype=np.int64)
    table = neuron_response_table(
        member,
        time_ms,
        neuron,
        np.array([1000.0, 2000.0]),
        {"NS": range(4)},
        members=1,
        window=(0.0, 500.0),
        baseline=(200.0, 5000.0),  # capped at the first stimulus: 800 ms
    )
    assert table["baseline_ms"].tolist() == [800.0] * 4
    assert table["evoked_spikes"].tolist() == [2, 1, 6, 8]
    assert table["baseline_spikes"].tolist() == [0, 0, 4, 4]
    readout = responding_readouts(table, "NS", threshold=1.0)
    assert readout["responding_fraction"] == 0.5  # n0 and n3
    assert readout["evoked_spikes"] == pytest.approx((1 + 0.5 + 3 + 4) / 4)
    assert readout["spontaneous_rate"] == pytest.approx((0 + 0 + 5 + 5) / 4)

    # members pool like more stimuli: a second member where n1 fires after both stimuli
    two = pd.concat([table, table.assign(member=1, evoked_spikes=[2, 2, 6, 8])])
    assert responding_readouts(two, "NS", threshold=1.0)["responding_fraction"] == 0.5
    assert responding_readouts(two, "NS", threshold=0.75)["responding_fraction"] == 0.75


def test_responding_fraction_is_nan_without_stimuli_and_present_in_every_summary(small_config):
    empty = neuron_response_table(
        np.zeros(0, np.int64),
        np.zeros(0),
        np.zeros(0, np.int64),
        np.zeros(0),
        {"NS": range(3)},
        members=1,
        window=(0.0, 500.0),
        baseline=(200.0, 1000.0),
    )
    assert np.isnan(responding_readouts(empty, "NS", 1.0)["responding_fraction"])
    summary = simulate(small_config).summary  # electrical wind-up protocol
    for population in ("WDR", "NS"):
        assert 0.0 <= summary[population]["responding_fraction"] <= 1.0
        assert summary[population]["evoked_spikes"] > 0
    assert summary["responding_fraction"] == summary["WDR"]["responding_fraction"]
