"""Condition configs (configs/conditions/), skin sites and the new readouts.

Every condition config runs the same bedside examination (rest, brush strokes, a noxious pulse
at each skin site), so its stated observation is checked against ``healthy.yaml`` at the same
seed, with numbers. The skin-site split, the site restriction of a train, the receptive-field
readout (on a hand-made spike table), the allodynia index and the sensitization indices are
tested on their own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from painnet.config import config_from_dict, load_config
from painnet.engine.layout import S
from painnet.errors import ConfigError
from painnet.model import PainModel
from painnet.protocols import fibre_site, pulse_schedule, pulse_sites, train_site
from painnet.readouts import neuron_response_table, receptive_field_readouts
from painnet.run import advance_to_end, member_summaries, simulate

CONDITIONS = Path("configs/conditions")
EXAMINED = ["healthy", "inflammation", "incision", "neuropathic", "crps", "cancer"]
ZERO_INTENSITY_SITES = [f"protocol.trains.{k}.intensity=0" for k in range(1, 5)]


@cache
def _run(name: str, *sets: str):
    """Summary and time series of a condition config (seed 1 as in the file), cached per module."""
    result = simulate(load_config(CONDITIONS / f"{name}.yaml", list(sets)))
    return result.summary, result.tables["timeseries"]


def _summary(name: str, *sets: str) -> dict:
    return _run(name, *sets)[0]


def _pain_between(name: str, start_s: float, end_s: float, *sets: str) -> float:
    series = _run(name, *sets)[1]
    inside = (series["time_s"] >= start_s) & (series["time_s"] < end_s)
    return float(series.loc[inside, "pain_score"].mean())


# ---- skin sites -----------------------------------------------------------------------------


def test_fibre_sites_are_contiguous_and_balanced():
    assert fibre_site(np.arange(8), 8, 4).tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    assert fibre_site(np.arange(10), 10, 3).tolist() == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert fibre_site(np.arange(2), 2, 4).tolist() == [0, 2]  # more sites than fibres
    assert fibre_site(np.arange(5), 5, 1).tolist() == [0] * 5


def test_every_afferent_population_is_split_into_the_sites():
    config = load_config(CONDITIONS / "healthy.yaml")
    model = PainModel(config)
    fibres = model._fibres
    assert fibres.at_site(None) is fibres
    for name in ("C", "Adelta", "Abeta"):
        ids = model.populations[name]
        mine = (fibres.ids >= ids.start) & (fibres.ids < ids.stop)
        assert np.bincount(fibres.site[mine]).tolist() == [len(ids) // 4] * 4
    site2 = fibres.at_site(2)
    assert len(site2.ids) == len(fibres.ids) // 4
    assert set(site2.site.tolist()) == {2}
    np.testing.assert_array_equal(site2.threshold, fibres.threshold[fibres.site == 2])


def test_a_train_with_a_site_fires_only_that_sites_fibres():
    """Electrical pulses at site 1, then at every site; no spontaneous afferent firing."""
    config = config_from_dict(
        {
            "schema_version": 1,
            "protocol": {
                "intensity": 3.0,
                "sites": 4,
                "after": "300 ms",
                "background": {"afferents": False},
                "trains": [
                    {"name": "one_site", "site": 1, "start": "100 ms", "pulses": 2},
                    {"name": "whole_nerve", "start": "2100 ms"},
                ],
            },
            "run": {"replicates": 1},
        }
    )
    model = PainModel(config)
    advance_to_end(model)
    _, time_ms, neuron = model.engine.spikes()
    fibres = model._fibres
    site_of = dict(zip(fibres.ids.tolist(), fibres.site.tolist(), strict=True))
    afferent = np.isin(neuron, fibres.ids)
    early = {site_of[int(i)] for i in neuron[afferent & (time_ms < 2000)]}
    late = {site_of[int(i)] for i in neuron[afferent & (time_ms > 2000)]}
    assert early == {1}
    assert late == {0, 1, 2, 3}
    fired_early = len(set(neuron[afferent & (time_ms < 2000)].tolist()))
    assert fired_early == int((fibres.site == 1).sum())  # intensity 3: every fibre recruited


def test_site_must_exist_and_schedule_carries_it():
    with pytest.raises(ConfigError, match=r"protocol\.trains\.0\.site: train 'a' names site 4"):
        config_from_dict(
            {
                "schema_version": 1,
                "protocol": {"sites": 4, "trains": [{"name": "a", "site": 4}]},
            }
        )
    protocol = config_from_dict(
        {
            "schema_version": 1,
            "protocol": {
                "sites": 2,
                "trains": [
                    {"name": "a", "site": 1, "start": "1 s"},
                    {"name": "b", "start": "2 s"},
                    {"name": "c", "site": 0, "start": "3 s", "stimulus": "touch"},
                ],
            },
        }
    ).protocol
    _, train, per_train = pulse_schedule(protocol)
    assert [train_site(p) for p in per_train] == [1, None, 0]
    assert per_train[2].stimulus == "touch"
    assert pulse_sites(protocol, train).tolist() == [1, -1, 0]
    single = config_from_dict({"schema_version": 1}).protocol
    assert pulse_sites(single, pulse_schedule(single)[1]).tolist() == [0] * 16
    assert train_site(single) is None


# ---- readouts on hand-made spikes -----------------------------------------------------------


def _site_table(spikes: dict[int, list[float]], pulses, sites, n_sites):
    neuron = np.array([n for n, ts in spikes.items() for _ in ts], dtype=np.int64)
    time_ms = np.array([t for ts in spikes.values() for t in ts], dtype=float)
    member = np.zeros(len(neuron), dtype=np.int64)
    return pd.concat(
        [
            neuron_response_table(
                member,
                time_ms,
                neuron,
                np.asarray(pulses, dtype=float),
                {"WDR": range(4)},
                members=1,
                window=(0.0, 500.0),
                baseline=(200.0, 1000.0),
                select=np.asarray(sites) == s,
            ).assign(site=s)
            for s in range(n_sites)
        ],
        ignore_index=True,
    )


def test_receptive_field_definition_on_a_hand_made_spike_table():
    """Four neurons; site 0 tested at 1000 and 3000 ms, site 1 at 2000 and 4000 ms.

    Window 0–500 ms after each pulse; baseline 200–1000 ms (800 ms before the first pulse).
    n0: 1 spike after each site-0 pulse only → site 0 only: RF 1.
    n1: 2 spikes after every pulse → both sites: RF 2.
    n2: 4 spontaneous spikes (5 Hz → 2.5 expected per window), 3 per site-0 pulse and 4 per
        site-1 pulse: 3 − 2.5 < 1 (no), 4 − 2.5 ≥ 1 (yes) → RF 1.
    n3: silent → RF 0.
    """
    pulses, sites = [1000, 2000, 3000, 4000], [0, 1, 0, 1]
    spikes = {
        0: [1100, 3100],
        1: [1010, 1020, 2010, 2020, 3010, 3020, 4010, 4020],
        2: [
            *[300, 400, 500, 600],  # spontaneous
            *[1010, 1020, 1030, 3010, 3020, 3030],  # site 0
            *[2010, 2020, 2030, 2040, 4010, 4020, 4030, 4040],  # site 1
        ],
        3: [],
    }
    table = _site_table(spikes, pulses, sites, 2)
    assert table["window_ms"].unique().tolist() == [500.0]  # capped by all pulses, not per site
    by_site = table.set_index(["site", "neuron"])["evoked_spikes"]
    assert by_site.loc[0].tolist() == [2, 4, 6, 0]
    assert by_site.loc[1].tolist() == [0, 4, 8, 0]
    assert table["baseline_spikes"].tolist() == [0, 0, 4, 0] * 2  # before the first pulse
    readout = receptive_field_readouts(table, "WDR", threshold=1.0, n_sites=2)
    assert readout["receptive_field_sites"] == pytest.approx((1 + 2 + 1 + 0) / 4)
    assert readout["receptive_field_fraction"] == pytest.approx(0.5)
    stricter = receptive_field_readouts(table, "WDR", threshold=2.0, n_sites=2)
    assert stricter["receptive_field_sites"] == pytest.approx((0 + 2 + 0 + 0) / 4)
    # a site never tested: no receptive field can be measured
    untested = receptive_field_readouts(table[table["site"] == 0], "WDR", 1.0, n_sites=2)
    assert np.isnan(untested["receptive_field_sites"])
    assert np.isnan(untested["receptive_field_fraction"])


def test_one_site_receptive_field_is_the_responding_fraction(small_config):
    summary = simulate(small_config).summary
    for population in ("WDR", "NS"):
        readouts = summary[population]
        assert readouts["receptive_field_sites"] == readouts["responding_fraction"]
        assert readouts["receptive_field_fraction"] == readouts["responding_fraction"]
    assert np.isnan(summary["allodynia_index"])  # no touch in an electrical protocol


def test_allodynia_index_is_the_ns_touch_responding_fraction():
    sets = ["protocol.pulses=3", "run.replicates=1"]
    summary = simulate(load_config("configs/conditions/allodynia_disinhibition.yaml", sets)).summary
    assert summary["allodynia_index"] == summary["NS"]["responding_fraction"]
    assert summary["allodynia_index"] == summary["NS"]["touch_responding_fraction"]
    assert summary["allodynia_index"] >= 0.4


def test_sensitization_indices_are_end_of_run_means_per_member(small_config):
    """Per member: member 1 starts with the chronic state established, member 0 does not."""
    chronic = small_config.model_copy(
        update={"condition": small_config.condition.model_copy(update={"chronic_state": 1.0})}
    )
    model = PainModel(small_config, members=[small_config, chronic], stream_keys=[0, 0])
    advance_to_end(model)
    summaries = member_summaries(model)
    projection = np.r_[
        model.populations["WDR"].start : model.populations["WDR"].stop,
        model.populations["NS"].start : model.populations["NS"].stop,
    ]
    for m, summary in enumerate(summaries):
        for key, row in (
            ("ltp_potentiation", "potentiation"),
            ("excitability", "excitability"),
            ("chronic_state", "chronic"),
        ):
            expected = model.engine.state[m, S[row], projection].mean()
            assert summary[key] == pytest.approx(expected)
            ns = model.populations["NS"]
            assert summary["NS"][key] == pytest.approx(
                model.engine.state[m, S[row], ns.start : ns.stop].mean()
            )
    assert summaries[0]["chronic_state"] < 0.01
    assert summaries[1]["chronic_state"] > 0.99
    assert summaries[0]["excitability"] > 0  # the wind-up train's NMDA calcium drives it


# ---- the condition configs ------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMINED)
def test_condition_config_states_its_goal_and_observation(name):
    config = load_config(CONDITIONS / f"{name}.yaml")
    assert config.title
    assert "Learning goal:" in config.description
    assert "What to observe:" in config.description
    assert config.duration <= 200_000  # ms: about 5 s of computing on the fast clock


def test_condition_configs_share_the_examination():
    """Same protocol, readout settings and seed: differences come from the condition alone."""
    configs = [load_config(CONDITIONS / f"{name}.yaml") for name in EXAMINED]
    for section in ("protocol", "output", "run", "model", "drugs"):
        dumps = [c.model_dump(mode="json")[section] for c in configs]
        assert all(d == dumps[0] for d in dumps), section


def test_healthy_no_pain_no_allodynia_small_receptive_fields():
    healthy = _summary("healthy")
    assert healthy["pain_score_rest"] < 0.1
    assert healthy["pain_score_peak"] < 1.0
    assert healthy["allodynia_index"] <= 0.2
    assert healthy["receptive_field_sites"] <= 0.5  # WDR: one site stays subliminal
    assert 0.5 <= healthy["NS"]["receptive_field_sites"] <= 2.5
    assert healthy["excitability"] < 0.1
    assert healthy["ltp_potentiation"] < 0.01


def test_healthy_has_normal_windup():
    """The classic 16-pulse 1-Hz train on the healthy network (SCIENCE V1: ratio 2–5)."""
    windup = _summary("healthy", "protocol.trains=null")
    assert 2.0 <= windup["windup_ratio"] <= 5.0
    assert windup["pain_score_peak"] > 5.0  # the acute noxious anchor scores about 6


def test_inflammation_hurts_and_sensitizes():
    healthy, inflamed = _summary("healthy"), _summary("inflammation")
    assert inflamed["pain_score_mean"] > healthy["pain_score_mean"] + 2
    assert inflamed["pain_score_rest"] > healthy["pain_score_rest"] + 2
    assert _pain_between("inflammation", 10, 20) < _pain_between("inflammation", 90, 120) - 2
    assert inflamed["excitability"] > healthy["excitability"] + 0.5
    assert inflamed["receptive_field_sites"] >= healthy["receptive_field_sites"] + 2
    assert inflamed["allodynia_index"] <= 0.2  # drive alone does not open the gate


def test_incision_barrage_potentiates_and_pain_outlasts_it():
    healthy, incision = _summary("healthy"), _summary("incision")
    assert incision["pain_score_peak"] >= 8
    assert incision["ltp_potentiation"] >= 0.3
    assert incision["excitability"] > healthy["excitability"] + 0.3
    assert incision["receptive_field_sites"] >= healthy["receptive_field_sites"] + 2
    after = _pain_between("incision", 60, 120)
    drive_alone = _pain_between("inflammation", 60, 120, "condition.ongoing_input.0.rate=0.5Hz")
    assert _pain_between("incision", 20, 40) > 8
    assert after < 3  # the barrage is over ...
    assert after > 2 * drive_alone  # ... but the potentiated cord answers the same drive more


def test_neuropathic_allodynia_and_larger_receptive_fields():
    healthy, injured = _summary("healthy"), _summary("neuropathic")
    assert healthy["allodynia_index"] <= 0.2
    assert injured["allodynia_index"] >= 0.4
    assert injured["receptive_field_sites"] > healthy["receptive_field_sites"] + 2
    assert injured["NS"]["receptive_field_sites"] > healthy["NS"]["receptive_field_sites"]
    assert injured["pain_score_rest"] > healthy["pain_score_rest"] + 2


def test_neuropathic_evoked_pain_needs_no_ectopic_firing():
    """Without ectopic firing, allodynia and the large fields stay and the pain at rest goes."""
    disinhibited = _summary("neuropathic", "condition.ongoing_input=[]")
    assert disinhibited["allodynia_index"] >= 0.4
    assert disinhibited["receptive_field_sites"] >= 2
    assert disinhibited["pain_score_rest"] < 1


def test_receptive_field_needs_the_stimulus():
    """Site tests at zero intensity: ongoing firing alone must not count as a receptive field."""
    real = _summary("neuropathic")
    null = _summary("neuropathic", *ZERO_INTENSITY_SITES)
    assert null["receptive_field_sites"] <= 1.0
    assert real["receptive_field_sites"] >= null["receptive_field_sites"] + 2


def test_crps_spontaneous_pain_persists():
    healthy, crps = _summary("healthy"), _summary("crps")
    assert crps["pain_score_rest"] > healthy["pain_score_rest"] + 2
    assert crps["chronic_state"] > 0.99
    assert _pain_between("crps", 90, 120) >= _pain_between("crps", 10, 20)
    assert crps["receptive_field_sites"] >= healthy["receptive_field_sites"] + 2


@pytest.mark.slow
def test_crps_chronic_state_adds_pain_of_its_own():
    """The chronic state acts on excitatory and projection neurons only (not inhibitory ones)."""
    with_state = _summary("crps")
    without = _summary("crps", "condition.chronic_state=null")
    assert with_state["pain_score_rest"] > without["pain_score_rest"]


def test_cancer_pain_is_high_and_adds_up():
    healthy, cancer = _summary("healthy"), _summary("cancer")
    inflamed = _summary("inflammation")
    assert cancer["pain_score_rest"] > healthy["pain_score_rest"] + 4
    assert cancer["pain_score_rest"] > inflamed["pain_score_rest"]
    assert cancer["receptive_field_sites"] >= healthy["receptive_field_sites"] + 2
    assert cancer["allodynia_index"] <= 0.2
