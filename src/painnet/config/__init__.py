"""Experiment configs: the schema (:mod:`painnet.config.schema`) and reading YAML files."""

from painnet.config.loading import apply_overrides, config_from_dict, load_config, parse_overrides
from painnet.config.schema import ExperimentConfig

__all__ = [
    "ExperimentConfig",
    "apply_overrides",
    "config_from_dict",
    "load_config",
    "parse_overrides",
]
