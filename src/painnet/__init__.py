"""painnet: an agent-based model of spinal dorsal-horn pain signalling on Mesa.

NMDA-driven wind-up emerges from NMDA calcium entry and a Ca²⁺-activated (CAN) current in a
network of neuron agents; configs are YAML (``painnet run configs/windup.yaml``).

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
from painnet.config import ExperimentConfig, config_from_dict, load_config
from painnet.errors import ConfigError, PainnetError
from painnet.model import PainModel
from painnet.protocols import register_stimulus
from painnet.run import RunResult, simulate

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
    "PainModel",
    "PainnetError",
    "ProjectionNeuron",
    "RunResult",
    "WDRNeuron",
    "__version__",
    "agent_types",
    "config_from_dict",
    "load_config",
    "register_agent_type",
    "register_stimulus",
    "simulate",
]
