"""The last link of the chain: effect factors become the spiking network's per-member parameters."""

from __future__ import annotations

import numpy as np
import pytest

from painnet.config.loading import config_from_dict
from painnet.engine.layout import C, K
from painnet.model import PainModel
from painnet.run import simulate

BASE = {"schema_version": 1, "protocol": {"pulses": 2}, "run": {"seed": 1}}


def _model(*drugs: dict) -> PainModel:
    members = [config_from_dict({**BASE, "drugs": d}) for d in drugs]
    return PainModel(members[0], members=members)


def test_no_drug_leaves_every_parameter_at_its_drug_free_value():
    model = _model({})
    assert model.drug_effects is None
    assert model.engine.const[0, K["nmda_gain"]] == 1.0
    assert np.all(model.engine.cell[0, C["release_scale"]] == 1.0)
    assert np.all(model.engine.cell[0, C["potassium_conductance"]] == 0.0)


def test_effects_reach_the_engine_per_member():
    model = _model(
        {},
        {"ketamine": {"target_concentration": "300 ng/mL"}},
        {"morphine": {"target_concentration": "20 ng/mL"}},
    )
    engine, pops = model.engine, model.populations
    gain = engine.const[:, K["nmda_gain"]]
    assert gain[0] == 1.0 and gain[2] == 1.0
    assert gain[1] == pytest.approx(1 - 1.26 / (1.26 + 0.5), abs=0.02)  # 300 ng/mL = 1.26 µM
    c = pops["C"]
    release = engine.cell[:, C["release_scale"], c.start : c.stop]
    assert np.all(release[0] == 1.0)
    assert np.all(release[2] < 0.9)  # µ-opioid presynaptic inhibition of C terminals
    k = engine.cell[:, C["potassium_conductance"], pops["WDR"].start : pops["NS"].stop]
    assert np.all(k[0] == 0.0)
    opened = k[2] > 0
    assert 0.3 < opened.mean() < 0.9  # the opioid-responsive subset (default fraction 0.6)
    assert np.all(engine.cell[:, C["release_scale"], pops["I"].start : pops["I"].stop] > 0)


def test_block_window_switches_nmda_on_and_off():
    model = _model({"nmda_block": 0.8, "nmda_block_start": "100 ms", "nmda_block_end": "200 ms"})
    gains = []
    for _ in range(30):
        model.step()
        gains.append(model.engine.const[0, K["nmda_gain"]])
    assert gains[5] == 1.0 and gains[15] == pytest.approx(0.2) and gains[25] == 1.0


def test_a_run_with_drugs_writes_its_concentrations_and_vital_signs():
    config = config_from_dict(
        {**BASE, "drugs": {"ketamine": {"target_concentration": "150 ng/mL"}}}
    )
    table = simulate(config).tables["drugs"]
    assert table["ketamine_plasma_ng_ml"].iloc[-1] == pytest.approx(150, rel=0.01)
    assert table["ketamine_plasma_um"].iloc[-1] == pytest.approx(150 / 237.73, rel=0.02)
    assert 0.4 < table["occupancy_nmda"].iloc[-1] < 0.7
    assert {"heart_rate", "mean_arterial_pressure", "respiratory_drive", "dissociation"} <= set(
        table
    )
