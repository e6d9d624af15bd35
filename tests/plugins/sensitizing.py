"""A researcher's agent rule, defined outside the painnet package (the extension-point test)."""

from __future__ import annotations

import painnet


@painnet.register_agent_type("sensitizing_wdr")
class SensitizingWDR(painnet.WDRNeuron):
    """A WDR neuron whose excitability creeps up while it fires (a toy Python-level rule)."""

    increment_pa = 5.0

    def step(self) -> None:
        if self.fired:
            self.bias_current += self.increment_pa
