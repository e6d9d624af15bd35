"""``LiveModel``: the model behind the live app, rebuilt from the config and the slider values."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from painnet.config import apply_overrides, config_from_dict, load_config
from painnet.config.schema import ExperimentConfig
from painnet.model import PainModel
from painnet.viz.drug_view import DrugState, drug_state
from painnet.viz.sliders import apply_settings, describe_settings, path_of, seed_from_text

if TYPE_CHECKING:
    from painnet.pharmacology import Pharmacology


def live_config(config: ExperimentConfig, settings: dict[str, float]) -> ExperimentConfig:
    """The config the app simulates: slider values applied, one batch member.

    The app shows one member, so it simulates one (``run.replicates = 1``): a quarter of the work
    of ``configs/windup.yaml``'s four.
    """
    config = apply_settings(config, settings)
    if config.run.replicates == 1:
        return config
    return config_from_dict(apply_overrides(config.model_dump(mode="json"), {"run.replicates": 1}))


class LiveModel(PainModel):
    """A :class:`~painnet.model.PainModel` built from a config plus slider values.

    Mesa's SolaraViz rebuilds the model on Reset by calling the class with the model parameters as
    keywords: the config (fixed), ``rng`` (the seed box) and one keyword per slider, named by its
    config path with ``__`` for dots (``drugs__nmda_block=0.8``). The model stops running
    (``running = False``, which stops Play) when the protocol is over.

    Args:
        config: the config the app was started with (or a path to it).
        rng: root seed: an int, or the seed box's text (see
            :func:`painnet.viz.sliders.seed_from_text`); default ``config.run.seed``.
        **settings: slider values by keyword.

    Attributes:
        base_config: the config before the slider values.
        settings_text: the slider values on one line, for titles.
    """

    def __init__(
        self, config: ExperimentConfig | str | Path, *, rng: Any = None, **settings: float
    ) -> None:
        # Mesa's Reset also passes a `scenario` to models that take **kwargs; painnet's scenario is
        # the config, so it is dropped.
        settings.pop("scenario", None)
        base = config if isinstance(config, ExperimentConfig) else load_config(config)
        live = live_config(base, {path_of(name): value for name, value in settings.items()})
        super().__init__(live, rng=seed_from_text(rng, base.run.seed))
        self.base_config = base
        self.settings_text = describe_settings(live)
        self._drug_state: DrugState | None = None

    def step(self) -> None:
        """One model step; stop running at the end of the protocol."""
        super().step()
        if self.time_ms >= self.config.duration:
            self.running = False

    @functools.cached_property
    def pharmacology(self) -> Pharmacology:
        """The shown member's drugs, for the drug panel and the monitor.

        The simulation's own (``drug_effects.pharmacology``, so doses added during the run show
        too) when the model keeps it; otherwise the same virtual patient rebuilt from the
        ``patients`` stream of the member's key, as :class:`painnet.drug_effects.DrugEffects`
        draws it.
        """
        from painnet.pharmacology import Pharmacology
        from painnet.seeds import stream

        shared = getattr(self.drug_effects, "pharmacology", None)
        if shared is not None:
            return shared[self.member]
        key = self.stream_keys[self.member]
        return Pharmacology.from_config(
            self.members[self.member].drugs, rng=stream(self.seed, "patients", key)
        )

    def drug_state(self) -> DrugState:
        """Concentrations, occupancy, vital signs and alarms now (computed once per time)."""
        if self._drug_state is None or self._drug_state.time_ms != self.time_ms:
            self._drug_state = drug_state(self.pharmacology, self.time_ms)
        return self._drug_state
