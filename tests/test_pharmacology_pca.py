"""The PCA pump: threshold, lockout, hourly limit, totals."""

from __future__ import annotations

import pytest

from painnet.config.drugs import PCA
from painnet.pharmacology import PCAPump

MIN = 6e4


def test_presses_only_in_pain():
    pump = PCAPump(bolus_mg=1.0, lockout_ms=6 * MIN, hourly_limit_mg=None, threshold=4.0)
    assert pump.request(0.0, 3.9) == 0.0
    assert pump.presses == 0
    assert pump.request(1.0, 4.0) == 1.0
    assert pump.presses == 1 and pump.total_mg == 1.0


def test_lockout_refuses_early_requests():
    pump = PCAPump(1.0, 6 * MIN, None, 4.0)
    assert pump.request(0.0, 8) == 1.0
    assert pump.request(5.9 * MIN, 8) == 0.0
    assert pump.request(6 * MIN, 8) == 1.0
    assert (pump.presses, pump.refused, pump.total_mg) == (3, 1, 2.0)


def test_hourly_limit_is_a_sliding_window():
    pump = PCAPump(2.0, 0.0, 5.0, 4.0)
    granted = [pump.request(t * MIN, 9) for t in (0, 10, 20, 30, 59, 60, 61)]
    assert granted == [2.0, 2.0, 0.0, 0.0, 0.0, 2.0, 0.0]
    assert pump.delivered_within(60 * MIN, 60 * MIN) == 4.0
    assert pump.deliveries == [(0.0, 2.0), (10 * MIN, 2.0), (60 * MIN, 2.0)]


def test_requests_must_come_in_order_and_settings_make_sense():
    pump = PCAPump(1.0, 0.0, None, 4.0)
    pump.request(10.0, 0)
    with pytest.raises(ValueError, match="time order"):
        pump.request(5.0, 9)
    with pytest.raises(ValueError, match="below one bolus"):
        PCAPump(2.0, 0.0, 1.0, 4.0)


def test_pump_from_config():
    pump = PCAPump.from_config(PCA())
    assert (pump.bolus_mg, pump.lockout_ms, pump.hourly_limit_mg, pump.threshold) == (
        1.0,
        6 * MIN,
        10.0,
        4.0,
    )
