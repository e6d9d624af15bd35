"""Seeds are data: one root seed split into named, independent random streams.

``stream(seed, "network")`` builds the graph and the fibres' fixed properties (shared by every
batch member, so drug and control runs share the network: common random numbers);
``stream(seed, "stimulus", member)`` and ``stream(seed, "background", member)`` drive one batch
member's inputs. A member's streams depend only on (seed, member), never on the batch size.
"""

from __future__ import annotations

import numpy as np

STREAMS: dict[str, int] = {
    "network": 0,
    "stimulus": 1,
    "background": 2,
    "rules": 3,
    "ongoing": 4,
    "patients": 5,
    "drug_targets": 6,
}


def stream(seed: int, name: str, member: int = 0) -> np.random.Generator:
    """The named random stream of batch member ``member`` under root ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(STREAMS[name], member)))
