"""painnet: an agent-based model of spinal dorsal-horn pain signalling on Mesa.

NMDA-driven wind-up emerges from NMDA calcium entry and a Ca²⁺-activated (CAN) current in a
network of neuron agents; configs are YAML (``painnet run configs/windup.yaml``).

Central sensitization (LTP, excitability, chronic state), pain conditions, ketamine and morphine
from dose to effect, and a slow clock for weeks of treatment build on the same network.

Public API::

    from painnet import load_config, PainModel, simulate
    model = PainModel(load_config("configs/windup.yaml", ["drugs.nmda_block=0.8"]))
    model.run_for_time(5000)       # ms of biology
"""

from painnet.agents import (
    ABetaFibre,
    ADeltaFibre,
    Afferent,
    CFibre,
    DorsalHornNeuron,
    ExcitatoryInterneuron,
    InhibitoryInterneuron,
    Neuron,
    NSNeuron,
    ProjectionNeuron,
    WDRNeuron,
    agent_types,
    register_agent_type,
)
from painnet.config import ExperimentConfig, apply_overrides, config_from_dict, load_config
from painnet.errors import ConfigError, PainnetError
from painnet.model import PainModel
from painnet.outputs import write_run
from painnet.pain import pain_score
from painnet.pharmacology import Pharmacology
from painnet.pharmacology.pca import PCAPump
from painnet.protocols import register_stimulus
from painnet.run import RunResult, simulate
from painnet.slowclock.clock import Patient, SlowClockModel, simulate_slow

__version__ = "0.1.0"

__all__ = [
    "ABetaFibre",
    "ADeltaFibre",
    "Afferent",
    "CFibre",
    "ConfigError",
    "DorsalHornNeuron",
    "ExcitatoryInterneuron",
    "ExperimentConfig",
    "InhibitoryInterneuron",
    "NSNeuron",
    "Neuron",
    "PCAPump",
    "PainModel",
    "PainnetError",
    "Patient",
    "Pharmacology",
    "ProjectionNeuron",
    "RunResult",
    "SlowClockModel",
    "WDRNeuron",
    "__version__",
    "agent_types",
    "apply_overrides",
    "config_from_dict",
    "load_config",
    "pain_score",
    "register_agent_type",
    "register_stimulus",
    "simulate",
    "simulate_slow",
    "write_run",
]
