"""Config format v1: the pydantic schema every painnet experiment is validated against.

Every numeric field carries a unit, a default, bounds, a description and a source (a paper, or
``assumption: <why>``). Quantities with units are strings (``"100 ms"``); the schema converts them
to floats in painnet's canonical units (:mod:`painnet.units`). ``docs/parameters.md`` is generated
from this module (``python experiments/make_parameter_table.py``) and a test checks it is current.

Sections: ``model`` (populations, connectivity, receptor and cell parameters), ``protocol``
(stimuli and background activity), ``drugs``, ``condition`` (disinhibition...), ``run`` and
``output``.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import (
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

from painnet.config.defaults import DEFAULT_CONNECTIONS, DEFAULT_POPULATIONS
from painnet.config.drugs import Drugs
from painnet.config.fields import Section, param
from painnet.config.sensitization import Sensitization
from painnet.errors import did_you_mean
from painnet.units import (
    Capacitance,
    Concentration,
    Conductance,
    Current,
    Frequency,
    FrequencyHz,
    Time,
    Voltage,
)

SCHEMA_VERSION = 1


# --------------------------------------------------------------------------------------------
# Receptors, calcium and the CAN current (shared by all dorsal-horn neurons)
# --------------------------------------------------------------------------------------------


class AMPA(Section):
    """AMPA receptor: fast glutamatergic excitation, single-exponential conductance."""

    tau_decay: Time = param(
        "5 ms", "AMPA conductance decay time constant.", "Aguiar 2010 (SCIENCE C1)", gt=0.05, le=100
    )
    reversal: Voltage = param(
        "0 mV", "AMPA reversal potential.", "Aguiar 2010 (SCIENCE C1)", ge=-30, le=30
    )


class NMDA(Section):
    """NMDA receptor: slow glutamatergic conductance with voltage-dependent Mg²⁺ block (Jahr & Stevens 1990)."""

    tau_rise: Time = param(
        "2 ms",
        "NMDA conductance rise time constant.",
        "Aguiar 2010 hoc value (SCIENCE C1)",
        gt=0.05,
        le=50,
    )
    tau_decay: Time = param(
        "100 ms",
        "NMDA conductance decay time constant.",
        "Aguiar 2010 hoc value (SCIENCE C1)",
        gt=1,
        le=1000,
    )
    reversal: Voltage = param(
        "0 mV", "NMDA reversal potential.", "Aguiar 2010 (SCIENCE C1)", ge=-30, le=30
    )
    magnesium: Concentration = param(
        "1 mM",
        "Extracellular Mg²⁺ concentration for the Jahr–Stevens block B(V) = 1/(1 + exp(-0.062 V) [Mg]/3.57 mM).",
        "Jahr & Stevens 1990; Aguiar 2010 (SCIENCE C1)",
        ge=0,
        le=10_000,
    )
    calcium_fraction: float = param(
        0.1,
        "Fraction of the NMDA current carried by Ca²⁺ (drives intracellular calcium).",
        "Burnashev 1995 via Aguiar 2010 (SCIENCE C1)",
        unit="fraction",
        ge=0,
        le=1,
    )

    @model_validator(mode="after")
    def _rise_before_decay(self) -> NMDA:
        if self.tau_rise >= self.tau_decay:
            raise ValueError(
                f"tau_rise ({self.tau_rise:g} ms) must be shorter than tau_decay ({self.tau_decay:g} ms)"
            )
        return self


class NK1(Section):
    """NK1 (substance P) receptor: very slow excitatory conductance (dual exponential)."""

    tau_rise: Time = param(
        "200 ms",
        "NK1 conductance rise time constant.",
        "Aguiar 2010 WDR value (SCIENCE C1)",
        gt=1,
        le=5000,
    )
    tau_decay: Time = param(
        "3000 ms",
        "NK1 conductance decay time constant.",
        "Aguiar 2010 (SCIENCE C1)",
        gt=10,
        le=60_000,
    )
    reversal: Voltage = param(
        "0 mV",
        "NK1-activated current reversal potential.",
        "assumption: non-selective cation current, as the Aguiar 2010 excitatory synapses",
        ge=-30,
        le=30,
    )

    @model_validator(mode="after")
    def _rise_before_decay(self) -> NK1:
        if self.tau_rise >= self.tau_decay:
            raise ValueError(
                f"tau_rise ({self.tau_rise:g} ms) must be shorter than tau_decay ({self.tau_decay:g} ms)"
            )
        return self


class GABAA(Section):
    """GABA_A / glycine receptor: fast chloride conductance; E_Cl is shiftable for disinhibition."""

    tau_decay: Time = param(
        "10 ms",
        "GABA_A conductance decay time constant.",
        "Aguiar 2010 (SCIENCE C1, I)",
        gt=0.05,
        le=200,
    )
    reversal: Voltage = param(
        "-70 mV",
        "Chloride reversal potential E_Cl (depolarize by +20–25 mV to model KCC2 loss).",
        "SCIENCE I (−70 to −80 mV); Coull 2003 for shifts",
        ge=-100,
        le=0,
    )


class Calcium(Section):
    """Intracellular calcium driven by NMDA Ca²⁺ entry, decaying to rest.

    dCa/dt = -(Ca - Ca_rest)/tau + k * q_Ca, with q_Ca the Ca²⁺ share of the inward NMDA current.
    """

    resting: Concentration = param(
        "0.05 µM",
        "Resting intracellular Ca²⁺.",
        "Aguiar 2010 (Ca_inf 50 nM, SCIENCE C1)",
        ge=0,
        le=1,
    )
    tau: Time = param(
        "3000 ms",
        "Decay time constant of the slow calcium pool; sets the wind-up frequency cut-off.",
        "SCIENCE I.1 (working range 1.5–3 s; 3 s calibrated to V1 at 0.5 Hz, seed 1)",
        ge=50,
        le=20_000,
    )
    per_charge: float = param(
        2.0,
        "Ca²⁺ rise per pC of Ca²⁺ charge entering through NMDA receptors (lumps volume and buffering).",
        "calibrated to SCIENCE V1 (wind-up ratio at 0.5 and 1 Hz, seed 1): a 1-Hz C train drives WDR Ca²⁺ past the CAN half-activation",
        unit="µM/pC",
        ge=0,
        le=100,
    )


class CAN(Section):
    """Ca²⁺-activated non-selective cation current: I = g m² (V - E), m∞ = c²/(1+c²), c = Ca/K."""

    half_activation: Concentration = param(
        "0.5 µM",
        "Ca²⁺ at which the CAN gate is half-activated (K).",
        "Aguiar 2010 (Ca_c 0.5 µM, SCIENCE C1)",
        gt=0,
        le=100,
    )
    tau_max: Time = param(
        "4000 ms",
        "Gate time constant at rest; tau = tau_max/(1 + c²), 2 s at K.",
        "Aguiar 2010 (SCIENCE C1, I.1)",
        gt=1,
        le=60_000,
    )
    reversal: Voltage = param(
        "-20 mV", "CAN reversal potential.", "Aguiar 2010 (SCIENCE C1)", ge=-60, le=30
    )


class Potassium(Section):
    """The G-protein-gated K⁺ (GIRK) conductance that opioids and α2 agonists open."""

    reversal: Voltage = param(
        "-86 mV",
        "Reversal potential of the opioid/α2-activated K⁺ current.",
        "Ishii et al. 2008 (dexmedetomidine outward K⁺ current reverses at about −86 mV, SCIENCE G3)",
        ge=-120,
        le=-50,
    )


class PainReadout(Section):
    """The supraspinal readout: mean projection-neuron rate → 0–10 pain score (:mod:`painnet.pain`)."""

    half_rate: Frequency = param(
        "38 Hz",
        "Smoothed mean projection-neuron rate that scores 5/10 (r50).",
        "calibrated (seed 1) so that the acute noxious anchor — a 1-Hz train at 1.5 × C threshold, mean projection rate 47 Hz — scores 6 (issue 3: acute noxious ≈ 5–7) with hill 2; spontaneous activity (0.3 Hz) then scores ≈ 0",
        gt=0,
        le=1000,
    )
    hill: float = param(
        2.0,
        "Steepness n of the rate → score curve.",
        "assumption: a smooth saturating (Hill) intensity coding between silence and saturation",
        unit="1",
        ge=0.5,
        le=10,
    )
    smoothing: Time = param(
        "2 s",
        "Time constant τ over which the readout integrates projection firing.",
        "assumption: temporal integration of pain perception over seconds (second pain summates over 1–3 s intervals, Vierck 1997, SCIENCE A1)",
        gt=0,
        le=1e9,
    )


class Receptors(Section):
    """Receptor kinetics and the calcium/CAN machinery shared by all dorsal-horn neurons."""

    ampa: AMPA = Field(default_factory=AMPA)
    nmda: NMDA = Field(default_factory=NMDA)
    nk1: NK1 = Field(default_factory=NK1)
    gaba_a: GABAA = Field(default_factory=GABAA)
    calcium: Calcium = Field(default_factory=Calcium)
    can: CAN = Field(default_factory=CAN)
    potassium: Potassium = Field(default_factory=Potassium)


# --------------------------------------------------------------------------------------------
# Populations
# --------------------------------------------------------------------------------------------


class CellParams(Section):
    """Conductance-based integrate-and-fire membrane of a dorsal-horn neuron."""

    capacitance: Capacitance = param(
        "75 pF",
        "Membrane capacitance.",
        "Aguiar 2010 WDR morphology (~7.5e-5 cm², 1 µF/cm²)",
        gt=1,
        le=2000,
    )
    leak_conductance: Conductance = param(
        "3 nS",
        "Leak conductance (membrane time constant C/g).",
        "Aguiar 2010 g_pas 4.2e-5 S/cm² over ~7.5e-5 cm²",
        gt=0.01,
        le=500,
    )
    leak_reversal: Voltage = param(
        "-65 mV",
        "Leak reversal (resting potential).",
        "Aguiar 2010 E_pas (SCIENCE C1)",
        ge=-100,
        le=-30,
    )
    threshold: Voltage = param(
        "-50 mV",
        "Spike threshold.",
        "assumption: typical dorsal-horn neuron threshold ~15 mV above rest",
        ge=-80,
        le=0,
    )
    reset: Voltage = param(
        "-60 mV",
        "Membrane potential after a spike.",
        "assumption: brief afterhyperpolarization to just below threshold range",
        ge=-100,
        le=-20,
    )
    refractory: Time = param(
        "2 ms",
        "Absolute refractory period (membrane clamped at reset).",
        "assumption: limits firing to < 500 Hz as in dorsal-horn recordings",
        ge=0.1,
        le=50,
    )
    can_conductance: Conductance = param(
        "0 nS",
        "Maximal CAN conductance (the wind-up plateau current).",
        "SCIENCE I.1 (WDR 3–5 nS); 0 in cells without CAN",
        ge=0,
        le=100,
    )
    bias_current: Current = param(
        "0 pA",
        "Constant injected current (tonic excitability).",
        "assumption: 0, no tonic drive unless an experiment sets it",
        ge=-1000,
        le=1000,
    )

    @model_validator(mode="after")
    def _reset_below_threshold(self) -> CellParams:
        if self.reset >= self.threshold:
            raise ValueError(
                f"reset ({self.reset:g} mV) must lie below threshold ({self.threshold:g} mV)"
            )
        return self


class AfferentParams(Section):
    """A primary-afferent fibre class: electrical threshold, conduction latency, firing."""

    threshold: float = param(
        1.0,
        "Electrical recruitment threshold, in multiples of the C-fibre threshold (mean of the class; fibres vary lognormally around it).",
        "assumption: Aβ < Aδ < C recruitment order of electrical stimulation",
        unit="× C threshold",
        gt=0,
        le=100,
    )
    threshold_cv: float = param(
        0.15,
        "Coefficient of variation of fibre thresholds within the class (lognormal).",
        "assumption: spread so recruitment grows smoothly with intensity",
        unit="1",
        ge=0,
        le=2,
    )
    latency: Time = param(
        "150 ms",
        "Mean conduction latency from the stimulation site to the dorsal horn (fibres vary lognormally around it).",
        "Aguiar 2010 (C 200 ms, Aδ 30 ms delays); SCIENCE I",
        ge=0,
        le=2000,
    )
    latency_cv: float = param(
        0.1,
        "Coefficient of variation of latencies across fibres (lognormal).",
        "Aguiar 2010 (±10 % delay dispersion)",
        unit="1",
        ge=0,
        le=2,
    )
    jitter: Time = param(
        "2 ms",
        "Standard deviation of a fibre's spike time across pulses.",
        "assumption: small trial-to-trial jitter of evoked afferent volleys",
        ge=0,
        le=100,
    )
    spikes_per_pulse: int = param(
        1,
        "Spikes each recruited fibre fires per electrical pulse.",
        "assumption: one action potential per fibre per pulse (electrical stimulation)",
        unit="count",
        ge=1,
        le=50,
    )
    burst_interval: Time = param(
        "5 ms", "Interval between spikes of a multi-spike volley.", "assumption", gt=0, le=1000
    )
    spontaneous_rate: Frequency = param(
        "0.1 Hz",
        "Spontaneous (background) Poisson firing rate.",
        "assumption: low ongoing afferent activity in intact nerves",
        ge=0,
        le=200,
    )
    touch_rate: Frequency = param(
        "0 Hz",
        "Firing rate during a touch (brush) stimulus; 0 for fibres that ignore touch.",
        "Crodelle 2019: Aβ 40 Hz for 20 ms (SCIENCE C2)",
        ge=0,
        le=500,
    )


class Population(Section):
    """A population of neuron agents of one registered type (see :mod:`painnet.agents`)."""

    type: str = Field(
        description="Registered agent type, e.g. 'c_fibre', 'wdr' (see `painnet list types`)."
    )
    size: int = param(
        10,
        "Number of neurons.",
        "assumption: network size is an experiment choice",
        unit="count",
        ge=0,
        le=200_000,
    )
    cell: CellParams = Field(default_factory=CellParams)
    afferent: AfferentParams = Field(default_factory=AfferentParams)


class Connection(Section):
    """A labelled connectivity rule (NetPyNE-style): which presynaptic population targets which.

    Each postsynaptic neuron receives each presynaptic neuron with ``probability`` (independently),
    or exactly ``in_degree`` distinct presynaptic neurons. Weights are peak conductances per spike.
    """

    pre: str = Field(description="Presynaptic population name.")
    post: str = Field(description="Postsynaptic population name (a dorsal-horn population).")
    probability: float | None = param(
        None,
        "Connection probability per (pre, post) pair.",
        "see the rule's source in docs/parameters.md",
        unit="fraction",
        ge=0,
        le=1,
    )
    in_degree: int | None = param(
        None,
        "Exact number of presynaptic partners per postsynaptic neuron (instead of probability).",
        "see the rule's source",
        unit="count",
        ge=0,
        le=100_000,
    )
    ampa: Conductance = param(
        "0 nS",
        "Peak AMPA conductance per presynaptic spike.",
        "see the rule's source",
        ge=0,
        le=1000,
    )
    nmda: Conductance = param(
        "0 nS",
        "Peak NMDA conductance per presynaptic spike (before Mg²⁺ block).",
        "see the rule's source",
        ge=0,
        le=1000,
    )
    nk1: Conductance = param(
        "0 nS",
        "Peak NK1 conductance per presynaptic spike.",
        "see the rule's source",
        ge=0,
        le=1000,
    )
    gaba_a: Conductance = param(
        "0 nS",
        "Peak GABA_A conductance per presynaptic spike.",
        "see the rule's source",
        ge=0,
        le=1000,
    )
    weight_cv: float = param(
        0.0,
        "Coefficient of variation of weights across synapses of the rule (lognormal).",
        "assumption",
        unit="1",
        ge=0,
        le=3,
    )
    delay: Time = param(
        "1 ms",
        "Synaptic (plus local conduction) delay.",
        "assumption: ~1 ms monosynaptic delay in the dorsal horn",
        ge=0,
        le=100,
    )
    delay_jitter: Time = param(
        "0 ms", "Uniform jitter added to the delay (0 to this value).", "assumption", ge=0, le=100
    )
    plastic: bool = Field(
        False,
        description="Whether the synapse takes part in plasticity: its AMPA weight follows the postsynaptic neuron's LTP state and the chronic state (model.sensitization).",
    )

    @model_validator(mode="after")
    def _one_of_probability_or_in_degree(self) -> Connection:
        if (self.probability is None) == (self.in_degree is None):
            raise ValueError(
                "give exactly one of 'probability' or 'in_degree' (to use in_degree on a default "
                "rule, also set probability: null)"
            )
        return self


def _merge_by_name(defaults: dict[str, dict], given: Any) -> Any:
    """Deep-merge user entries onto the default entries by name; ``null`` removes an entry."""
    if not isinstance(given, dict):
        return given
    merged = {name: _deep_merge({}, entry) for name, entry in defaults.items()}
    for name, entry in given.items():
        if entry is None:
            merged.pop(name, None)
        elif isinstance(entry, dict) and name in merged:
            merged[name] = _deep_merge(merged[name], entry)
        else:
            merged[name] = entry
    return merged


def _deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


class ModelSpec(Section):
    """The network: populations, labelled connection rules and receptor kinetics.

    ``populations`` and ``connections`` are merged by name onto the default dorsal-horn network
    (:mod:`painnet.config.defaults`): give only what you change; set an entry to ``null`` to
    remove it.
    """

    populations: dict[str, Population] = Field(default_factory=dict, validate_default=True)
    connections: dict[str, Connection] = Field(default_factory=dict, validate_default=True)
    receptors: Receptors = Field(default_factory=Receptors)
    sensitization: Sensitization = Field(default_factory=Sensitization)
    pain: PainReadout = Field(default_factory=PainReadout)

    @field_serializer("populations", "connections", mode="wrap")
    def _mark_removed_defaults(self, value: dict, handler, info) -> dict:
        """Write removed default entries as ``null`` so a dumped config re-loads to itself."""
        out = handler(value)
        defaults = DEFAULT_POPULATIONS if value is self.populations else DEFAULT_CONNECTIONS
        return {**out, **{name: None for name in defaults if name not in value}}

    @field_validator("populations", mode="before")
    @classmethod
    def _merge_populations(cls, value: Any) -> Any:
        return _merge_by_name(DEFAULT_POPULATIONS, value)

    @field_validator("connections", mode="before")
    @classmethod
    def _merge_connections(cls, value: Any) -> Any:
        return _merge_by_name(DEFAULT_CONNECTIONS, value)

    @model_validator(mode="after")
    def _check_references(self) -> ModelSpec:
        from painnet.agents import agent_type_names, is_afferent_type

        known = agent_type_names()
        problems = []
        for section, names in (
            ("populations", self.populations),
            ("connections", self.connections),
        ):
            for name in names:
                if not _NAME.fullmatch(name):
                    problems.append(
                        f"{section}.{name}: names may use letters, digits, '_', '-' and '>' only "
                        "(no dots or spaces, so --set can reach them)"
                    )
        for name, pop in self.populations.items():
            if pop.type not in known:
                problems.append(
                    f"populations.{name}.type: unknown type {pop.type!r}"
                    f"{_suggest(pop.type, known)}; known types: {', '.join(sorted(known))}"
                )
        names = list(self.populations)
        for label, rule in self.connections.items():
            for end in ("pre", "post"):
                pop_name = getattr(rule, end)
                if pop_name not in self.populations:
                    problems.append(
                        f"connections.{label}.{end}: unknown population {pop_name!r}"
                        f"{_suggest(pop_name, names)}"
                    )
            post = self.populations.get(rule.post)
            if post is not None and is_afferent_type(post.type):
                problems.append(
                    f"connections.{label}.post: {rule.post!r} is a primary afferent and receives "
                    "no synapses; target a dorsal-horn population"
                )
        pairs: dict[tuple[str, str], str] = {}
        for label, rule in self.connections.items():
            other = pairs.setdefault((rule.pre, rule.post), label)
            if other != label:
                problems.append(
                    f"connections.{label}: connects {rule.pre} -> {rule.post} like rule "
                    f"{other!r}; merge them into one rule"
                )
        if problems:
            raise ValueError(" | ".join(problems))
        return self


_NAME = re.compile(r"[A-Za-z0-9_>\-]+")


def _suggest(word: str, options: Any) -> str:
    hint = did_you_mean(word, options)
    return f" ({hint})" if hint else ""


# --------------------------------------------------------------------------------------------
# Protocol, drugs, run, output
# --------------------------------------------------------------------------------------------


class Background(Section):
    """Ongoing synaptic noise onto every dorsal-horn neuron from unmodelled neurons (Poisson)."""

    excitatory_rate: Frequency = param(
        "200 Hz",
        "Rate of background excitatory (AMPA) events per neuron.",
        "assumption: 200 Hz of 0.3-nS events (Aguiar 2010 used 100 Hz background AMPA noise); with the weight, keeps WDR near-silent at rest",
        ge=0,
        le=10_000,
    )
    excitatory_weight: Conductance = param(
        "0.3 nS",
        "Peak AMPA conductance per background event.",
        "assumption: small enough that projection neurons are near-silent at rest (measured ~0 Hz)",
        ge=0,
        le=100,
    )
    inhibitory_rate: Frequency = param(
        "100 Hz",
        "Rate of background inhibitory (GABA_A) events per neuron.",
        "Aguiar 2010 (background GABA_A noise)",
        ge=0,
        le=10_000,
    )
    inhibitory_weight: Conductance = param(
        "0.3 nS",
        "Peak GABA_A conductance per background event.",
        "assumption: balances excitatory noise",
        ge=0,
        le=100,
    )
    afferents: bool = Field(
        True, description="Whether afferents fire spontaneously at their spontaneous_rate."
    )


class Train(Section):
    """One stimulus train of a multi-train protocol (``protocol.trains``).

    Pulses at ``frequency``; with ``repeats`` > 1 the train is repeated every ``repeat_interval``
    (e.g. HFS: 100 pulses at 100 Hz, 5 repeats 10 s apart). Unset stimulus and intensity come
    from the protocol.
    """

    name: str = Field(description="Name of the train, used by readouts (e.g. 'baseline', 'test').")
    stimulus: str | None = Field(None, description="Stimulus protocol; default protocol.stimulus.")
    start: Time = param("0 ms", "Time of the first pulse.", "experiment choice", ge=0, le=1e12)
    pulses: int = param(1, "Pulses per repeat.", "experiment choice", unit="count", ge=1, le=1e6)
    frequency: FrequencyHz = param(
        "1 Hz", "Pulse frequency within a repeat.", "experiment choice", gt=0, le=1000
    )
    repeats: int = param(1, "Number of repeats.", "experiment choice", unit="count", ge=1, le=1e5)
    repeat_interval: Time = param(
        "10 s",
        "Time from the start of one repeat to the next.",
        "Ruscheweyh et al. 2011 (HFS repeats at 10-s intervals, SCIENCE B1)",
        gt=0,
        le=1e12,
    )
    intensity: float | None = param(
        None,
        "Electrical intensity (× C threshold); default protocol.intensity.",
        "experiment choice",
        unit="× C threshold",
        ge=0,
        le=100,
    )
    site: int | None = param(
        None,
        "Skin site (0 … protocol.sites − 1) whose fibres the train reaches; null = every site (the whole nerve). Trains that name a site are the tests of the receptive-field readout.",
        "experiment choice",
        unit="site index",
        ge=0,
        le=999,
    )

    @field_validator("stimulus")
    @classmethod
    def _known_stimulus(cls, value: str | None) -> str | None:
        return None if value is None else _known_stimulus_name(value)

    @model_validator(mode="after")
    def _repeats_do_not_overlap(self) -> Train:
        length = (self.pulses - 1) * 1000.0 / self.frequency
        if self.repeats > 1 and length >= self.repeat_interval:
            raise ValueError(
                f"repeat_interval ({self.repeat_interval:g} ms) must exceed the train length "
                f"({length:g} ms): lengthen it or lower pulses/raise frequency"
            )
        return self

    def times(self) -> list[float]:
        """Pulse times (ms)."""
        within = [self.start + k * 1000.0 / self.frequency for k in range(self.pulses)]
        return [t + r * self.repeat_interval for r in range(self.repeats) for t in within]


def _known_stimulus_name(value: str) -> str:
    from painnet.protocols import stimulus_names

    names = stimulus_names()
    if value not in names:
        raise ValueError(
            f"unknown stimulus {value!r}{_suggest(value, names)}; known: {', '.join(names)}"
        )
    return value


class Protocol(Section):
    """The stimulus protocol: a train of pulses (electrical C-strength stimulation or touch).

    ``stimulus: electrical`` recruits every fibre whose threshold lies below ``intensity``
    (Aβ, then Aδ, then C); ``touch`` drives fibres at their ``touch_rate`` for ``touch_duration``.
    Responses are counted per pulse (see ``output.response_window``).
    """

    stimulus: str = Field(
        "electrical", description="Registered stimulus protocol: 'electrical', 'touch' or 'none'."
    )
    pulses: int = param(
        16,
        "Number of stimuli in the train.",
        "Dickenson & Sullivan 1987: 16 stimuli (SCIENCE A1)",
        unit="count",
        ge=0,
        le=100_000,
    )
    frequency: FrequencyHz = param(
        "1 Hz",
        "Stimulus repetition frequency (a bare number is read as Hz).",
        "SCIENCE A1 (0.5–1 Hz standard)",
        gt=0,
        le=1000,
        label="Stimulus frequency",
    )
    intensity: float = param(
        1.5,
        "Electrical intensity, in multiples of the C-fibre threshold.",
        "SNL rat study 1.5 × C threshold (SCIENCE A1)",
        unit="× C threshold",
        ge=0,
        le=100,
        label="Stimulus intensity",
    )
    start: Time = param(
        "1 s",
        "Time of the first stimulus.",
        "assumption: 1 s of settling, as Aguiar 2010",
        ge=0,
        le=1e9,
    )
    after: Time = param(
        "3 s",
        "Recording time after the last stimulus.",
        "assumption: long enough for post-discharge to end",
        ge=0,
        le=1e9,
    )
    touch_duration: Time = param(
        "20 ms",
        "Duration of each touch stimulus.",
        "Crodelle 2019 (Aβ 40 Hz × 20 ms, SCIENCE C2)",
        gt=0,
        le=1e7,
    )
    sites: int = param(
        1,
        "Number of skin sites: each afferent class's fibres are split, in node order, into this many contiguous groups of (nearly) equal size, one per site (1 = the whole nerve is one site). A train with a `site` reaches only that site's fibres.",
        "assumption: the model has no skin topography; a site stands for a patch of skin innervated by its own share of each fibre class, for the receptive-field readout (secondary hyperalgesia, Woolf & King 1989)",
        unit="count",
        ge=1,
        le=1000,
    )
    background: Background = Field(default_factory=Background)
    trains: list[Train] | None = Field(
        None,
        description="Several named trains (e.g. baseline tests, conditioning, later tests); when given they replace the single train (pulses, frequency, start).",
    )

    @field_validator("stimulus")
    @classmethod
    def _known_stimulus(cls, value: str) -> str:
        return _known_stimulus_name(value)

    @field_validator("trains")
    @classmethod
    def _unique_names(cls, value: list[Train] | None) -> list[Train] | None:
        if value is not None:
            names = [t.name for t in value]
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise ValueError(f"train names must be unique; repeated: {', '.join(repeated)}")
        return value

    @model_validator(mode="after")
    def _sites_exist(self) -> Protocol:
        for k, train in enumerate(self.trains or []):
            if train.site is not None and train.site >= self.sites:
                raise ValueError(
                    f"trains.{k}.site: train {train.name!r} names site {train.site}, but "
                    f"protocol.sites is {self.sites} (sites 0 … {self.sites - 1}); raise "
                    "protocol.sites or pick an existing site"
                )
        return self

    @property
    def interval(self) -> float:
        """Inter-stimulus interval (ms) of the single train."""
        return 1000.0 / self.frequency

    @property
    def end(self) -> float:
        """Time of the last stimulus plus the recording tail (ms)."""
        if self.trains is not None:
            last = max((max(t.times()) for t in self.trains), default=0.0)
            return last + self.after
        return self.start + max(self.pulses - 1, 0) * self.interval + self.after


class Disinhibition(Section):
    """Loss of spinal inhibition: weaker GABA_A/glycine conductance and/or a depolarized E_Cl.

    In the affected dorsal-horn populations every GABA_A/glycine conductance a neuron receives
    (from inhibitory interneurons and from background noise) is multiplied by
    ``inhibition_scale``, and the chloride reversal becomes
    ``model.receptors.gaba_a.reversal + chloride_shift``. Blocking inhibition unmasks a
    polysynaptic Aβ → excitatory interneuron → lamina I pathway, so touch drives NS projection
    neurons (allodynia; Torsney & MacDermott 2006; SCIENCE B4, V8). Both act per neuron through
    the engine's cell parameters, so they can differ between batch members and be swept.
    """

    inhibition_scale: float = param(
        1.0,
        "Fraction of GABA_A/glycine conductance the affected neurons keep (1 = intact, 0 = all inhibition lost, as bicuculline + strychnine); scales synaptic and background inhibition.",
        "Torsney & MacDermott 2006 J Neurosci 26:1833 (GABA_A/glycine block unmasks Aβ input to lamina I); SCIENCE B4, V8 (0–20 % kept)",
        unit="fraction",
        ge=0,
        le=1,
        label="Inhibition kept",
    )
    chloride_shift: Voltage = param(
        "0 mV",
        "Depolarizing shift of the chloride reversal E_Cl in the affected neurons (KCC2 loss after nerve injury; about +20–25 mV in lamina I).",
        "Coull et al. 2003 Nature 424:938; Coull et al. 2005 Nature 438:1017; modelled in Prescott et al. 2006 Mol Pain 2:32 (SCIENCE B4)",
        ge=0,
        le=40,
        label="E_Cl shift",
    )
    populations: list[str] | None = Field(
        None,
        description="Dorsal-horn populations the condition acts on (names from model.populations); null = every dorsal-horn population.",
    )

    @field_validator("populations")
    @classmethod
    def _not_empty(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not value:
            raise ValueError(
                "empty list: name the populations, or write null for every dorsal-horn population"
            )
        return value


class OngoingInput(Section):
    """Ongoing (tonic or ectopic) firing of afferent fibres during a time window.

    Inflammation (capsaicin, mustard oil) and a surgical incision make C fibres fire for minutes
    to hours; after nerve injury a fraction of fibres fire ectopically. The chosen fibres fire
    Poisson spikes at ``rate`` on top of their spontaneous rate. Rates change at whole seconds
    (the background is drawn in 1-s chunks).
    """

    population: str = Field(description="Afferent population that fires (e.g. 'C').")
    rate: Frequency = param(
        "2 Hz",
        "Extra firing rate of each chosen fibre.",
        "assumption: C-fibre discharge of a few Hz during mustard-oil/capsaicin inflammation and after incision (Woolf & Thompson 1991; SCIENCE B1)",
        ge=0,
        le=500,
    )
    fraction: float = param(
        1.0,
        "Fraction of the population's fibres that fire (chosen at random from the network seed).",
        "assumption: 1 for inflammation; a minority for ectopic firing after nerve injury",
        unit="fraction",
        ge=0,
        le=1,
    )
    start: Time = param("0 ms", "When the firing starts.", "experiment choice", ge=0, le=1e12)
    duration: Time | None = param(
        None,
        "How long it lasts (null: to the end of the run).",
        "experiment choice",
        gt=0,
        le=1e12,
    )

    @property
    def end(self) -> float:
        """End of the window (ms; infinity when open-ended)."""
        return float("inf") if self.duration is None else self.start + self.duration


class Condition(Section):
    """Pathological conditions of the network; each is a subsection, absent (null) when healthy.

    Conditions change the network the way a disease or injury does and may be combined:
    ``disinhibition`` (loss of inhibition, allodynia), ``ongoing_input`` (inflammatory,
    post-incisional or ectopic afferent firing) and ``chronic_state`` (an established chronic
    sensitization, as in CRPS).
    """

    disinhibition: Disinhibition | None = Field(
        None,
        description="Loss of spinal inhibition (allodynia); null = intact inhibition.",
    )
    ongoing_input: list[OngoingInput] = Field(
        default_factory=list,
        description="Windows of ongoing afferent firing (inflammation, incision, ectopic firing).",
    )
    chronic_state: float | None = param(
        None,
        "Initial chronic sensitization state s of every dorsal-horn neuron (1 = fully established, as in long-standing CRPS); null = 0.",
        "assumption: CRPS patients enter treatment with the chronic state established (disease duration median 7.4 years, Sigtermans 2009, SCIENCE F2)",
        unit="fraction",
        ge=0,
        le=1,
    )


class Run(Section):
    """How to simulate: duration, time steps, seeds, kernel."""

    duration: Time | None = param(
        None,
        "Simulated time; default: protocol end (start + train + after).",
        "experiment choice",
        ge=1,
        le=1e10,
    )
    dt: Time = param(
        "0.1 ms",
        "Integration time step of the neuron kernel.",
        "DESIGN 2 (0.1–0.25 ms)",
        ge=0.01,
        le=0.5,
    )
    model_step: Time = param(
        "10 ms",
        "Length of one Mesa model step (kernel steps between Python agent rules).",
        "assumption: fine enough for agent rules, coarse enough to be fast",
        ge=0.01,
        le=60_000,
    )
    seed: int = param(
        1,
        "Root seed; network, stimulus and background streams are derived from it.",
        "experiment choice",
        unit="1",
        ge=0,
        le=2**63 - 1,
    )
    replicates: int = param(
        1,
        "Batch members simulated together: same network, independent input streams.",
        "experiment choice",
        unit="count",
        ge=1,
        le=1024,
    )
    kernel: Literal["numba", "numpy"] = Field(
        "numba", description="Neuron kernel: compiled 'numba' or the numpy reference."
    )
    clock: Literal["fast", "slow", "auto"] = Field(
        "auto",
        description="'fast': the spiking network (seconds to hours); 'slow': slow states, drugs and pain on the network's measured transfer function in slow_step steps (days to weeks, no stimulus pulses); 'auto': slow when the run is longer than slow_after and has no pulses.",
    )
    slow_step: Time = param(
        "1 min",
        "Time step of the slow clock.",
        "DESIGN 2 (slow states integrated at minute-scale steps)",
        ge=1000,
        le=8.64e7,
    )
    slow_after: Time = param(
        "2 h",
        "With clock 'auto', runs longer than this (and without pulses) use the slow clock.",
        "design choice: the fast clock takes ~1 min per simulated hour",
        ge=0,
        le=1e12,
    )

    @model_validator(mode="after")
    def _model_step_multiple_of_dt(self) -> Run:
        ratio = self.model_step / self.dt
        if abs(ratio - round(ratio)) > 1e-6 or round(ratio) < 1:
            raise ValueError(
                f"model_step ({self.model_step:g} ms) must be a whole multiple of dt ({self.dt:g} ms)"
            )
        return self


class Output(Section):
    """What a run writes and how responses are counted."""

    dir: str | None = Field(
        None,
        min_length=1,
        description="Output folder; default runs/<config name>. `--out` overrides.",
    )
    figures: bool = Field(True, description="Write the projector-style PNG figures.")
    spikes: bool = Field(
        False, description="Also write every spike (spikes.csv); large for long runs."
    )
    record_interval: Time = param(
        "10 ms",
        "Interval between DataCollector rows (timeseries.csv).",
        "assumption",
        ge=0.01,
        le=1e9,
    )
    response_window: tuple[Time, Time] = param(
        ("90 ms", "800 ms"),
        "Window after each stimulus in which projection-neuron spikes count as its response (C response plus post-discharge); the end is capped at the next stimulus.",
        "SCIENCE I.1 (90–800 ms)",
    )
    windup_pulses: tuple[int, int] = param(
        (14, 16),
        "Pulses (1-based, inclusive) averaged for the wind-up ratio mean(R_a..R_b)/R_1; with fewer pulses the last three are used.",
        "issue 2 definition; Dickenson & Sullivan 1987 (16 stimuli)",
        unit="pulse index",
    )
    responding_threshold: float = param(
        1.0,
        "A neuron responds when its mean spikes per stimulus in the response window exceed what its spontaneous rate predicts for that window by at least this much (responding_fraction; for touch, the allodynia index).",
        "issue 3 definition (at least 1 spike per touch on average); SCIENCE V8",
        unit="spike/stimulus",
        gt=0,
        le=1000,
    )
    baseline_window: tuple[Time, Time] = param(
        ("200 ms", "1000 ms"),
        "Window (time from the start of the run) in which each neuron's spontaneous rate is measured for responding_fraction; the end is capped at the first stimulus.",
        "assumption: skips the first 200 ms while membranes settle from rest (τ = C/g ≈ 25 ms) and ends at protocol.start (1 s by default)",
    )

    report_times: list[Time] = param(
        [],
        "Times at which slow-clock runs report the pain score and cumulative PCA opioid in summary.json (pain_score_at_<h>h, opioid_mg_at_<h>h).",
        "experiment choice (e.g. 24 h and 48 h for opioid use, SCIENCE V9; weeks 1–12 for CRPS, V11)",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Output:
        start, end = self.response_window
        if not 0 <= start < end:
            raise ValueError(
                f"response_window: need 0 <= start < end, got ({start:g} ms, {end:g} ms)"
            )
        a, b = self.windup_pulses
        if not 1 <= a <= b:
            raise ValueError(f"windup_pulses: need 1 <= first <= last, got ({a}, {b})")
        start, end = self.baseline_window
        if not 0 <= start < end:
            raise ValueError(
                f"baseline_window: need 0 <= start < end, got ({start:g} ms, {end:g} ms)"
            )
        return self


class SweepRange(Section):
    """Values of one swept parameter: a list, an evenly spaced range, or (random/sobol) bounds."""

    values: list[Any] | None = Field(
        None, description="Explicit values (config syntax, e.g. '1 Hz')."
    )
    start: float | None = param(
        None, "First value of a range (in `unit`).", "experiment choice", unit="as unit"
    )
    stop: float | None = param(
        None, "Last value of a range, inclusive (in `unit`).", "experiment choice", unit="as unit"
    )
    num: int | None = param(
        None, "Number of values of a range.", "experiment choice", unit="count", ge=1, le=100_000
    )
    scale: Literal["linear", "log"] = Field("linear", description="Spacing of a range or a sample.")
    unit: str = Field(
        "", description="Unit appended to generated numbers, e.g. 'Hz' (empty: bare numbers)."
    )

    @model_validator(mode="after")
    def _one_form(self) -> SweepRange:
        has_range = self.start is not None and self.stop is not None
        if (self.values is None) == (not has_range):
            raise ValueError("give either 'values' or 'start' and 'stop'")
        if self.values is not None and len(self.values) == 0:
            raise ValueError("'values' is empty")
        if self.scale == "log" and has_range and min(self.start, self.stop) <= 0:
            raise ValueError("a log scale needs start and stop > 0")
        return self


SAMPLED_MODES = ("random", "sobol", "saltelli", "morris")


class SweepBoundary(Section):
    """A boundary on the sweep heatmaps: the contour where ``readout`` equals ``level``.

    E.g. ``readout: pain_score_at_840h`` and ``level`` a point below the untreated pain: cells
    on one side still have relief weeks after the infusion (the drug *reversed* the chronic
    state), cells on the other had relief only while the drug was present (it *interrupted*
    signalling).
    """

    readout: str = Field(description="Readout whose contour is drawn (a results.csv column).")
    level: float = param(
        0.0, "Value of the readout on the boundary.", "experiment choice", unit="readout unit"
    )
    below: str = Field("", description="Label of the side where the readout is below the level.")
    above: str = Field("", description="Label of the side where the readout is above the level.")


class Sweep(Section):
    """A parameter sweep over dotted config paths (``painnet sweep CONFIG``).

    ``grid`` takes every combination, ``zip`` pairs values position by position, ``random`` and
    ``sobol`` draw ``samples`` points between each range's start and stop, and ``saltelli`` /
    ``morris`` draw SALib designs (``samples`` base samples or trajectories) for Sobol indices or
    elementary effects (``painnet sensitivity``; needs ``painnet[sensitivity]``). Every point runs
    ``replicates`` times; with ``common_random_numbers`` replicate r of every point sees the same
    network and input spikes, so differences between points are the parameters', not chance.
    """

    mode: Literal["grid", "zip", "random", "sobol", "saltelli", "morris"] = Field(
        "grid", description="How parameter values combine into points."
    )
    parameters: dict[str, SweepRange | list[Any]] = Field(
        description="Dotted config path → values (a list) or a range."
    )
    samples: int | None = param(
        None,
        "Number of points for random/sobol sampling.",
        "experiment choice",
        unit="count",
        ge=1,
        le=1_000_000,
    )
    replicates: int = param(
        1,
        "Runs per point (different input streams).",
        "experiment choice",
        unit="count",
        ge=1,
        le=10_000,
    )
    common_random_numbers: bool = Field(
        True, description="Replicate r of every point shares network and input spikes."
    )
    batch_size: int = param(
        16,
        "Members simulated together in one engine batch.",
        "assumption: 16 fills 2 cores well (benchmarks/)",
        unit="count",
        ge=1,
        le=4096,
    )
    readouts: list[str] = Field(
        default_factory=lambda: ["windup_ratio", "first_response"],
        description="Readouts plotted by `painnet plot` (dotted: 'NS.windup_ratio').",
    )
    boundary: SweepBoundary | None = Field(
        None,
        description="A contour drawn on every heatmap: where a readout crosses a level (e.g. the line between 'interrupts' and 'reverses').",
    )

    @model_validator(mode="after")
    def _samples_for_sampling(self) -> Sweep:
        if not self.parameters:
            raise ValueError("parameters: give at least one dotted path to sweep")
        if self.mode in SAMPLED_MODES:
            if self.samples is None:
                raise ValueError(f"mode {self.mode!r} needs 'samples'")
            for path, spec in self.parameters.items():
                if not isinstance(spec, SweepRange) or spec.start is None:
                    raise ValueError(f"parameters.{path}: mode {self.mode!r} needs start and stop")
        return self


class ExperimentConfig(Section):
    """A painnet experiment (config format v1)."""

    schema_version: Literal[1] = Field(description="Config format version; this painnet reads 1.")
    title: str = Field("", description="Short title shown in figures and the gallery.")
    description: str = Field("", description="What the experiment shows and what to look for.")
    model: ModelSpec = Field(default_factory=ModelSpec)
    protocol: Protocol = Field(default_factory=Protocol)
    drugs: Drugs = Field(default_factory=Drugs)
    condition: Condition = Field(default_factory=Condition)
    run: Run = Field(default_factory=Run)
    output: Output = Field(default_factory=Output)
    sweep: Sweep | None = Field(
        None, description="Optional parameter sweep (used by `painnet sweep`)."
    )

    @model_validator(mode="after")
    def _condition_populations(self) -> ExperimentConfig:
        """Conditions name existing dorsal-horn populations."""
        from painnet.agents import is_afferent_type

        disinhibition = self.condition.disinhibition
        if disinhibition is None or disinhibition.populations is None:
            return self
        where = "condition.disinhibition.populations"
        dorsal_horn = [
            name for name, pop in self.model.populations.items() if not is_afferent_type(pop.type)
        ]
        problems = []
        for name in disinhibition.populations:
            population = self.model.populations.get(name)
            if population is None:
                problems.append(
                    f"{where}: unknown population {name!r}{_suggest(name, dorsal_horn)}; "
                    f"dorsal-horn populations: {', '.join(dorsal_horn)}"
                )
            elif is_afferent_type(population.type):
                problems.append(
                    f"{where}: {name!r} is a primary afferent and receives no inhibition; "
                    "name dorsal-horn populations"
                )
        if problems:
            raise ValueError(" | ".join(problems))
        return self

    @property
    def duration(self) -> float:
        """Simulated time (ms): ``run.duration`` or the protocol's end."""
        return self.run.duration if self.run.duration is not None else self.protocol.end
