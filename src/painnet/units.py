"""Physical quantities in configs: parse ``"100 ms"`` into a float in painnet's canonical unit.

painnet computes in one fixed unit per dimension (the canonical unit below), so the kernels never
convert. Configs may use any listed unit; the schema converts at load time and writes canonical
strings back out (``"100 ms"``) so a resolved config re-loads to the same numbers.

| dimension               | canonical | accepted                                                 |
|-------------------------|-----------|----------------------------------------------------------|
| time                    | ms        | us, µs, ms, s, min, h, d                                 |
| frequency               | Hz        | mHz, Hz, kHz                                             |
| conductance             | nS        | pS, nS, uS, µS, mS, S                                    |
| voltage                 | mV        | mV, V                                                    |
| capacitance             | pF        | pF, nF, uF, µF, F                                        |
| current                 | pA        | pA, nA, uA, µA                                           |
| concentration           | µM        | nM, uM, µM, mM, M                                        |
| mass                    | mg        | ng, µg, mg, g                                            |
| body mass               | kg        | g, kg                                                    |
| dose per body mass      | mg/kg     | µg/kg, mg/kg                                             |
| dose rate               | mg/h      | µg/min, µg/h, mg/min, mg/h                               |
| dose rate per body mass | mg/kg/h   | µg/kg/min, µg/kg/h, mg/kg/min, mg/kg/h                   |
| mass concentration      | ng/mL     | pg/mL, ng/L, ng/mL, µg/L, µg/mL, mg/L                    |
| volume                  | L         | uL, µL, mL, L                                            |
| clearance               | L/h       | mL/min, mL/h, L/min, L/h                                 |

Wherever ``µg`` is accepted, ``ug`` and ``mcg`` are too. Drug amounts are masses of the drug as
labelled (salt or base alike; SCIENCE "Units"); ``mg/kg`` and ``mg/kg/h`` are per kilogram of body
mass. A unit may contain ``/`` (``"5 µg/kg/min"``).
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CANONICAL: dict[str, str] = {
    "time": "ms",
    "frequency": "Hz",
    "conductance": "nS",
    "voltage": "mV",
    "capacitance": "pF",
    "current": "pA",
    "concentration": "µM",
    "mass": "mg",
    "body mass": "kg",
    "dose per body mass": "mg/kg",
    "dose rate": "mg/h",
    "dose rate per body mass": "mg/kg/h",
    "mass concentration": "ng/mL",
    "volume": "L",
    "clearance": "L/h",
}

_MICROGRAM = ("ug", "µg", "mcg")

_SCALE: dict[str, dict[str, float]] = {
    "time": {
        "us": 1e-3,
        "µs": 1e-3,
        "ms": 1.0,
        "s": 1e3,
        "min": 6e4,
        "h": 3.6e6,
        "d": 8.64e7,
    },
    "frequency": {"mHz": 1e-3, "Hz": 1.0, "kHz": 1e3},
    "conductance": {"pS": 1e-3, "nS": 1.0, "uS": 1e3, "µS": 1e3, "mS": 1e6, "S": 1e9},
    "voltage": {"mV": 1.0, "V": 1e3},
    "capacitance": {"pF": 1.0, "nF": 1e3, "uF": 1e6, "µF": 1e6, "F": 1e12},
    "current": {"pA": 1.0, "nA": 1e3, "uA": 1e6, "µA": 1e6},
    "concentration": {"nM": 1e-3, "uM": 1.0, "µM": 1.0, "mM": 1e3, "M": 1e6},
    "mass": {"ng": 1e-6, **dict.fromkeys(_MICROGRAM, 1e-3), "mg": 1.0, "g": 1e3},
    "body mass": {"g": 1e-3, "kg": 1.0},
    "dose per body mass": {**{f"{u}/kg": 1e-3 for u in _MICROGRAM}, "mg/kg": 1.0},
    "dose rate": {
        **{f"{u}/min": 0.06 for u in _MICROGRAM},
        **{f"{u}/h": 1e-3 for u in _MICROGRAM},
        "mg/min": 60.0,
        "mg/h": 1.0,
    },
    "dose rate per body mass": {
        **{f"{u}/kg/min": 0.06 for u in _MICROGRAM},
        **{f"{u}/kg/h": 1e-3 for u in _MICROGRAM},
        "mg/kg/min": 60.0,
        "mg/kg/h": 1.0,
    },
    "mass concentration": {
        "pg/mL": 1e-3,
        "ng/L": 1e-3,
        "ng/mL": 1.0,
        **{f"{u}/L": 1.0 for u in _MICROGRAM},
        **{f"{u}/mL": 1e3 for u in _MICROGRAM},
        "mg/L": 1e3,
    },
    "volume": {"uL": 1e-6, "µL": 1e-6, "mL": 1e-3, "L": 1.0},
    "clearance": {"mL/min": 0.06, "mL/h": 1e-3, "L/min": 60.0, "L/h": 1.0},
}

_EXAMPLE: dict[str, str] = {
    "time": "100 ms",
    "frequency": "1 Hz",
    "conductance": "1 nS",
    "voltage": "-65 mV",
    "capacitance": "75 pF",
    "current": "10 pA",
    "concentration": "1 mM",
    "mass": "10 mg",
    "body mass": "70 kg",
    "dose per body mass": "0.15 mg/kg",
    "dose rate": "22 mg/h",
    "dose rate per body mass": "0.15 mg/kg/h",
    "mass concentration": "150 ng/mL",
    "volume": "25 L",
    "clearance": "84 L/h",
}

_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-zµ/]+)\s*$")


def parse_quantity(value: object, dimension: str, *, allow_bare: bool = False) -> float:
    """Convert a quantity such as ``"100 ms"`` into a float in the canonical unit of ``dimension``.

    Args:
        value: a string ``"<number> <unit>"``, or a bare number when ``allow_bare`` is true
            (then it is read in the canonical unit).
        dimension: one of the keys of :data:`CANONICAL`.
        allow_bare: accept bare numbers; only for fields whose unit is unambiguous and documented.

    Returns:
        The value in the canonical unit.

    Raises:
        ValueError: with a message that names the expected form and the accepted units.
    """
    canonical = CANONICAL[dimension]
    units = ", ".join(_SCALE[dimension])
    if isinstance(value, bool):
        raise ValueError(f"expected a {dimension} like '{_EXAMPLE[dimension]}', got {value!r}")
    if isinstance(value, int | float):
        if allow_bare:
            return _finite(value, dimension)
        raise ValueError(
            f"expected a {dimension} with a unit like '{_EXAMPLE[dimension]}', got bare number "
            f"{value!r} (write e.g. '{value} {canonical}')"
        )
    if not isinstance(value, str):
        raise ValueError(f"expected a {dimension} like '{_EXAMPLE[dimension]}', got {value!r}")
    match = _QUANTITY.match(value)
    if match is None:
        if allow_bare:
            try:
                return _finite(value, dimension)
            except ValueError:
                pass
        raise ValueError(
            f"expected a {dimension} like '{_EXAMPLE[dimension]}' (units: {units}), got {value!r}"
        )
    number, unit = match.groups()
    scale = _SCALE[dimension].get(unit)
    if scale is None:
        raise ValueError(
            f"expected a {dimension} in one of {units}, got unit {unit!r} in {value!r}"
        )
    return _finite(float(number) * scale, dimension)


def _finite(x: object, dimension: str) -> float:
    """``float(x)``, refusing infinities, NaN and numbers too large for a float."""
    try:
        value = float(x)
    except OverflowError:
        raise ValueError(f"expected a finite {dimension}, got a number too large") from None
    if not math.isfinite(value):
        raise ValueError(f"expected a finite {dimension}, got {x!r}")
    return value


def format_quantity(value: float, dimension: str) -> str:
    """Write a canonical float back as a quantity string, e.g. ``100.0 -> "100 ms"``."""
    return f"{value:.12g} {CANONICAL[dimension]}"


def accepted_units(dimension: str) -> tuple[str, ...]:
    """The units a config may use for ``dimension`` (canonical included)."""
    return tuple(_SCALE[dimension])


def example(dimension: str) -> str:
    """An example quantity of ``dimension`` for messages, e.g. ``"100 ms"`` for time."""
    return _EXAMPLE[dimension]


def quantity(dimension: str, *, allow_bare: bool = False) -> object:
    """An annotated float type for pydantic that parses and serializes quantities of ``dimension``.

    Use as a field type: ``duration: quantity("time") = ...``. Validation produces a float in the
    canonical unit; ``model_dump(mode="json")`` writes it back as ``"<value> <unit>"``.
    """
    canonical = CANONICAL[dimension]
    bare = f"; a bare number is read as {canonical}" if allow_bare else ""
    return Annotated[
        float,
        BeforeValidator(lambda v: parse_quantity(v, dimension, allow_bare=allow_bare)),
        PlainSerializer(lambda v: format_quantity(v, dimension), return_type=str, when_used="json"),
        WithJsonSchema(
            {
                "type": "string",
                "format": f"quantity:{dimension}",
                "description": f"{dimension} with unit, e.g. '{_EXAMPLE[dimension]}'{bare}",
            }
        ),
    ]


Time = quantity("time")
Frequency = quantity("frequency")
FrequencyHz = quantity("frequency", allow_bare=True)
Conductance = quantity("conductance")
Voltage = quantity("voltage")
Capacitance = quantity("capacitance")
Current = quantity("current")
Concentration = quantity("concentration")
Mass = quantity("mass")
BodyMass = quantity("body mass")
DosePerBodyMass = quantity("dose per body mass")
DoseRate = quantity("dose rate")
DoseRatePerBodyMass = quantity("dose rate per body mass")
MassConcentration = quantity("mass concentration")
Volume = quantity("volume")
Clearance = quantity("clearance")
