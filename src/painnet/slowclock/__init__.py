"""The slow clock: days-to-weeks protocols on the network's measured transfer function."""

from painnet.config.schema import ExperimentConfig


def resolved_clock(config: ExperimentConfig) -> str:
    """``"fast"`` or ``"slow"``: ``run.clock``, with ``auto`` decided by duration and pulses."""
    run = config.run
    if run.clock != "auto":
        return run.clock
    no_pulses = config.protocol.trains is None and config.protocol.stimulus == "none"
    return "slow" if no_pulses and config.duration > run.slow_after else "fast"
