"""Engine and model: kernels agree, seeds reproduce, nmda_block 0 is no drug, rules plug in."""

from __future__ import annotations

import numpy as np
import pytest

from painnet.model import PainModel
from plugins import sensitizing  # noqa: F401  (registers "sensitizing_wdr")


def _run(config, ms=None):
    model = PainModel(config)
    model.run_for_time(config.duration if ms is None else ms)
    return model


def test_numba_and_numpy_kernels_agree(small_config):
    small_config.run.replicates = 2
    a = _run(
        small_config.model_copy(
            update={"run": small_config.run.model_copy(update={"kernel": "numba"})}
        ),
        1500,
    )
    b = _run(
        small_config.model_copy(
            update={"run": small_config.run.model_copy(update={"kernel": "numpy"})}
        ),
        1500,
    )
    sa, sb = a.engine.spikes(), b.engine.spikes()
    assert len(sa[0]) > 100, "the test must exercise spiking"
    for x, y in zip(sa, sb, strict=True):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_allclose(a.engine.state, b.engine.state, rtol=1e-9, atol=1e-9)


def test_same_seed_identical_different_seed_differs(small_config):
    a, b = _run(small_config), _run(small_config)
    for x, y in zip(a.engine.spikes(), b.engine.spikes(), strict=True):
        np.testing.assert_array_equal(x, y)
    small_config.run.seed = 99
    c = _run(small_config)
    assert not np.array_equal(a.engine.spikes()[1], c.engine.spikes()[1])


def test_member_result_independent_of_batch_size(small_config):
    one = _run(small_config)
    small_config.run.replicates = 3
    three = _run(small_config)
    m, t, n = three.engine.spikes()
    np.testing.assert_array_equal(one.engine.spikes()[1], t[m == 0])
    np.testing.assert_array_equal(one.engine.spikes()[2], n[m == 0])


def test_nmda_block_zero_is_bit_identical_to_no_drug(small_config):
    none = _run(small_config)
    small_config.drugs.nmda_block = 0.0
    zero = _run(small_config)
    np.testing.assert_array_equal(none.engine.state, zero.engine.state)
    for x, y in zip(none.engine.spikes(), zero.engine.spikes(), strict=True):
        np.testing.assert_array_equal(x, y)


def test_full_nmda_block_removes_nmda_calcium(small_config):
    small_config.drugs.nmda_block = 1.0
    model = _run(small_config)
    wdr = model.populations["WDR"]
    calcium = model.engine.state[0, 7, wdr.start : wdr.stop]
    resting = model.config.model.receptors.calcium.resting
    np.testing.assert_allclose(calcium, resting, rtol=1e-9)


def test_agents_are_views_onto_engine_arrays(small_config):
    model = PainModel(small_config)
    wdr = next(a for a in model.agents if a.population == "WDR")
    wdr.v = -42.0
    assert model.engine.state[0, 0, wdr.index] == -42.0
    assert wdr.cell.coordinate == wdr.index
    assert len(model.agents) == model.graph.number_of_nodes()


def test_custom_agent_rule_from_outside_changes_network(small_config):
    baseline = _run(small_config)
    small_config.model.populations["WDR"].type = "sensitizing_wdr"
    # re-validate so the type is checked against the registry
    from painnet.config import config_from_dict

    config = config_from_dict(small_config.model_dump(mode="json"))
    custom = _run(config)
    assert any(type(a).__name__ == "SensitizingWDR" for a in custom.agents)
    wdr = custom.populations["WDR"]
    base_spikes = baseline.engine.spike_count[0, wdr.start : wdr.stop].sum()
    custom_spikes = custom.engine.spike_count[0, wdr.start : wdr.stop].sum()
    assert custom_spikes > 1.2 * base_spikes
    assert (
        custom.engine.cell[0, 7, wdr.start : wdr.stop].max() > 0
    )  # bias current raised by the rule


def test_unknown_agent_type_is_a_config_error(small_config):
    from painnet.config import config_from_dict
    from painnet.errors import ConfigError

    data = small_config.model_dump(mode="json")
    data["model"]["populations"]["WDR"]["type"] = "wdrr"
    with pytest.raises(ConfigError, match="did you mean 'wdr'"):
        config_from_dict(data)


def test_windup_emerges_only_with_can_and_nmda_calcium(small_config):
    """Ablations (SCIENCE I.1): no CAN or no NMDA calcium → no growth across the train."""
    from painnet.run import simulate

    small_config.protocol.pulses = 8
    small_config.protocol.frequency = 1.0
    intact = simulate(small_config).summary["WDR"]
    small_config.model.populations["WDR"].cell.can_conductance = "0 nS"
    no_can = simulate(small_config).summary["WDR"]
    assert intact["windup_ratio"] > 1.5
    assert no_can["windup_ratio"] < intact["windup_ratio"] - 0.5


def test_broken_agent_type_plugin_is_a_one_line_error(monkeypatch):
    import painnet.agents as agents
    from painnet.errors import PainnetError

    class BrokenEntryPoint:
        name, value = "broken", "nowhere.module:Thing"

        def load(self):
            raise ModuleNotFoundError("No module named 'nowhere'")

    monkeypatch.setattr(agents, "_ENTRY_POINTS_LOADED", False)
    monkeypatch.setattr(agents, "entry_points", lambda group: [BrokenEntryPoint()])
    with pytest.raises(
        PainnetError, match=r"plugin 'broken' \(nowhere.module:Thing\) failed to load"
    ):
        agents.agent_types()


def test_agent_rules_run_for_every_member_so_batches_do_not_matter(small_config):
    """A rule changes each member's arrays; a member's result is the same alone or in a batch."""
    from painnet.config import config_from_dict

    small_config.model.populations["WDR"].type = "sensitizing_wdr"
    config = config_from_dict(small_config.model_dump(mode="json"))
    alone = _run(config)
    config.run.replicates = 3
    batch = _run(config)
    wdr = alone.populations["WDR"]
    bias = batch.engine.cell[:, 7, wdr.start : wdr.stop]
    assert (bias.max(axis=1) > 0).all(), "the rule must act on every member"
    m, t, n = batch.engine.spikes()
    np.testing.assert_array_equal(alone.engine.spikes()[1], t[m == 0])
    np.testing.assert_array_equal(alone.engine.spikes()[2], n[m == 0])
