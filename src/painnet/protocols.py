"""Stimulus protocols: what afferent fibres fire when a stimulus is delivered.

A stimulus function receives the protocol, the table of afferent fibres, the pulse time and the
member's stimulus random stream, and returns spike times (ms, arrival at the dorsal horn) and the
fibres that fire them. Register new ones with :func:`register_stimulus`; configs name them in
``protocol.stimulus``.

**Skin sites.** The model has no skin topography, so a *site* is a share of each fibre class:
with ``protocol.sites = n`` the fibres of every afferent population are split, in node order,
into n contiguous groups of (nearly) equal size (fibre j of a population of N fibres belongs to
site ``floor(j n / N)``; :func:`fibre_site`). Fibre order carries no other meaning (thresholds,
latencies and wiring are drawn independently of it), so contiguous and round-robin splits are
statistically the same. A train with ``site: k`` reaches only site k's fibres: the model hands
the stimulus function the table of those fibres only (:meth:`Fibres.at_site`), so every
stimulus, registered ones included, respects sites without knowing about them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from painnet.config.schema import Protocol


@dataclass(frozen=True)
class Fibres:
    """Afferent fibres as arrays (one entry per fibre), in node order."""

    ids: np.ndarray  # node ids
    threshold: np.ndarray  # × C threshold
    latency: np.ndarray  # ms
    jitter: np.ndarray  # ms
    spikes_per_pulse: np.ndarray  # count
    burst_interval: np.ndarray  # ms
    spontaneous_rate: np.ndarray  # Hz
    touch_rate: np.ndarray  # Hz
    site: np.ndarray  # skin site (0 … protocol.sites − 1; see fibre_site)

    def at_site(self, site: int | None) -> Fibres:
        """The fibres of one skin site (``None``: all fibres, this table itself)."""
        if site is None:
            return self
        keep = self.site == site
        return Fibres(**{name: values[keep] for name, values in vars(self).items()})


def fibre_site(index: ArrayLike, size: ArrayLike, sites: int) -> np.ndarray:
    """Skin site of fibre ``index`` (0-based, within its population of ``size`` fibres).

    The population is split in node order into ``sites`` contiguous groups: fibre j belongs to
    site ``floor(j * sites / size)``, so the groups differ in size by at most one fibre (with more
    sites than fibres, some sites have none).
    """
    index = np.asarray(index, dtype=np.int64)
    return (index * sites) // np.maximum(np.asarray(size, dtype=np.int64), 1)


Stimulus = Callable[[Protocol, Fibres, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]
_STIMULI: dict[str, Stimulus] = {}


def register_stimulus(name: str) -> Callable[[Stimulus], Stimulus]:
    """Decorator: make a stimulus function usable as ``protocol.stimulus: <name>``."""

    def decorate(fn: Stimulus) -> Stimulus:
        _STIMULI[name] = fn
        return fn

    return decorate


def stimulus_names() -> list[str]:
    """Registered stimulus protocol names."""
    return sorted(_STIMULI)


def stimulus(name: str) -> Stimulus:
    """The registered stimulus function ``name``."""
    return _STIMULI[name]


@register_stimulus("electrical")
def electrical(protocol: Protocol, fibres: Fibres, pulse: float, rng: np.random.Generator):
    """Electrical pulse: every fibre with threshold ≤ intensity fires its volley after its latency.

    Recruitment follows fibre thresholds (Aβ, then Aδ, then C as intensity rises); each recruited
    fibre fires ``spikes_per_pulse`` spikes ``burst_interval`` apart, jittered per pulse.
    """
    recruited = np.flatnonzero(fibres.threshold <= protocol.intensity)
    counts = fibres.spikes_per_pulse[recruited]
    which = np.repeat(recruited, counts)
    order = np.concatenate([np.arange(c) for c in counts]) if len(counts) else np.zeros(0)
    times = (
        pulse
        + fibres.latency[which]
        + order * fibres.burst_interval[which]
        + rng.normal(0.0, 1.0, len(which)) * fibres.jitter[which]
    )
    return times, fibres.ids[which]


@register_stimulus("touch")
def touch(protocol: Protocol, fibres: Fibres, pulse: float, rng: np.random.Generator):
    """Touch/brush: fibres with a touch rate fire Poisson spikes for ``touch_duration``."""
    expected = fibres.touch_rate * protocol.touch_duration * 1e-3
    counts = rng.poisson(expected)
    which = np.repeat(np.arange(len(counts)), counts)
    times = pulse + fibres.latency[which] + rng.uniform(0.0, protocol.touch_duration, len(which))
    return times, fibres.ids[which]


@register_stimulus("none")
def none(protocol: Protocol, fibres: Fibres, pulse: float, rng: np.random.Generator):
    """No stimulus (spontaneous and background activity only)."""
    return np.zeros(0), np.zeros(0, dtype=np.int64)


def pulse_times(protocol: Protocol) -> np.ndarray:
    """Times (ms) of the protocol's pulses, in order."""
    return pulse_schedule(protocol)[0]


def pulse_schedule(protocol: Protocol) -> tuple[np.ndarray, np.ndarray, list[Protocol]]:
    """Pulse times (ms, sorted), the train of each pulse, and one protocol per train.

    A protocol without ``trains`` is one train (index 0) of ``pulses`` at ``frequency``. With
    ``trains``, each train's protocol is the main protocol with the train's stimulus and
    intensity, and ``trains`` holding that train alone (so :func:`train_site` finds its site);
    stimulus functions need not know about trains.
    """
    if protocol.trains is None:
        if protocol.stimulus == "none":
            return np.zeros(0), np.zeros(0, np.int64), [protocol]
        times = protocol.start + np.arange(protocol.pulses) * protocol.interval
        return times, np.zeros(len(times), np.int64), [protocol]
    per_train = [
        protocol.model_copy(
            update={
                "stimulus": t.stimulus or protocol.stimulus,
                "intensity": protocol.intensity if t.intensity is None else t.intensity,
                "trains": [t],
            }
        )
        for t in protocol.trains
    ]
    times = [np.array(t.times()) for t in protocol.trains]
    index = [np.full(len(x), k, np.int64) for k, x in enumerate(times)]
    all_times, all_index = np.concatenate(times), np.concatenate(index)
    keep = np.array([per_train[k].stimulus != "none" for k in all_index], bool)
    order = np.argsort(all_times[keep], kind="stable")
    return all_times[keep][order], all_index[keep][order], per_train


def train_site(protocol: Protocol) -> int | None:
    """The skin site a train's protocol (from :func:`pulse_schedule`) reaches; ``None``: every site.

    A protocol without trains, or with several, reaches every site.
    """
    trains = protocol.trains
    return trains[0].site if trains is not None and len(trains) == 1 else None


def pulse_sites(protocol: Protocol, pulse_train: np.ndarray) -> np.ndarray:
    """The skin site each pulse tests, for the receptive-field readout (−1: not a site test).

    A pulse of a train with ``site: k`` tests site k. With ``protocol.sites = 1`` the whole nerve
    is the one site, so every pulse tests site 0. Otherwise a pulse that reaches every site at once
    tests none of them (−1).

    Args:
        protocol: the main protocol.
        pulse_train: the train index of each pulse (:func:`pulse_schedule`).
    """
    pulse_train = np.asarray(pulse_train, dtype=np.int64)
    if protocol.sites == 1:
        return np.zeros(len(pulse_train), np.int64)
    if protocol.trains is None:
        return np.full(len(pulse_train), -1, np.int64)
    by_train = np.array([-1 if t.site is None else t.site for t in protocol.trains], np.int64)
    return by_train[pulse_train]


def pulse_stimuli(protocol: Protocol, pulse_train: np.ndarray) -> list[str]:
    """The stimulus name of each pulse (e.g. to pick the touch pulses for the allodynia index)."""
    if protocol.trains is None:
        return [protocol.stimulus] * len(pulse_train)
    names = [t.stimulus or protocol.stimulus for t in protocol.trains]
    return [names[k] for k in np.asarray(pulse_train, dtype=np.int64)]
