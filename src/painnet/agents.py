"""Neuron agents: one Mesa agent per neuron, a view onto its column of the engine's arrays.

The engine integrates every neuron at once; an agent reads and writes its own neuron's state
(``v``, ``calcium``, ``can_gate``...) and parameters (``bias_current``, ``can_conductance``,
``chloride_reversal``, ``inhibition_scale``...) for the batch member the model shows
(``model.member``).

**Extension point.** A subclass that defines ``step()`` gets it called once per model step, after
the kernel has advanced (Python speed: use it for slow rules). Register a new or replacement type
under a name and use that name as a population ``type`` in a config::

    @painnet.register_agent_type("sensitizing_wdr")
    class SensitizingWDR(painnet.WDRNeuron):
        def step(self):
            if self.fired:
                self.bias_current += 1.0   # pA per active model step

Other packages can register types through the ``painnet.agent_types`` entry-point group.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import TYPE_CHECKING, ClassVar

from mesa import Agent
from mesa.discrete_space import FixedAgent

from painnet.engine.layout import C, S

if TYPE_CHECKING:
    from painnet.model import PainModel

_REGISTRY: dict[str, type[Neuron]] = {}
_ENTRY_POINTS_LOADED = False


def register_agent_type(name: str):
    """Class decorator: make an agent class usable as population ``type: <name>`` in configs."""

    def decorate(cls: type[Neuron]) -> type[Neuron]:
        if not (isinstance(cls, type) and issubclass(cls, Neuron)):
            raise TypeError(f"agent type {name!r} must subclass painnet.Neuron, got {cls!r}")
        cls.type_name = name
        _REGISTRY[name] = cls
        return cls

    return decorate


def _load_entry_points() -> None:
    global _ENTRY_POINTS_LOADED
    if _ENTRY_POINTS_LOADED:
        return
    _ENTRY_POINTS_LOADED = True
    for ep in entry_points(group="painnet.agent_types"):
        try:
            register_agent_type(ep.name)(ep.load())
        except Exception as err:  # a broken plugin must not look like a painnet crash
            from painnet.errors import PainnetError

            raise PainnetError(
                f"agent-type plugin {ep.name!r} ({ep.value}) failed to load: "
                f"{type(err).__name__}: {err}; fix or uninstall the package that provides it"
            ) from None


def agent_types() -> dict[str, type[Neuron]]:
    """All registered agent types by name (built-in, decorated and entry-point plugins)."""
    _load_entry_points()
    return dict(_REGISTRY)


def agent_type_names() -> list[str]:
    """Names accepted as a population ``type``."""
    return sorted(agent_types())


def is_afferent_type(name: str) -> bool:
    """Whether the registered type ``name`` is a primary afferent (driven by protocols)."""
    cls = agent_types().get(name)
    return cls is not None and issubclass(cls, Afferent)


class Neuron(FixedAgent):
    """A neuron of the dorsal-horn network, fixed to its node of the network space.

    Attributes:
        index: the neuron's node id and its column in the engine arrays.
        population: the population name from the config.
    """

    type_name: ClassVar[str] = "neuron"
    model: PainModel

    def __init__(self, model: PainModel, cell, index: int, population: str) -> None:
        super().__init__(model)
        self.cell = cell
        self.index = index
        self.population = population

    @property
    def spike_count(self) -> int:
        """Spikes fired since the start of the run."""
        return int(self.model.engine.spike_count[self.model.member, self.index])

    @property
    def fired(self) -> bool:
        """Whether the neuron spiked during the last model step."""
        last = self.model.engine.last_spike[self.model.member, self.index]
        return bool(last >= self.model.engine.t - self.model.steps_per_model_step)

    def step(self) -> None:
        """No Python-level rule by default (the kernel does the dynamics)."""


def has_rule(cls: type) -> bool:
    """Whether agents of ``cls`` have a Python-level ``step()`` rule to run each model step.

    True for neuron types that override :meth:`Neuron.step` and for any other Mesa agent class
    with a ``step`` (a researcher's new cell type, e.g. microglia, added to a running model).
    """
    step = getattr(cls, "step", None)
    if step is None:
        return False
    if issubclass(cls, Neuron):
        return step is not Neuron.step
    return step is not Agent.step


def _state_property(row: str, doc: str) -> property:
    r = S[row]

    def get(self: Neuron) -> float:
        return float(self.model.engine.state[self.model.member, r, self.index])

    def set_(self: Neuron, value: float) -> None:
        self.model.engine.state[self.model.member, r, self.index] = value

    return property(get, set_, doc=doc)


def _cell_property(row: str, doc: str) -> property:
    r = C[row]

    def get(self: Neuron) -> float:
        return float(self.model.engine.cell[self.model.member, r, self.index])

    def set_(self: Neuron, value: float) -> None:
        self.model.engine.cell[self.model.member, r, self.index] = value

    return property(get, set_, doc=doc)


class DorsalHornNeuron(Neuron):
    """A conductance-based integrate-and-fire neuron with NMDA calcium and a CAN current.

    ``sensitizes`` (class attribute): whether the slow sensitization states
    (:mod:`painnet.sensitization`) act on neurons of this type.
    """

    sensitizes: bool = True
    potentiation = _state_property(
        "potentiation", "Synaptic potentiation ρ of plastic inputs (0–1)."
    )
    excitability = _state_property("excitability", "Activity-maintained excitability e (0–1).")
    chronic = _state_property("chronic", "Chronic sensitization state s (0–1).")

    v = _state_property("v", "Membrane potential (mV).")
    calcium = _state_property("calcium", "Intracellular Ca²⁺ (µM).")
    can_gate = _state_property("can_gate", "CAN gate m (0–1); current is g m² (V - E_CAN).")
    ampa = _state_property("ampa", "AMPA conductance (nS).")
    gaba_a = _state_property("gaba_a", "GABA_A conductance (nS).")
    bias_current = _cell_property("bias_current", "Injected current (pA).")
    can_conductance = _cell_property("can_conductance", "Maximal CAN conductance (nS).")
    chloride_reversal = _cell_property("chloride_reversal", "GABA_A reversal E_Cl (mV).")
    inhibition_scale = _cell_property(
        "inhibition_scale",
        "Fraction of the received GABA_A/glycine conductance that acts (1 = intact; disinhibition).",
    )
    threshold = _cell_property("threshold", "Spike threshold (mV).")


class Afferent(Neuron):
    """A primary afferent fibre: its spikes come from stimulus protocols and spontaneous firing."""

    @property
    def threshold(self) -> float:
        """Electrical threshold (× C-fibre threshold)."""
        return self.model.graph.nodes[self.index]["threshold"]

    @property
    def latency(self) -> float:
        """Conduction latency to the dorsal horn (ms)."""
        return self.model.graph.nodes[self.index]["latency"]


@register_agent_type("c_fibre")
class CFibre(Afferent):
    """Unmyelinated nociceptive C fibre (slow, 0.5–2 m/s; high threshold)."""


@register_agent_type("adelta_fibre")
class ADeltaFibre(Afferent):
    """Thinly myelinated Aδ fibre (fast pain)."""


@register_agent_type("abeta_fibre")
class ABetaFibre(Afferent):
    """Myelinated low-threshold Aβ fibre (touch)."""


@register_agent_type("excitatory_interneuron")
class ExcitatoryInterneuron(DorsalHornNeuron):
    """Excitatory (glutamatergic) dorsal-horn interneuron."""


@register_agent_type("inhibitory_interneuron")
class InhibitoryInterneuron(DorsalHornNeuron):
    """Inhibitory (GABA/glycinergic) dorsal-horn interneuron.

    Not sensitized: central sensitization is described in excitatory and projection neurons
    (SCIENCE B; Ikeda 2003: LTP only in NK1⁺ projection neurons), and inhibitory neurons that
    fired more would mask it.
    """

    sensitizes = False


class ProjectionNeuron(DorsalHornNeuron):
    """A projection neuron: its output leaves the cord (readouts are computed on these)."""


@register_agent_type("wdr")
class WDRNeuron(ProjectionNeuron):
    """Wide-dynamic-range (lamina V) projection neuron: Aβ, Aδ and C input; shows wind-up."""


@register_agent_type("ns")
class NSNeuron(ProjectionNeuron):
    """Nociceptive-specific (lamina I) projection neuron: Aδ and C input."""


def sensitizes(name: str) -> bool:
    """Whether the slow sensitization states act on neurons of the registered type ``name``."""
    cls = agent_types().get(name)
    return cls is not None and bool(getattr(cls, "sensitizes", False))


def is_projection_type(name: str) -> bool:
    """Whether the registered type ``name`` is a projection neuron (readouts are reported for it)."""
    cls = agent_types().get(name)
    return cls is not None and issubclass(cls, ProjectionNeuron)
