"""Generate the parameter tables and the config reference from the config schema.

The schema (:mod:`painnet.config.schema`) is the single place where a parameter's unit, default,
bounds, description and source are declared; the default network (:mod:`painnet.config.defaults`)
carries the values and sources of the default populations and connection rules. This module turns
both into Markdown, so the documentation cannot drift from the code:

* :func:`parameter_table` → ``docs/parameters.md``: every numeric parameter with unit, default,
  bounds, description and source, then the default network.
* :func:`config_reference` → ``docs/config-reference.md``: every config key with type, default and
  description, numeric or not.

``experiments/make_parameter_table.py`` writes both files; ``tests/test_docs.py`` checks they are
current. :func:`schema_fields` is the walk over the schema that both use.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Any

import annotated_types
from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from painnet.config import defaults
from painnet.config.schema import (
    AfferentParams,
    CellParams,
    Connection,
    ExperimentConfig,
    ModelSpec,
    Population,
)
from painnet.units import CANONICAL, format_quantity, parse_quantity

GENERATED_BY = "experiments/make_parameter_table.py"

#: How the entries of a ``dict[str, <section>]`` field are named in paths and headings.
_ENTRY_NAMES: dict[type[BaseModel], tuple[str, str]] = {
    Population: ("<population>", "per population"),
    Connection: ("<rule>", "per connection rule"),
}


def _entry_names(model: type[BaseModel]) -> tuple[str, str]:
    """The path placeholder and the "per ..." phrase for entries of a named mapping or list."""
    name = model.__name__.lower()
    return _ENTRY_NAMES.get(model, (f"[{name}]", f"per {name} entry"))


#: Units that read badly after a number (``0.1 fraction``): defaults are shown without them.
_BARE_UNITS = {"1", "fraction", "count", "pulse index"}


# --------------------------------------------------------------------------------------------
# Walking the schema
# --------------------------------------------------------------------------------------------


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The schema class in ``annotation``: itself, or the one model of a union (``X | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) not in (typing.Union, UnionType):
        return None
    models = [
        a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)
    ]
    return models[0] if len(models) == 1 else None


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every schema class of ``annotation``, looking through ``Annotated`` and unions."""
    if typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_origin(annotation) in (typing.Union, UnionType):
        return [
            a
            for a in typing.get_args(annotation)
            if isinstance(a, type) and issubclass(a, BaseModel)
        ]
    return []


@dataclass(frozen=True)
class SchemaField:
    """One key of the config schema, at its dotted path.

    Attributes:
        path: dotted config path; entries of populations and rules appear as ``<population>`` and
            ``<rule>`` (e.g. ``model.populations.<population>.cell.capacitance``).
        section: dotted path of the section that holds the key (``""`` for the top level).
        owner: the schema class that declares the key.
        name: the key itself.
        info: pydantic's field information (annotation, default, constraints, extras).
    """

    path: str
    section: str
    owner: type[BaseModel]
    name: str
    info: FieldInfo

    @property
    def section_model(self) -> type[BaseModel] | None:
        """The schema class of a nested section (``model.receptors`` → ``Receptors``), else None.

        An optional section (``sweep: Sweep | None``) counts as its section.
        """
        return _model_in(self.info.annotation)

    @property
    def entry_models(self) -> list[type[BaseModel]]:
        """The schema classes of the entries of a named mapping or list of sections.

        ``populations`` → ``[Population]``; ``protocol.trains`` → ``[Train]``; a list of a
        tagged union (``drugs.ketamine.regimen``) → every member (``[Bolus, Infusion, ...]``).
        """
        annotation = self.info.annotation
        if typing.get_origin(annotation) in (typing.Union, UnionType):
            inner = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = inner[0] if len(inner) == 1 else annotation
        origin = getattr(annotation, "__origin__", None)
        if origin is dict:
            return _models_in(annotation.__args__[1])
        if origin is list:
            return _models_in(annotation.__args__[0])
        return []

    @property
    def entry_model(self) -> type[BaseModel] | None:
        """The entries' schema class when there is one (``populations`` → ``Population``)."""
        models = self.entry_models
        return models[0] if len(models) == 1 else None

    @property
    def json_schema(self) -> dict[str, Any]:
        """The JSON schema of the key's value (with the quantity format of unit types)."""
        annotation = self.info.annotation
        if self.info.metadata:
            annotation = Annotated[annotation, *self.info.metadata]
        return TypeAdapter(annotation).json_schema()

    @property
    def _leaves(self) -> list[dict[str, Any]]:
        """The scalar JSON schemas making up the value: optional and tuple parts unpacked."""
        return [leaf for leaf in _scalar_schemas(self.json_schema) if leaf.get("type") != "null"]

    @property
    def optional(self) -> bool:
        """Whether ``null`` is an accepted value."""
        return any(leaf.get("type") == "null" for leaf in _scalar_schemas(self.json_schema))

    @property
    def dimension(self) -> str | None:
        """The physical dimension (``time``, ``conductance``...) of a quantity key, else None."""
        for leaf in self._leaves:
            fmt = str(leaf.get("format", ""))
            if fmt.startswith("quantity:"):
                return fmt.removeprefix("quantity:")
        return None

    @property
    def is_numeric(self) -> bool:
        """Whether the value is a number, a quantity, or a tuple of them (not a flag or a choice)."""
        if self.section_model is not None or self.entry_models:
            return False
        leaves = self._leaves
        return bool(leaves) and all(_is_numeric_schema(leaf) for leaf in leaves)

    @property
    def extra(self) -> dict[str, Any]:
        """The documentation extras given to :func:`painnet.config.schema.param`."""
        extra = self.info.json_schema_extra
        return extra if isinstance(extra, dict) else {}

    @property
    def unit(self) -> str | None:
        """The unit of the value: the canonical unit of a quantity, else the declared one."""
        if self.dimension is not None:
            return CANONICAL[self.dimension]
        unit = self.extra.get("unit")
        return str(unit) if unit is not None else None

    @property
    def source(self) -> str:
        """Where the default comes from (a paper, ``assumption: <why>``...); ``""`` if not given."""
        return str(self.extra.get("source", "")).strip()

    @property
    def description(self) -> str:
        """The field's description; ``""`` if not given."""
        return (self.info.description or "").strip()

    @property
    def bounds(self) -> str:
        """The accepted range in the field's unit, e.g. ``> 0.05, ≤ 100``; ``""`` if unbounded."""
        parts = []
        for item in self.info.metadata:
            if isinstance(item, annotated_types.Gt):
                parts.append((0, f"> {_number(item.gt)}"))
            elif isinstance(item, annotated_types.Ge):
                parts.append((0, f"≥ {_number(item.ge)}"))
            elif isinstance(item, annotated_types.Lt):
                parts.append((1, f"< {_number(item.lt)}"))
            elif isinstance(item, annotated_types.Le):
                parts.append((1, f"≤ {_number(item.le)}"))
        return ", ".join(text for _, text in sorted(parts))

    @property
    def required(self) -> bool:
        """Whether a config must give the key (it has no default)."""
        return self.info.is_required()

    def format_value(self, value: Any, *, with_unit: bool = True) -> str:
        """Write a value of this key as a config would, in canonical units (``"1 s"`` → ``1000 ms``)."""
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, tuple | list):
            items = [self.format_value(item, with_unit=False) for item in value]
            return f"[{', '.join(items)}]{self._unit_suffix(with_unit)}"
        if self.dimension is not None:
            number = parse_quantity(value, self.dimension, allow_bare=True)
            text = format_quantity(number, self.dimension)
            return text if with_unit else text.rsplit(" ", 1)[0]
        if isinstance(value, int | float):
            return f"{_number(value)}{self._unit_suffix(with_unit)}"
        if isinstance(value, str):
            return f'"{value}"'
        return str(value)

    def _unit_suffix(self, with_unit: bool) -> str:
        unit = self.unit
        if not with_unit or unit is None or unit in _BARE_UNITS:
            return ""
        return f" {unit}"

    @property
    def default_text(self) -> str:
        """The default as a config would write it; ``required`` or ``—`` (a section) when none."""
        if self.required:
            return "required"
        if self.info.default is PydanticUndefined:  # a default_factory: a section or a mapping
            return "—"
        return self.format_value(self.info.default)

    @property
    def type_text(self) -> str:
        """A reader's name for the value type: ``time (ms)``, ``integer``, ``"numba" or "numpy"``."""
        if self.section_model is not None:
            return "section"
        entry = self.entry_model
        if entry is not None:
            return f"mapping: name → `{_entry_names(entry)[0]}`"
        schema = self.json_schema
        body = schema
        if "anyOf" in schema:
            options = [part for part in schema["anyOf"] if part.get("type") != "null"]
            body = options[0] if len(options) == 1 else {"anyOf": options}
        text = _type_name(body, self.extra.get("unit"))
        return f"{text} or null" if self.optional else text


def schema_fields(
    model: type[BaseModel] = ExperimentConfig, prefix: str = ""
) -> Iterator[SchemaField]:
    """Every key of the schema in declaration order, sections before their contents.

    Args:
        model: the schema class to walk (default: the whole experiment config).
        prefix: dotted path of ``model`` in the config.

    Yields:
        One :class:`SchemaField` per key, including section keys; the contents of named mappings
        (populations, connection rules) are walked once, under a ``<population>`` or ``<rule>``
        placeholder.
    """
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        field = SchemaField(path=path, section=prefix, owner=model, name=name, info=info)
        yield field
        if field.section_model is not None:
            yield from schema_fields(field.section_model, path)
        else:
            for entry in field.entry_models:
                placeholder = _entry_names(entry)[0]
                yield from schema_fields(entry, f"{path}.{placeholder}")


def numeric_fields() -> list[SchemaField]:
    """The numeric leaves of the schema: the model parameters that need unit, source and bounds."""
    return [field for field in schema_fields() if field.is_numeric]


def basis(source: str) -> str:
    """Classify a source by what the value rests on.

    Returns:
        ``assumption`` or ``calibrated`` when the source starts so; ``experiment choice``,
        ``design choice`` (a painnet design decision) or ``per rule`` (the connection rule's own
        source) for those; otherwise ``literature``, with ``+ calibrated`` / ``+ assumption`` when
        the source says part of the value is.
    """
    text = source.strip().lower()
    starts = {
        "assumption": "assumption",
        "calibrated": "calibrated",
        "experiment choice": "experiment choice",
        "teaching override": "design choice",
        "design": "design choice",
        "issue": "design choice",
        "see the rule": "per rule",
    }
    for start, label in starts.items():
        if text.startswith(start):
            return label
    partly = [word for word in ("calibrated", "assumption") if word in text]
    return " + ".join(["literature", *partly])


# --------------------------------------------------------------------------------------------
# docs/parameters.md
# --------------------------------------------------------------------------------------------


def parameter_table() -> str:
    """The Markdown of ``docs/parameters.md``: every numeric parameter, then the default network."""
    lines = [
        "# painnet parameters",
        "",
        *_generated_note(),
        "",
        "Every numeric parameter of an experiment config (format v1), grouped by config section:"
        " its dotted path, unit, default, accepted range, meaning and source; then the default"
        " dorsal-horn network that every config starts from. The non-numeric keys (stimulus type,"
        " kernel, output switches...) are in [the config reference](config-reference.md).",
        "",
        "A path is also a command-line override: `painnet run configs/windup.yaml --set"
        " model.receptors.nmda.tau_decay=150ms`. Replace `<population>` or `<rule>` by a name from"
        " the default network (`--set model.populations.WDR.cell.can_conductance=2nS`).",
        "",
        "**Units.** Defaults and bounds are in painnet's canonical unit for each dimension ("
        + ", ".join(f"{dim} {unit}" for dim, unit in CANONICAL.items())
        + "). A config may use any unit of the same dimension (`3 s` is `3000 ms`). Unit `1` means "
        "dimensionless.",
        "",
        "**Basis** says what a value rests on:",
        "",
        "- *literature*: taken from the cited paper(s) (`SCIENCE …` and `DESIGN …` refer to the"
        " project's science and design notes, which cite the papers);",
        f"- *{_emphasize('calibrated')}*: tuned so the model reproduces a target result (named in"
        " the source, with the seed used);",
        f"- *{_emphasize('assumption')}*: a modelling choice with no direct measurement behind it;"
        " treat these first as candidates for sensitivity analysis;",
        "- *literature + calibrated* / *literature + assumption*: part of the value is either;",
        "- *design choice*, *experiment choice*: a numerical or teaching decision, not biology;",
        "- *per rule*: set by each connection rule; see the rule's source in"
        " [Default network](#default-network).",
        "",
        "## Contents",
        "",
    ]
    sections = _numeric_sections()
    for path, _model, _fields in sections:
        lines.append(f"- [`{path}`](#{_anchor(path)})")
    lines += [
        "- [Default network](#default-network)",
        "",
        "## Parameters by config section",
    ]
    for path, model, fields in sections:
        lines += ["", f"### `{path}`", "", _section_intro(path, model), ""]
        lines += _table(
            ["parameter", "unit", "default", "bounds", "description", "source", "basis"],
            [
                [
                    f"`{field.path}`",
                    field.unit or "",
                    field.default_text,
                    field.bounds or "—",
                    field.description,
                    field.source,
                    _emphasize(basis(field.source)),
                ]
                for field in fields
            ],
        )
    lines += ["", *_default_network()]
    return "\n".join(lines).rstrip() + "\n"


def _numeric_sections() -> list[tuple[str, type[BaseModel], list[SchemaField]]]:
    """(section path, section class, its numeric keys) for every section with numeric keys."""
    order: dict[str, tuple[type[BaseModel], list[SchemaField]]] = {}
    for field in schema_fields():
        if field.is_numeric:
            order.setdefault(field.section, (field.owner, []))[1].append(field)
    return [(path, model, fields) for path, (model, fields) in order.items()]


def _section_intro(path: str, model: type[BaseModel]) -> str:
    """One line under a section heading: what the section is, and how often it occurs."""
    summary = _summary(model)
    if model in _ENTRY_NAMES:
        placeholder, occurrence = _entry_names(model)
        return f"{summary} One set {occurrence}: `{placeholder}` stands for its name."
    for owner, (placeholder, occurrence) in _ENTRY_NAMES.items():
        if f".{placeholder}." in f"{path}.":
            return f"{summary} One set {occurrence} (`{owner.__name__}`), under `{placeholder}`."
    return summary


def _default_network() -> list[str]:
    """The ``Default network`` section: populations and connection rules with their sources."""
    network = ModelSpec()
    lines = [
        "## Default network",
        "",
        *_docstring_body(defaults.__doc__ or ""),
        "",
        "Values below are the validated defaults, in canonical units. The sources are"
        " `painnet.config.defaults.SOURCES`.",
        "",
        "### Populations",
        "",
        "Parameters not listed take the schema defaults above.",
        "",
    ]
    from painnet.agents import agent_types

    types = agent_types()
    rows = []
    for name, population in network.populations.items():
        kind = types.get(population.type)
        kind_text = f"`{population.type}`" + (f": {_summary(kind)}" if kind is not None else "")
        source = defaults.SOURCES.get(name, "")
        rows.append(
            [
                f"**{name}**",
                kind_text,
                str(population.size),
                _non_default(population),
                source or "**missing**",
                _emphasize(basis(source)) if source else "",
            ]
        )
    lines += _table(
        ["population", "type", "size", "non-default parameters", "source", "basis"], rows
    )
    lines += [
        "",
        "### Connection rules",
        "",
        "Each postsynaptic neuron receives each presynaptic neuron with probability *p* (or exactly"
        " *k* partners). Weights are peak conductances per presynaptic spike (— = none), drawn"
        " lognormally with the given coefficient of variation. A delay *a*–*b* is *a* plus a"
        " uniform jitter of up to *b* − *a*. Plastic synapses take part in plasticity rules.",
        "",
    ]
    weights = [("ampa", "AMPA"), ("nmda", "NMDA"), ("nk1", "NK1"), ("gaba_a", "GABA_A")]
    conductance = CANONICAL["conductance"]
    rows = []
    for label, rule in network.connections.items():
        if rule.probability is not None:
            partners = f"p = {_number(rule.probability)}"
        else:
            partners = f"k = {rule.in_degree}"
        delay = _number(rule.delay)
        if rule.delay_jitter > 0:
            delay += f"–{_number(rule.delay + rule.delay_jitter)}"
        source = defaults.SOURCES.get(label, "")
        rows.append(
            [
                f"**{label}**",
                f"{rule.pre} → {rule.post}",
                partners,
                *[_number(getattr(rule, key)) if getattr(rule, key) else "—" for key, _ in weights],
                _number(rule.weight_cv),
                f"{delay} {CANONICAL['time']}",
                "yes" if rule.plastic else "no",
                source or "**missing**",
                _emphasize(basis(source)) if source else "",
            ]
        )
    lines += _table(
        [
            "rule",
            "pre → post",
            "partners",
            *[f"{title} ({conductance})" for _, title in weights],
            "weight CV",
            "delay",
            "plastic",
            "source",
            "basis",
        ],
        rows,
    )
    return lines


def _non_default(population: Population) -> str:
    """``cell.capacitance = 30 pF, ...``: the cell/afferent values that differ from the schema."""
    parts = []
    for key, model in (("cell", CellParams), ("afferent", AfferentParams)):
        values = getattr(population, key)
        baseline = model()
        for name, info in model.model_fields.items():
            value = getattr(values, name)
            if value != getattr(baseline, name):
                field = SchemaField(f"{key}.{name}", key, model, name, info)
                parts.append(f"`{key}.{name}` = {field.format_value(value)}")
    return ", ".join(parts) or "—"


# --------------------------------------------------------------------------------------------
# docs/config-reference.md
# --------------------------------------------------------------------------------------------


def config_reference() -> str:
    """The Markdown of ``docs/config-reference.md``: every config key, numeric or not."""
    lines = [
        "# painnet config reference (format v1)",
        "",
        *_generated_note(),
        "",
        "An experiment config is a YAML file; every key below is optional except those marked"
        " *required*. Keys are written nested in YAML, or as dotted paths in command-line overrides"
        " (`painnet run configs/windup.yaml --set drugs.nmda_block=0.8`; check a config with"
        " `painnet validate`). Unknown keys are errors.",
        "",
        "```yaml",
        "schema_version: 1",
        "title: Wind-up under NMDA block",
        "protocol:",
        "  frequency: 1 Hz",
        "  pulses: 16",
        "drugs:",
        "  nmda_block: 0.8",
        "```",
        "",
        "Quantities are written with a unit (`100 ms`, `0.3 nS`); defaults are shown in painnet's"
        " canonical units. `model.populations` and `model.connections` are merged by name onto the"
        " default network: give only what you change, or `null` to remove an entry;"
        " `<population>` and `<rule>` in a path stand for such a name. Units, bounds and sources of"
        " the numeric keys, and the default network itself, are in"
        " [the parameter table](parameters.md).",
    ]
    sections: dict[str, list[SchemaField]] = {}
    models: dict[str, type[BaseModel]] = {}
    for field in schema_fields():
        sections.setdefault(field.section, []).append(field)
        models.setdefault(field.section, field.owner)
    for path, fields in sections.items():
        model = models[path]
        heading = f"`{path}`" if path else "Top level"
        lines += [
            "",
            f"## {heading}",
            "",
            _section_intro(path, model) if path else _summary(model),
            "",
        ]
        lines += _table(
            ["key", "type", "default", "description"],
            [
                [
                    f"`{field.path}`",
                    field.type_text,
                    _reference_default(field),
                    _reference_description(field),
                ]
                for field in fields
            ],
        )
    return "\n".join(lines).rstrip() + "\n"


def _reference_default(field: SchemaField) -> str:
    if field.entry_model is Population:
        return "default network: " + ", ".join(defaults.DEFAULT_POPULATIONS)
    if field.entry_model is Connection:
        return f"default network ({len(defaults.DEFAULT_CONNECTIONS)} rules)"
    return field.default_text


def _reference_description(field: SchemaField) -> str:
    """The field's description; a section or mapping without one is described by its class."""
    if field.description:
        return field.description
    model = field.section_model or field.entry_model
    if model is None:
        return ""
    summary = _summary(model)
    if field.entry_model is not None:
        return f"Entries by name, each {summary[:1].lower()}{summary[1:]}"
    return summary


# --------------------------------------------------------------------------------------------
# Markdown helpers
# --------------------------------------------------------------------------------------------


def _generated_note() -> list[str]:
    return [
        f"<!-- generated by {GENERATED_BY} — do not edit -->",
        f"> Generated by `{GENERATED_BY}` from the config schema (`painnet.config.schema`) and"
        " the default network (`painnet.config.defaults`) — do not edit. After changing either,"
        f" run `python {GENERATED_BY}`; a test fails while this file is out of date.",
    ]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(_cell(cell) for cell in cells) + " |"

    return [row(header), "|" + "|".join("---" for _ in header) + "|", *map(row, rows)]


def _cell(text: str) -> str:
    """One table cell: on one line, ``|`` escaped."""
    return _no_tags(" ".join(str(text).split()).replace("|", "\\|"))


def _no_tags(text: str) -> str:
    """Keep ``<name>`` outside code spans as text (Markdown would read it as an HTML tag)."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # even parts lie outside code spans
        parts[i] = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", parts[i])
    return "`".join(parts)


def _emphasize(label: str) -> str:
    """Bold the words ``assumption`` and ``calibrated`` so they stand out in a table."""
    for word in ("assumption", "calibrated"):
        label = label.replace(word, f"**{word}**")
    return label


def _summary(cls: type) -> str:
    """The first paragraph of a class docstring, on one line, in Markdown."""
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    return _markdown(" ".join(doc.split()))


def _docstring_body(doc: str) -> list[str]:
    """A module docstring after its first line, as Markdown paragraphs."""
    paragraphs = doc.strip().split("\n\n")[1:]
    out: list[str] = []
    for paragraph in paragraphs:
        out += [_markdown(" ".join(paragraph.split())), ""]
    return out[:-1]


def _markdown(text: str) -> str:
    """Turn reStructuredText inline code (````x````, ``:mod:`x```) into Markdown code."""
    for role in (":mod:", ":func:", ":class:", ":data:"):
        text = text.replace(role, "")
    return _no_tags(text.replace("``", "`"))


def _anchor(heading: str) -> str:
    """The GitHub anchor of a heading (lower case; dots and brackets dropped)."""
    kept = [c for c in heading.lower() if c.isalnum() or c in "-_ "]
    return "".join(kept).replace(" ", "-")


def _number(value: float) -> str:
    """A number for a reader: ``0.05``, ``60000``, ``10¹⁰``, ``9.22 × 10¹⁸``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if abs(value) < 1e6:
        return f"{value:.12g}"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = f"{value / 10**exponent:.3g}"
    power = "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return power if mantissa == "1" else f"{mantissa} × {power}"


def _scalar_schemas(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The scalar parts of a JSON schema: through ``anyOf`` and tuple ``prefixItems``."""
    if "anyOf" in schema:
        for part in schema["anyOf"]:
            yield from _scalar_schemas(part)
    elif "prefixItems" in schema:
        for part in schema["prefixItems"]:
            yield from _scalar_schemas(part)
    elif schema.get("type") == "array" and "items" in schema:
        yield from _scalar_schemas(schema["items"])
    else:
        yield schema


def _is_numeric_schema(leaf: dict[str, Any]) -> bool:
    if "const" in leaf or "enum" in leaf:
        return False
    return leaf.get("type") in ("number", "integer") or str(leaf.get("format", "")).startswith(
        "quantity:"
    )


def _type_name(schema: dict[str, Any], unit: Any) -> str:
    """``time (ms)``, ``number (fraction)``, ``[time (ms), time (ms)]``, ``"numba" or "numpy"``."""
    if "anyOf" in schema:
        return " or ".join(_type_name(part, unit) for part in schema["anyOf"])
    if "prefixItems" in schema:
        return "[" + ", ".join(_type_name(part, unit) for part in schema["prefixItems"]) + "]"
    if "const" in schema:
        return f"`{schema['const']}`"
    if "enum" in schema:
        return " or ".join(f'`"{option}"`' for option in schema["enum"])
    fmt = str(schema.get("format", ""))
    if fmt.startswith("quantity:"):
        dimension = fmt.removeprefix("quantity:")
        return f"{dimension} ({CANONICAL[dimension]})"
    kind = {"number": "number", "integer": "integer", "boolean": "true/false", "string": "text"}
    text = kind.get(str(schema.get("type")), str(schema.get("type", "value")))
    if text in ("number", "integer") and unit not in (None, "1"):
        text += f" ({unit})"
    return text
