"""The live app's controls, generated from the config schema.

A slider is named by its config path (``drugs.nmda_block``); its label, unit and hard bounds come
from the schema field (:func:`painnet.docs.schema_fields`), never re-declared here. What this
module adds is the *classroom range*: the part of a field's accepted range worth a slider (the
schema accepts stimulus frequencies up to 1000 Hz; a lecture needs 0.1–5 Hz). Each classroom range
must lie within the schema's bounds (checked when the sliders are built, and in the tests).

Moving a slider and pressing Reset rebuilds the model from the config with the slider values
applied as overrides (:func:`apply_settings`), exactly as ``painnet run --set path=value`` would.

A slider path may run through a section that is null by default (``drugs.ketamine``,
``condition.disinhibition``): in such a config the slider shows the value the field would have
in a fresh section (its schema default; ``null`` → the lowest position), and moving it creates the
section, as ``--set`` does. Paths never run through lists: a drug's concentration slider sets the
``target_concentration`` shorthand (``--set drugs.ketamine.target_concentration=150ng/mL``), not
an entry of its ``regimen``.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import annotated_types
from pydantic_core import PydanticUndefined

from painnet.config import apply_overrides, config_from_dict
from painnet.config.schema import ExperimentConfig
from painnet.docs import SchemaField, schema_fields
from painnet.units import parse_quantity

#: The app's sliders: config path → classroom range ``(min, max, step)`` in the field's unit, in
#: the order shown.
#:
#: * ketamine: 0–600 ng/mL spans analgesia (70–160), dissociation (100–250) and the NMDA
#:   occupancy curve up to ~85 % (K 0.5 µM = 119 ng/mL; SCIENCE D2, D3);
#: * morphine: 0–100 ng/mL spans the µ C50 (Sarton 2000: 21.8 ng/mL in men, 9.4 in women) up to
#:   ~80 % activation, and the respiratory alarm (drive < 0.25 above ~27 ng/mL);
#: * the muscarinic and descending scales stop at 3 (the schema forbids scale × release E_max
#:   > 1, i.e. > 3.58 and > 3.33);
#: * inhibition kept: 1 = intact, 0 = all GABA_A/glycine inhibition lost (SCIENCE V8: 0–20 %).
CLASSROOM_RANGES: dict[str, tuple[float, float, float]] = {
    "drugs.nmda_block": (0.0, 1.0, 0.05),
    "drugs.ketamine.target_concentration": (0.0, 600.0, 10.0),
    "drugs.morphine.target_concentration": (0.0, 100.0, 2.0),
    "drugs.modifiers.cholinergic_tone.scale": (0.0, 3.0, 0.1),
    "drugs.modifiers.descending.scale": (0.0, 3.0, 0.1),
    "condition.disinhibition.inhibition_scale": (0.0, 1.0, 0.05),
    "protocol.frequency": (0.1, 5.0, 0.1),
    "protocol.intensity": (0.0, 3.0, 0.1),
}

#: Sliders whose setting is always written in the settings line; the others only when moved off
#: their neutral value (:attr:`SliderSpec.neutral`), so the line stays short.
ALWAYS_DESCRIBED = ("protocol.",)

#: Units not worth printing after a slider's label or value.
_BARE_UNITS = frozenset({"1", "fraction", "count"})


@dataclass(frozen=True)
class SliderSpec:
    """One slider of the app.

    Attributes:
        path: dotted config path, e.g. ``drugs.nmda_block``.
        label: the schema's label, else the key in words (``Frequency``).
        unit: the field's unit (canonical for quantities), or ``None``.
        low: lowest slider value.
        high: highest slider value.
        step: slider step.
        integer: whether the field takes whole numbers.
        neutral: the value meaning "not applied" (the schema default; ``null`` → ``low``).
    """

    path: str
    label: str
    unit: str | None
    low: float
    high: float
    step: float
    integer: bool
    neutral: float | None = None

    @property
    def name(self) -> str:
        """The model keyword for this slider (``drugs__nmda_block``): Mesa passes sliders as kwargs."""
        return param_name(self.path)

    @property
    def title(self) -> str:
        """Label with unit, as shown on the slider: ``Frequency (Hz)``."""
        return (
            self.label
            if self.unit in _BARE_UNITS or not self.unit
            else f"{self.label} ({self.unit})"
        )

    def value_in(self, config: ExperimentConfig) -> float:
        """The slider position for ``config``'s value (``null`` → the lowest position).

        Through a null section (``condition.disinhibition``) the value is the field's default in
        a fresh section (``inhibition_scale`` 1), as ``--set`` would create it.
        """
        value = _get(config, self.path)
        return self.low if value is None else float(value)

    def is_neutral(self, value: float) -> bool:
        """Whether ``value`` is the slider's "not applied" position."""
        neutral = self.low if self.neutral is None else self.neutral
        return math.isclose(float(value), neutral, rel_tol=1e-9, abs_tol=1e-12)

    def describe(self, value: float) -> str:
        """``NMDA block 0.8``, ``Frequency 1 Hz``, ``Intensity 1.5 × C threshold``."""
        number = f"{value:g}"
        if self.unit and self.unit not in _BARE_UNITS:
            number += f" {self.unit}"
        return f"{self.label} {number}"


def param_name(path: str) -> str:
    """The keyword a config path is passed under (dots are not allowed in keywords)."""
    return path.replace(".", "__")


def path_of(name: str) -> str:
    """The config path of a slider keyword (inverse of :func:`param_name`)."""
    return name.replace("__", ".")


@functools.cache
def _fields() -> dict[str, SchemaField]:
    return {field.path: field for field in schema_fields()}


def slider_specs(
    ranges: Mapping[str, tuple[float, float, float]] = CLASSROOM_RANGES,
) -> list[SliderSpec]:
    """Build the sliders from the schema and the classroom ranges.

    Args:
        ranges: config path → ``(min, max, step)`` in the field's unit.

    Returns:
        One spec per path, in order.

    Raises:
        ValueError: for a path that is not a numeric schema field, or a range outside the field's
            bounds.
    """
    fields = _fields()
    specs = []
    for path, (low, high, step) in ranges.items():
        field = fields.get(path)
        if field is None or not field.is_numeric:
            raise ValueError(f"slider {path!r}: not a numeric field of the config schema")
        _check_within(field, low, high)
        label = field.extra.get("label") or field.name.replace("_", " ").capitalize()
        integer = any(leaf.get("type") == "integer" for leaf in field._leaves)
        specs.append(
            SliderSpec(path, str(label), field.unit, low, high, step, integer, _default(field))
        )
    return specs


def _default(field: SchemaField) -> float | None:
    """A numeric field's schema default in its canonical unit (None for null or no default)."""
    default = field.info.default
    if default is None or default is PydanticUndefined or isinstance(default, bool):
        return None
    if isinstance(default, str) and field.dimension is not None:
        return parse_quantity(default, field.dimension)
    return float(default) if isinstance(default, int | float) else None


def _check_within(field: SchemaField, low: float, high: float) -> None:
    """Raise ValueError unless ``[low, high]`` lies within the schema bounds of ``field``."""
    for item in field.info.metadata:
        ok = True
        if isinstance(item, annotated_types.Ge):
            ok = low >= item.ge
        elif isinstance(item, annotated_types.Gt):
            ok = low > item.gt
        elif isinstance(item, annotated_types.Le):
            ok = high <= item.le
        elif isinstance(item, annotated_types.Lt):
            ok = high < item.lt
        if not ok:
            raise ValueError(
                f"slider {field.path}: classroom range [{low:g}, {high:g}] leaves the schema's "
                f"bounds ({field.bounds})"
            )


def model_params(config: ExperimentConfig, specs: list[SliderSpec] | None = None) -> dict[str, Any]:
    """SolaraViz ``model_params`` for :class:`painnet.viz.live_model.LiveModel`.

    The config itself is a fixed parameter (every Reset rebuilds from it); the seed is a text box
    (any text is accepted, see :func:`seed_from_text`); each slider starts at the config's value,
    and its range widens to include that value if the config sets one outside the classroom range.
    """
    from mesa.visualization import Slider

    params: dict[str, Any] = {
        "config": config,
        "rng": {"type": "InputText", "value": str(config.run.seed), "label": "Random seed"},
    }
    for spec in specs if specs is not None else slider_specs():
        value = spec.value_in(config)
        kind = int if spec.integer else float
        params[spec.name] = Slider(
            spec.title,
            value=kind(value),
            min=kind(min(spec.low, value)),
            max=kind(max(spec.high, value)),
            step=kind(spec.step),
            dtype=kind,
        )
    return params


def apply_settings(
    config: ExperimentConfig,
    settings: Mapping[str, float],
    specs: list[SliderSpec] | None = None,
) -> ExperimentConfig:
    """The config with slider values applied, validated by the schema like ``--set`` overrides.

    A slider left at the config's own value changes nothing (so ``nmda_block: null`` stays
    ``null``, not 0).

    Args:
        config: the config the app was started with.
        settings: slider values by config path.
        specs: the sliders (default: :func:`slider_specs`).

    Returns:
        The overridden config.

    Raises:
        ConfigError: if a value is rejected by the schema.
        ValueError: for a path that is not a slider.
    """
    by_path = {spec.path: spec for spec in (specs if specs is not None else slider_specs())}
    overrides: dict[str, Any] = {}
    for path, value in settings.items():
        spec = by_path.get(path)
        if spec is None:
            raise ValueError(f"{path!r} is not a slider; sliders: {', '.join(by_path)}")
        if math.isclose(float(value), spec.value_in(config), rel_tol=1e-9, abs_tol=1e-12):
            continue
        value = _on_step(spec, value)
        if spec.unit and spec.unit not in _BARE_UNITS and _is_quantity(spec):
            overrides[path] = f"{value:g} {spec.unit}"
        else:
            overrides[path] = int(value) if spec.integer else value
    if not overrides:
        return config
    return config_from_dict(apply_overrides(config.model_dump(mode="json"), overrides))


def describe_settings(config: ExperimentConfig, specs: list[SliderSpec] | None = None) -> str:
    """The slider values of a config on one line: ``Ketamine target 150 ng/mL · Frequency 1 Hz``.

    The stimulus sliders (:data:`ALWAYS_DESCRIBED`) are always listed; the others only when
    they are off their neutral value.
    """
    specs = specs if specs is not None else slider_specs()
    parts = []
    for spec in specs:
        value = spec.value_in(config)
        if spec.path.startswith(ALWAYS_DESCRIBED) or not spec.is_neutral(value):
            parts.append(spec.describe(value))
    return " · ".join(parts)


def seed_from_text(value: Any, default: int) -> int:
    """A root seed from the app's seed box.

    Whole numbers in ``[0, 2**63)`` are used as they are; other text (a student's name) becomes a
    seed through CRC-32, so every entry gives a reproducible run; empty text gives ``default``.
    Mesa's text box returns strings (MESA_NOTES §5, pitfall 9).
    """
    if value is None:
        return default
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
        return value
    text = str(value).strip()
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        return zlib.crc32(text.encode("utf-8"))
    return number if 0 <= number < 2**63 else zlib.crc32(text.encode("utf-8"))


def _on_step(spec: SliderSpec, value: float) -> float:
    """Snap a slider value to its step (the browser sends 0.30000000000000004)."""
    steps = round((float(value) - spec.low) / spec.step)
    snapped = spec.low + steps * spec.step
    decimals = max(0, -math.floor(math.log10(spec.step))) if spec.step < 1 else 0
    return round(snapped, decimals + 1)


def _is_quantity(spec: SliderSpec) -> bool:
    return _fields()[spec.path].dimension is not None


def _get(config: ExperimentConfig, path: str) -> Any:
    """The value at ``path``; through a null section, the value in a fresh (default) section."""
    value: Any = config
    keys = path.split(".")
    for depth, key in enumerate(keys):
        if value is None:
            section = _fields()[".".join(keys[:depth])].section_model
            value = section() if section is not None else None
            if value is None:
                return None
        value = getattr(value, key)
    return value
