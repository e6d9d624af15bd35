"""The building blocks of every config section: :class:`Section` and :func:`param`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def param(
    default: Any,
    description: str,
    source: str,
    *,
    unit: str | None = None,
    label: str | None = None,
    **bounds: Any,
) -> Any:
    """A schema field with its documentation: description, source, unit (non-quantities) and bounds.

    Quantity fields (typed with :mod:`painnet.units`) take their unit from their type; plain numbers
    must say their unit here (``"1"`` for dimensionless, ``"fraction"``, ``"count"``...).
    """
    extra: dict[str, Any] = {"source": source}
    if unit is not None:
        extra["unit"] = unit
    if label is not None:
        extra["label"] = label
    return Field(default, description=description, json_schema_extra=extra, **bounds)


class Section(BaseModel):
    """Base for every config section: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, validate_default=True)
