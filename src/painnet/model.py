"""``PainModel``: the Mesa model of the dorsal-horn network.

One agent per neuron on a :class:`mesa.discrete_space.Network` built from the seeded graph; the
agents are views onto the engine's arrays. ``model.step()`` advances one model step
(``run.model_step`` of biology, several kernel steps), then runs the Python-level rules of agent
types that define ``step()``. Stimulus pulses are scheduled Mesa events; a ``DataCollector``
records population rates and the WDR calcium/CAN state every ``output.record_interval``.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from pathlib import Path

import mesa
import networkx as nx
import numpy as np
from mesa.discrete_space import Network

from painnet.agents import (
    agent_types,
    has_rule,
    is_afferent_type,
    is_projection_type,
    sensitizes,
)
from painnet.background import BackgroundActivity
from painnet.config.schema import ExperimentConfig
from painnet.drug_effects import DrugEffects, has_drugs
from painnet.engine.compile import cell_parameters, compile_synapses, receptor_constants
from painnet.engine.core import Engine
from painnet.engine.layout import S
from painnet.network import build_network, population_slices
from painnet.protocols import Fibres, fibre_site, pulse_schedule, stimulus, train_site
from painnet.seeds import stream
from painnet.sensitization import SensitizationStates

PER_MEMBER_PATHS = (
    "drugs.*",
    "condition.disinhibition.*",
    "condition.chronic_state",
    "model.receptors.*",
    "model.sensitization.*",
    "model.populations.<name>.cell.*",
    "protocol.background.excitatory_weight",
    "protocol.background.inhibitory_weight",
)
"""Config paths that may differ between members of one batch (they live in per-member arrays)."""


def structural_key(config: ExperimentConfig) -> str:
    """The config without its per-member parameters, as canonical JSON.

    Configs with equal keys share network, protocol and run settings, so they can be simulated
    as members of one batch.
    """
    data = config.model_dump(mode="json")
    data.pop("drugs")
    data["condition"].pop("disinhibition")  # inhibition_scale and E_Cl are cell parameters
    data["condition"].pop("chronic_state")
    data["run"].pop("replicates")
    data["model"].pop("receptors")
    data["model"].pop("sensitization")
    for pop in data["model"]["populations"].values():
        if pop is not None:
            pop.pop("cell")
    for name in ("excitatory_weight", "inhibitory_weight"):
        data["protocol"]["background"].pop(name)
    return json.dumps(data, sort_keys=True)


class PainModel(mesa.Model):
    """The dorsal-horn network as a Mesa model.

    Args:
        config: a validated config, or a path to a YAML config.
        rng: root seed; default ``config.run.seed``.
        member: which batch member the agents show (``0..B-1``).
        members: one config per batch member (parameter sets simulated together on the same
            network); default ``run.replicates`` copies of ``config``. They may differ from
            ``config`` only in per-member parameters (see :func:`structural_key`).
        stream_keys: the input-stream key of each member (default ``0..B-1``). Members with the
            same key get the same stimulus and background spikes (common random numbers).

    Attributes:
        config: the resolved config.
        graph: the network (``networkx.DiGraph``; node attributes ``population``, ``type``).
        grid: the Mesa network space (one cell per neuron).
        engine: the array engine holding every member's state.
        populations: node ids per population name.
        pulses: scheduled stimulus times (ms).
        delivered: how many of them have been delivered so far.
    """

    def __init__(
        self,
        config: ExperimentConfig | str | Path,
        *,
        rng: int | None = None,
        member: int = 0,
        members: Sequence[ExperimentConfig] | None = None,
        stream_keys: Sequence[int] | None = None,
    ) -> None:
        if not isinstance(config, ExperimentConfig):
            from painnet.config import load_config

            config = load_config(config)
        seed = config.run.seed if rng is None else int(rng)
        super().__init__(rng=seed)
        self.config = config
        self.seed = seed
        self.member = member
        self.members = list(members) if members is not None else [config] * config.run.replicates
        self.stream_keys = (
            list(stream_keys) if stream_keys is not None else list(range(len(self.members)))
        )
        self._check_members()
        run = config.run
        self.steps_per_model_step = round(run.model_step / run.dt)
        self.graph: nx.DiGraph = build_network(config.model, seed)
        self.populations = population_slices(config.model)
        self.grid = Network(self.graph, random=self.random, layout=None)
        self._create_agents()
        self.engine = self._build_engine()
        sensitizing = [
            np.arange(r.start, r.stop)
            for name, r in self.populations.items()
            if sensitizes(config.model.populations[name].type)
        ]
        self.sensitization = SensitizationStates(
            self.members,
            self.engine.state,
            self.engine.cell,
            self.engine.const,
            np.concatenate(sensitizing) if sensitizing else np.zeros(0, np.int64),
        )
        self.drug_effects = (
            DrugEffects(
                self.members,
                self.engine,
                self.populations,
                {n: p.type for n, p in config.model.populations.items()},
                run.model_step,
                config.duration,
                seed,
                self.stream_keys,
            )
            if any(has_drugs(m) for m in self.members)
            else None
        )
        if self.drug_effects is not None:
            self.drug_effects.apply(0.0)
        if any(m.drugs.morphine is not None and m.drugs.morphine.pca for m in self.members):
            warnings.warn(
                "drugs.morphine.pca: PCA patients press only on the slow clock (run.clock: "
                "slow); on the spiking network the pump is ignored",
                stacklevel=2,
            )
        self._fibres = self._fibre_table()
        self._stimulus_rngs = [stream(seed, "stimulus", k) for k in self.stream_keys]
        self._rule_rngs = [stream(seed, "rules", k) for k in self.stream_keys]
        self.pulses, self.pulse_train, self._train_protocols = pulse_schedule(config.protocol)
        self.delivered = 0
        self._schedule_next_pulse()
        self._projection = np.concatenate(
            [
                np.arange(r.start, r.stop)
                for name, r in self.populations.items()
                if is_projection_type(config.model.populations[name].type)
            ]
            or [np.zeros(0, np.int64)]
        )
        self._pain_level = np.zeros(len(self.members))  # smoothed projection rate (Hz/neuron)
        self._pain_count = np.zeros(len(self.members))
        self.pain_trace: list[tuple[float, np.ndarray]] = []
        self._record_every = max(1, round(config.output.record_interval / run.model_step))
        self.datacollector = mesa.DataCollector(model_reporters=self._reporters())
        self.datacollector.collect(self)
        self.running = True

    # -- construction -----------------------------------------------------------------------

    def _create_agents(self) -> None:
        types = agent_types()
        for name, ids in self.populations.items():
            cls = types[self.config.model.populations[name].type]
            for node in ids:
                cls(self, self.grid._cells[node], node, name)

    def _check_members(self) -> None:
        if not self.members:
            raise ValueError("a model needs at least one member")
        if len(self.stream_keys) != len(self.members):
            raise ValueError(f"{len(self.stream_keys)} stream keys for {len(self.members)} members")
        key = structural_key(self.config)
        for i, m in enumerate(self.members):
            if m is not self.config and structural_key(m) != key:
                raise ValueError(
                    f"member {i} differs from the model config in more than per-member "
                    f"parameters ({', '.join(PER_MEMBER_PATHS)})"
                )

    def _build_engine(self) -> Engine:
        cfg = self.config
        synapses = compile_synapses(self.graph, cfg.run.dt)
        cell = np.concatenate([cell_parameters(m, self.graph, 1) for m in self.members])
        const = np.stack([receptor_constants(m.model.receptors, cfg.run.dt) for m in self.members])
        bg = cfg.protocol.background
        afferent_ids = self._afferent_ids()
        rates = (
            np.array(
                [
                    cfg.model.populations[
                        self.graph.nodes[i]["population"]
                    ].afferent.spontaneous_rate
                    for i in afferent_ids
                ]
            )
            if bg.afferents
            else np.zeros(len(afferent_ids))
        )
        first_dh = len(afferent_ids)
        background = BackgroundActivity(
            afferent_ids=afferent_ids,
            afferent_rates=rates,
            dh_ids=np.arange(first_dh, self.graph.number_of_nodes()),
            excitatory_rate=bg.excitatory_rate,
            inhibitory_rate=bg.inhibitory_rate,
        )
        background.extra = self._ongoing_input(afferent_ids)
        rngs = [stream(self.seed, "background", k) for k in self.stream_keys]
        return Engine(
            synapses, first_dh, cell, const, cfg.run.dt, background, rngs, kernel=cfg.run.kernel
        )

    def _ongoing_input(self, afferent_ids: np.ndarray) -> tuple:
        """``condition.ongoing_input`` as rate windows over the afferent fibres.

        Which fibres fire (``fraction``) is drawn from the network seed's ``ongoing`` stream, so it
        is the same in every member and replicate of the same network.
        """
        windows = []
        for k, spec in enumerate(self.config.condition.ongoing_input):
            ids = self.populations[spec.population]
            chosen = stream(self.seed, "ongoing", k).permutation(len(ids))
            chosen = chosen[: round(spec.fraction * len(ids))] + ids.start
            extra = np.where(np.isin(afferent_ids, chosen), spec.rate, 0.0)
            windows.append((spec.start, spec.end, extra))
        return tuple(windows)

    def _afferent_ids(self) -> np.ndarray:
        ids = [
            i
            for name, r in self.populations.items()
            if is_afferent_type(self.config.model.populations[name].type)
            for i in r
        ]
        return np.array(ids, dtype=np.int64)

    def _fibre_table(self) -> Fibres:
        """The afferent fibres as arrays, with each fibre's skin site (``protocol.sites``)."""
        ids = self._afferent_ids()
        pops = [
            self.config.model.populations[self.graph.nodes[i]["population"]].afferent for i in ids
        ]
        node = self.graph.nodes
        ranges = [self.populations[node[i]["population"]] for i in ids]
        sites = self.config.protocol.sites
        return Fibres(
            ids=ids,
            threshold=np.array([node[i]["threshold"] for i in ids]),
            latency=np.array([node[i]["latency"] for i in ids]),
            jitter=np.array([p.jitter for p in pops]),
            spikes_per_pulse=np.array([p.spikes_per_pulse for p in pops], dtype=np.int64),
            burst_interval=np.array([p.burst_interval for p in pops]),
            spontaneous_rate=np.array([p.spontaneous_rate for p in pops]),
            touch_rate=np.array([p.touch_rate for p in pops]),
            site=fibre_site(ids - [r.start for r in ranges], [len(r) for r in ranges], sites),
        )

    # -- dynamics ---------------------------------------------------------------------------

    def deliver_pulse(self) -> None:
        """Scheduled event: the next stimulus pulse makes its afferents fire (every member)."""
        t = float(self.pulses[self.delivered])
        protocol = self._train_protocols[self.pulse_train[self.delivered]]
        self.delivered += 1
        fn = stimulus(protocol.stimulus)
        for m, rng in enumerate(self._stimulus_rngs):
            times, fibres = fn(protocol, self._fibres.at_site(train_site(protocol)), t, rng)
            self.engine.inject(m, times, fibres)
        self._schedule_next_pulse()

    def _schedule_next_pulse(self) -> None:
        """Put the next pulse on Mesa's event list (one pending event, however long the train)."""
        if self.delivered < len(self.pulses):
            at = self.pulses[self.delivered] / self.config.run.model_step
            self.schedule_event(self.deliver_pulse, at=float(at))

    def step(self) -> None:
        """Advance one model step of biology, then run Python-level agent rules.

        Rules run for every agent type that has one (:func:`painnet.agents.has_rule`), including
        agents of new cell types added after construction, once per batch member: during member
        m's turn ``model.member`` is m, so agents read and write member m's arrays and
        ``model.rule_rng`` is member m's random stream. A member's result therefore does not
        depend on its batch. Per-member state belongs in the engine arrays (the agents' views);
        plain Python attributes of an agent are shared by all members.
        """
        if self.drug_effects is not None:
            self.drug_effects.apply(self.time_ms)
        self.engine.advance(self.steps_per_model_step)
        self.sensitization.step(self.config.run.model_step)
        self._update_pain()
        rule_types = [cls for cls in self.agent_types if has_rule(cls)]
        if rule_types:
            shown = self.member
            for m in range(len(self.members)):
                self.member = m
                for cls in rule_types:
                    self.agents_by_type[cls].do("step")
            self.member = shown
        if self.steps % self._record_every == 0:
            self.pain_trace.append((self.time_ms, self.pain_scores()))
            self.datacollector.collect(self)

    def _update_pain(self) -> None:
        """Advance the supraspinal readout's smoothed projection rate by one model step."""
        if len(self._projection) == 0:
            return
        count = self.engine.spike_count[:, self._projection].sum(axis=1).astype(float)
        tau = self.config.model.pain.smoothing
        decay = np.exp(-self.config.run.model_step / tau)
        new = (count - self._pain_count) / (len(self._projection) * tau * 1e-3)
        self._pain_level = self._pain_level * decay + new
        self._pain_count = count

    def pain_scores(self) -> np.ndarray:
        """Current 0–10 pain score of every member (:mod:`painnet.pain`)."""
        from painnet.pain import pain_score

        return pain_score(self._pain_level, self.config.model.pain)

    @property
    def rule_rng(self) -> np.random.Generator:
        """The random stream for agent rules of the member whose turn it is (see :meth:`step`)."""
        return self._rule_rngs[self.member]

    def run_for_time(self, ms: float) -> None:
        """Advance ``ms`` of biology (whole model steps)."""
        self.run_for(round(ms / self.config.run.model_step))

    # -- observation ------------------------------------------------------------------------

    @property
    def time_ms(self) -> float:
        """Biological time reached (ms)."""
        return self.engine.time

    def _reporters(self) -> dict:
        reporters = {
            "time_s": lambda m: m.time_ms / 1000.0,
            "pain_score": lambda m: float(m.pain_scores()[m.member]),
        }
        for name in self.populations:
            reporters[f"rate_{name}"] = _rate_reporter(name)
        for name, spec in self.config.model.populations.items():
            if is_projection_type(spec.type):
                for var in ("calcium", "can_gate", "v"):
                    reporters[f"{var}_{name}"] = _mean_state_reporter(name, var)
        return reporters


def _rate_reporter(population: str):
    """Mean firing rate (Hz) of a population over the last record interval (shown member)."""
    last: dict[str, float] = {}

    def rate(model: PainModel) -> float:
        r = model.populations[population]
        count = float(model.engine.spike_count[model.member, r.start : r.stop].sum())
        now = model.time_ms
        previous = dict(last)
        last.update(count=count, time=now)
        if not previous or now <= previous["time"] or len(r) == 0:
            return 0.0
        return (count - previous["count"]) / len(r) / ((now - previous["time"]) * 1e-3)

    return rate


def _mean_state_reporter(population: str, variable: str):
    """Mean of a state variable over a population (shown member)."""
    row = S[variable]

    def mean(model: PainModel) -> float:
        r = model.populations[population]
        if len(r) == 0:
            return float("nan")
        return float(model.engine.state[model.member, row, r.start : r.stop].mean())

    return mean
