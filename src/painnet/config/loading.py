"""Read an experiment config: YAML file, then ``--set`` overrides, then the schema.

Every problem found on the way is reported as one line of a :class:`~painnet.errors.ConfigError`
that names the dotted key path, what was expected (with its unit and bounds), what was given and
the fix, e.g.::

    drugs.nmda_block: expected a fraction in [0, 1], got 1.5; fraction of NMDA conductance blocked (0 = none, 1 = complete)
    protocl: unknown key 'protocl'; did you mean 'protocol'?

Overrides are ``dotted.path=value`` strings; the value is read as YAML (``0.8`` is a number,
``2 Hz`` a string, ``true`` a boolean). Keys are split on ``.`` only, so connection labels such as
``C->WDR`` work: ``model.connections.C->WDR.ampa=2 nS``.
"""

from __future__ import annotations

import copy
import math
import re
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
import yaml
from pydantic import BaseModel, ValidationError, WithJsonSchema
from pydantic.fields import FieldInfo
from yaml.constructor import ConstructorError

from painnet.config.defaults import DEFAULT_CONNECTIONS, DEFAULT_POPULATIONS
from painnet.config.schema import SCHEMA_VERSION, ExperimentConfig
from painnet.errors import ConfigError, did_you_mean
from painnet.units import CANONICAL

__all__ = ["apply_overrides", "config_from_dict", "load_config", "parse_overrides"]

_MISSING = object()


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def load_config(path: str | Path, overrides: Sequence[str] = ()) -> ExperimentConfig:
    """Read, override and validate a YAML experiment config.

    Args:
        path: the YAML file.
        overrides: ``dotted.path=value`` strings (the CLI's ``--set``), applied in order.

    Returns:
        The validated config, quantities in canonical units.

    Raises:
        ConfigError: one line per problem: unreadable or malformed file, bad override syntax,
            wrong schema version, unknown keys, wrong types, units or ranges.
    """
    parsed = parse_overrides(overrides)
    data = _read_yaml(Path(path))
    return config_from_dict(apply_overrides(data, parsed))


def config_from_dict(data: Mapping[str, Any]) -> ExperimentConfig:
    """Validate a config given as plain data (as read from YAML) against the schema.

    Args:
        data: the config mapping, quantities as strings (``"100 ms"``).

    Returns:
        The validated config.

    Raises:
        ConfigError: one line per problem, with the dotted key path of each.
    """
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"config: expected a mapping of sections (schema_version, model, protocol, ...), "
            f"got {_show(data)}"
        )
    if "schema_version" in data:
        version = data["schema_version"]
        if not (type(version) is int and version == SCHEMA_VERSION):
            raise ConfigError(_version_problem(version))
    try:
        return ExperimentConfig.model_validate(dict(data))
    except ValidationError as exc:
        raise ConfigError(_problems(exc, data)) from None


def parse_overrides(items: Sequence[str]) -> dict[str, Any]:
    """Parse ``dotted.path=value`` strings into ``{dotted.path: value}``.

    The value is read as YAML, so ``0.8`` becomes a float, ``true`` a boolean and ``2 Hz`` stays
    a string. A later override of the same path wins.

    Args:
        items: the override strings, e.g. ``["protocol.frequency=2", "drugs.nmda_block=0.8"]``.

    Returns:
        The overrides by dotted path, in order.

    Raises:
        ConfigError: for an item without ``=``, with an empty key path, or with a value that is
            not valid YAML.
    """
    if isinstance(items, str):  # one override given as a plain string, not a list of them
        items = [items]
    overrides: dict[str, Any] = {}
    problems: list[str] = []
    for item in items:
        dotted, sep, text = item.partition("=")
        dotted = dotted.strip()
        if not sep:
            problems.append(
                f"--set {item!r}: expected <dotted.path>=<value>, e.g. --set protocol.frequency=2"
            )
            continue
        if not _split_path(dotted):
            problems.append(
                f"--set {item!r}: empty key in the path; write the full dotted path, "
                "e.g. --set model.populations.WDR.size=30"
            )
            continue
        try:
            overrides[dotted] = yaml.load(text, Loader=_ConfigLoader)
        except yaml.YAMLError as exc:
            problems.append(
                f"--set {item!r}: the value is not valid YAML ({_yaml_reason(exc)}); "
                "quote it, e.g. --set 'title=\"my: title\"'"
            )
    if problems:
        raise ConfigError(_one_line_each(problems))
    return overrides


def apply_overrides(data: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of ``data`` with each dotted path set to its value.

    Missing (or ``null``) sections on the way are created, so ``model.populations.WDR.size`` works
    on a config that never mentions ``model``; the schema then merges it onto the default network.
    A numeric key indexes a list (``.0`` is the first element of a list such as ``output.response_window``).

    Args:
        data: the config mapping (not modified).
        overrides: values by dotted path, e.g. ``{"model.connections.C->WDR.ampa": "2 nS"}``.

    Returns:
        The overridden config mapping.

    Raises:
        ConfigError: for an empty key path, or a path that runs through a value that is not a
            mapping (a key under ``protocol.frequency``, whose value is ``"1 Hz"``).
    """
    result = copy.deepcopy(dict(data))
    problems: list[str] = []
    for dotted, value in overrides.items():
        keys = _split_path(dotted)
        if not keys:
            problems.append(
                f"--set {dotted!r}: empty key in the path; write the full dotted path, "
                "e.g. model.populations.WDR.size"
            )
            continue
        try:
            _set_path(result, keys, copy.deepcopy(value))
        except _PathError as exc:
            problems.append(f"--set {dotted}: {exc}")
    if problems:
        raise ConfigError(_one_line_each(problems))
    return result


# --------------------------------------------------------------------------------------------
# Reading YAML
# --------------------------------------------------------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that rejects a key repeated in one mapping (YAML keeps the last)."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=deep)
                try:
                    repeated = key in seen
                except TypeError:  # unhashable key: the base class reports it
                    continue
                if repeated:
                    raise ConstructorError(
                        None,
                        None,
                        f"found key {key!r} twice in one section (YAML would silently keep "
                        "the last); keep one",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> dict[str, Any]:
    """The top-level mapping of a YAML config file; every failure is a ConfigError."""
    name = str(path)
    if not path.exists():
        raise ConfigError(
            f"config file {name!r} not found; check the path (bundled configs are in configs/)"
        )
    if path.is_dir():
        inside = sorted(path.glob("*.yaml"))
        example = f", e.g. {str(inside[0])!r}" if inside else ""
        raise ConfigError(f"config file {name!r} is a folder; give a YAML file{example}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"config file {name!r} is not UTF-8 text (bad byte at offset {exc.start}); "
            "save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"cannot read config file {name!r}: {exc.strerror or exc}; check its permissions"
        ) from None
    try:
        data = yaml.load(text, Loader=_ConfigLoader)
    except yaml.YAMLError as exc:
        syntax = isinstance(exc, yaml.scanner.ScannerError | yaml.parser.ParserError)
        fix = "; check the indentation (spaces, not tabs) and quoting there" if syntax else ""
        raise ConfigError(
            _one_line(f"config file {name!r} is not valid YAML: {_yaml_reason(exc)}{fix}")
        ) from None
    except RecursionError:
        raise ConfigError(f"config file {name!r} is nested too deeply to be a config") from None
    if data is None:
        raise ConfigError(
            f"config file {name!r} is empty; a config needs at least "
            f"'schema_version: {SCHEMA_VERSION}' (see configs/ for examples)"
        )
    if not isinstance(data, dict):
        raise ConfigError(
            f"config file {name!r}: expected a mapping of sections (schema_version, model, "
            f"protocol, ...) at the top level, got {_show(data)}"
        )
    return data


def _yaml_reason(exc: yaml.YAMLError) -> str:
    """A one-line description of a YAML error with its line and column."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "syntax error"
        context = ""
        if exc.context and exc.problem:
            began = exc.context_mark
            started = (
                f" started at line {began.line + 1}, column {began.column + 1}"
                if began is not None and mark is not None and began.line != mark.line
                else ""
            )
            context = f" ({exc.context}{started})"
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        return _one_line(f"{where}{what}{context}")
    if isinstance(exc, yaml.reader.ReaderError):
        return f"character {exc.character!r} at position {exc.position} is not allowed in YAML"
    return _one_line(str(exc))


# --------------------------------------------------------------------------------------------
# Overrides
# --------------------------------------------------------------------------------------------


class _PathError(Exception):
    """An override path that cannot be followed (reported by apply_overrides)."""


def _split_path(dotted: str) -> list[str]:
    """``"a.b.C->WDR"`` → ``["a", "b", "C->WDR"]``; empty list if any part is empty."""
    keys = [key.strip() for key in dotted.split(".")]
    return keys if all(keys) else []


def _set_path(data: dict[str, Any], keys: list[str], value: Any) -> None:
    node: Any = data
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        here = ".".join(keys[:depth]) or "the top level"
        if isinstance(node, list):
            if not (key.lstrip("-").isdigit() and -len(node) <= int(key) < len(node)):
                raise _PathError(
                    f"{here} is a list of {len(node)} items; {key!r} is not an index into it"
                )
            index = int(key)
            if last:
                node[index] = value
            elif node[index] is None:
                node[index] = {}
            node = node[index]
        elif isinstance(node, dict):
            if last:
                node[key] = value
            elif node.get(key) is None:
                node[key] = {}
            node = node[key]
        else:
            raise _PathError(
                f"{here} is {_show(node)}, not a mapping, so it has no key {key!r}; "
                f"set {here} itself"
            )


# --------------------------------------------------------------------------------------------
# Validation errors → one line each
# --------------------------------------------------------------------------------------------


def _version_problem(version: Any) -> str:
    if type(version) is int and version > SCHEMA_VERSION:
        return (
            f"schema_version: expected {SCHEMA_VERSION}, got {version}; this file is for a newer "
            f"painnet (config format {version}): upgrade painnet or rewrite the file for format "
            f"{SCHEMA_VERSION}"
        )
    return (
        f"schema_version: expected {SCHEMA_VERSION}, got {_show(version)}; this painnet reads "
        f"config format {SCHEMA_VERSION}: write 'schema_version: {SCHEMA_VERSION}'"
    )


def _problems(exc: ValidationError, data: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for error in exc.errors(include_url=False):
        for line in _describe(error, data):
            line = _one_line(line)
            if line not in lines:
                lines.append(line)
    return lines


@dataclass
class _Where:
    """A location in the schema reached by following an error's ``loc``.

    Attributes:
        path: the readable dotted path, e.g. ``model.connections.C->WDR.ampa``.
        annotation: the expected type there (None when the location is outside the schema).
        field: the schema field at (or, for a tuple item, around) the location.
    """

    path: str = ""
    annotation: Any = ExperimentConfig
    field: FieldInfo | None = None


def _locate(loc: Sequence[int | str]) -> _Where:
    where = _Where()
    for item in loc:
        member = _tagged_member(where.annotation, item)
        if member is not None:  # a discriminated union's tag (regimen entry kind): no path part
            where.annotation = member
            continue
        model = _model_class(where.annotation)
        origin, args = get_origin(where.annotation), get_args(where.annotation)
        if model is not None:
            field = model.model_fields.get(item) if isinstance(item, str) else None
            where.field = field
            where.annotation = _strip_optional(field.annotation) if field else None
            where.path = _join(where.path, item)
        elif origin is dict and len(args) == 2:
            where.field = None
            where.annotation = _strip_optional(args[1])
            where.path = _join(where.path, item)
        elif origin in (tuple, list) and isinstance(item, int):
            if origin is tuple and item < len(args) and args[-1] is not Ellipsis:
                where.annotation = _strip_optional(args[item])
            else:
                where.annotation = _strip_optional(args[0]) if args else None
            where.path = f"{where.path}[{item}]"
        else:
            where.annotation, where.field = None, None
            where.path = _join(where.path, item)
    return where


def _describe(error: Mapping[str, Any], data: Mapping[str, Any]) -> list[str]:
    """One or more readable problem lines for one pydantic error."""
    kind: str = error["type"]
    loc: tuple[int | str, ...] = tuple(error["loc"])
    given = error.get("input")
    if loc and loc[-1] == "[key]":
        where = _locate(loc[:-2])
        return [
            f"{where.path or 'config'}: key {_show(loc[-2])} is not text; quote it, "
            f"e.g. '{loc[-2]}':"
        ]
    if kind == "invalid_key":
        where = _locate(loc[:-1])
        return [f"{where.path or 'config'}: key {_show(given)} is not text; quote it"]
    where = _locate(loc)
    path = where.path or "config"
    if kind == "extra_forbidden":
        return [f"{path}: unknown key {_show(loc[-1])}; {_unknown_key_hint(loc)}"]
    if kind == "missing":
        return [_missing(loc, where, given)]
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("ctx", {}).get("error") or error["msg"])
        return _validator_messages(where, message)
    got = _got(given, _lookup(data, loc), where)
    if kind == "literal_error":
        allowed = [repr(value) for value in get_args(where.annotation)] or [
            error.get("ctx", {}).get("expected", "?")
        ]
        suggestion = ""
        if isinstance(given, str):
            suggestion = did_you_mean(given, [str(v) for v in get_args(where.annotation)])
            suggestion = f"; {suggestion}" if suggestion else ""
        return [f"{path}: expected one of {', '.join(allowed)}, got {got}{suggestion}"]
    if kind in _BOUNDS:
        return [f"{path}: expected {_expected_number(where, error)}, got {got}{_hint(where)}"]
    expected = _expected_type(kind, where, error)
    if expected is None:
        return [f"{path}: {_lower_first(error['msg'])}, got {got}{_hint(where)}"]
    return [f"{path}: expected {expected}, got {got}{_hint(where)}{_example(where, given)}"]


_BOUNDS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def _missing(loc: tuple[int | str, ...], where: _Where, given: Any) -> str:
    if loc and isinstance(loc[-1], int):  # a tuple with too few items
        outer = _locate(loc[:-1])
        size = len(get_args(outer.annotation))
        return (
            f"{outer.path}: expected a list of {size} items, got {_show(given)}"
            f"{_hint(outer)}{_example(outer, given)}"
        )
    if loc == ("schema_version",):
        return (
            f"schema_version: missing required key; add 'schema_version: {SCHEMA_VERSION}' "
            "at the top of the file"
        )
    line = f"{where.path}: missing required key"
    meaning = _meaning(where.field)
    if meaning:
        line += f"; add it ({meaning})"
    # a new population or rule that only needs a type/pre/post is often a misspelt default one
    if len(loc) >= 4 and loc[0] == "model" and loc[1] in ("populations", "connections"):
        defaults = DEFAULT_POPULATIONS if loc[1] == "populations" else DEFAULT_CONNECTIONS
        name = loc[2]
        if isinstance(name, str) and name not in defaults:
            close = did_you_mean(name, list(defaults))
            if close:
                line += f"; {name!r} is not a default {loc[1][:-1]}: {close}"
    return line


def _validator_messages(where: _Where, message: str) -> list[str]:
    """Messages of our own validators, prefixed with the path; ' | ' separates several."""
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    model = _model_class(where.annotation)
    lines = []
    for part in message.split(" | "):
        head = part.split(":", 1)[0]
        first = head.split(".", 1)[0]
        if model is not None and ":" in part and " " not in head and first in model.model_fields:
            lines.append(f"{where.path}.{part}" if where.path else part)
        else:
            lines.append(f"{where.path or 'config'}: {part}")
    return lines


def _unknown_key_hint(loc: tuple[int | str, ...]) -> str:
    key = loc[-1]
    owner = _model_class(_locate(loc[:-1]).annotation)
    known = list(owner.model_fields) if owner is not None else []
    if isinstance(key, str):
        close = did_you_mean(key, known)
        if close:
            return close
        homes = _field_homes().get(key)
        if homes:
            return f"{key!r} belongs under {' or '.join(homes)}"
    return f"known keys here: {', '.join(known)}" if known else "remove it"


@cache
def _field_homes() -> dict[str, list[str]]:
    """Every schema field name → the dotted sections that hold it (``<name>`` for user keys)."""
    homes: dict[str, list[str]] = {}

    def visit(model: type[BaseModel], path: str, depth: int) -> None:
        for name, field in model.model_fields.items():
            homes.setdefault(name, []).append(path or "the top level")
            annotation = _strip_optional(field.annotation)
            if get_origin(annotation) is dict:
                annotation, child = _strip_optional(get_args(annotation)[1]), f"{name}.<name>"
            else:
                child = name
            sub = _model_class(annotation)
            if sub is not None and depth < 8:
                visit(sub, f"{path}.{child}" if path else child, depth + 1)

    visit(ExperimentConfig, "", 0)
    return homes


# ---- what was expected ---------------------------------------------------------------------


def _expected_type(kind: str, where: _Where, error: Mapping[str, Any]) -> str | None:
    ctx = error.get("ctx") or {}
    if kind in ("float_type", "float_parsing"):
        return _expected_number(where, error)
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        noun, unit = _noun(where)
        return _with_range("a whole number" if noun == "a number" else noun, where, unit, error)
    if kind == "finite_number":
        return "a finite number"
    if kind in ("bool_type", "bool_parsing"):
        return "true or false"
    if kind in ("string_type", "string_unicode", "string_sub_type"):
        return "text"
    if kind in ("model_type", "model_attributes_type", "dict_type", "mapping_type"):
        return "a mapping (indented 'key: value' lines)"
    if kind in ("tuple_type", "list_type", "too_short", "too_long", "iterable_type"):
        size = ctx.get("max_length") if kind == "too_long" else None
        args = get_args(where.annotation)
        if get_origin(where.annotation) is tuple and args and args[-1] is not Ellipsis:
            size = len(args)
        return f"a list of {size} items" if size is not None else "a list"
    return None


def _expected_number(where: _Where, error: Mapping[str, Any]) -> str:
    noun, unit = _noun(where)
    return _with_range(noun, where, unit, error)


def _with_range(noun: str, where: _Where, unit: str, error: Mapping[str, Any]) -> str:
    low = high = None
    low_open = high_open = False
    constraints = list(where.field.metadata) if where.field is not None else []
    ctx = error.get("ctx") or {}
    if not constraints and error["type"] in _BOUNDS:  # e.g. a tuple item: use pydantic's bound
        constraints = [
            annotated_types.Gt(ctx["gt"]) if "gt" in ctx else None,
            annotated_types.Ge(ctx["ge"]) if "ge" in ctx else None,
            annotated_types.Lt(ctx["lt"]) if "lt" in ctx else None,
            annotated_types.Le(ctx["le"]) if "le" in ctx else None,
        ]
    for bound in constraints:
        if isinstance(bound, annotated_types.Gt):
            low, low_open = bound.gt, True
        elif isinstance(bound, annotated_types.Ge):
            low, low_open = bound.ge, False
        elif isinstance(bound, annotated_types.Lt):
            high, high_open = bound.lt, True
        elif isinstance(bound, annotated_types.Le):
            high, high_open = bound.le, False
    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return (
            f"{noun} in {'(' if low_open else '['}{_number(low)}, {_number(high)}"
            f"{')' if high_open else ']'}{suffix}"
        )
    if low is not None:
        return f"{noun} {'>' if low_open else '>='} {_number(low)}{suffix}"
    if high is not None:
        return f"{noun} {'<' if high_open else '<='} {_number(high)}{suffix}"
    return f"{noun}{f' in {unit}' if unit else ''}"


def _noun(where: _Where) -> tuple[str, str]:
    """How to name the expected value (``a time``, ``a fraction``...) and its unit."""
    dimension = _dimension(where)
    if dimension is not None:
        return f"a {dimension}", CANONICAL[dimension]
    extra = where.field.json_schema_extra if where.field is not None else None
    unit = extra.get("unit") if isinstance(extra, dict) else None
    if unit in ("fraction", "count"):
        return f"a {unit}", ""
    is_int = where.annotation is int
    return ("a whole number" if is_int else "a number"), ("" if unit in (None, "1") else str(unit))


def _dimension(where: _Where) -> str | None:
    """The quantity dimension (``time``...) of the location, from its ``quantity:<dim>`` format."""
    roots: list[Any] = [where.annotation]
    if where.field is not None:
        roots += [*where.field.metadata, where.field.annotation]
    for item in _type_parts(roots):
        if isinstance(item, WithJsonSchema) and isinstance(item.json_schema, dict):
            fmt = str(item.json_schema.get("format", ""))
            if fmt.startswith("quantity:") and fmt[9:] in CANONICAL:
                return fmt[9:]
    return None


def _type_parts(roots: list[Any], depth: int = 0) -> Iterator[Any]:
    for root in roots:
        yield root
        if depth < 4:
            yield from _type_parts(list(getattr(root, "__metadata__", ())), depth + 1)
            yield from _type_parts(list(get_args(root)), depth + 1)


# ---- what was given, and the fix -----------------------------------------------------------


def _got(given: Any, raw: Any, where: _Where) -> str:
    """The value as the user wrote it, with its canonical value when a unit was converted."""
    _, unit = _noun(where)
    numeric = isinstance(given, int | float) and not isinstance(given, bool)
    if numeric and isinstance(raw, str):
        canonical = f"{_number(given)} {unit}".strip()
        same = raw.replace(" ", "") == canonical.replace(" ", "")
        return repr(raw) if same else f"{raw!r} (= {canonical})"
    if numeric and unit and _dimension(where) is not None:
        return f"{_number(given)} {unit}"
    return _show(given)


def _example(where: _Where, given: Any) -> str:
    """``; e.g. <default>`` for type errors, when the field has a usable default."""
    field = where.field
    if field is None or _model_class(where.annotation) is not None:
        if given is None and _model_class(where.annotation) is not None:
            return "; an empty section reads as null: remove it or indent its keys under it"
        return ""
    default = field.default
    if default is None or not isinstance(default, str | int | float | tuple) or default == "":
        return ""
    example = list(default) if isinstance(default, tuple) else default
    return f"{',' if field.description else ';'} e.g. {example!r}"


def _hint(where: _Where) -> str:
    """``; <what the field means>``, from its description."""
    meaning = _meaning(where.field)
    return f"; {meaning}" if meaning else ""


def _meaning(field: FieldInfo | None) -> str:
    """The first clause of a field's description, e.g. ``number of neurons``."""
    if field is None or not field.description:
        return ""
    sentence = re.split(r"\.\s+(?=[A-Z])", field.description)[0]
    text = sentence.split("; ")[0].rstrip(".")
    if len(text) > 100:
        text = text[:97].rsplit(" ", 1)[0] + "..."
    return _lower_first(text)


def _lookup(data: Any, loc: Sequence[int | str]) -> Any:
    """The user's raw value at ``loc`` (before defaults and unit conversion), or _MISSING."""
    node = data
    for item in loc:
        in_mapping = isinstance(node, Mapping) and item in node
        in_list = isinstance(node, list | tuple) and isinstance(item, int) and item < len(node)
        if not (in_mapping or in_list):
            return _MISSING
        node = node[item]
    return node


def _show(value: Any) -> str:
    """A short one-line rendering of a value in YAML words (null, true...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, dict) and not value:
        return "an empty mapping"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(value: float) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        try:
            text = str(value)
        except ValueError:  # more digits than Python will print
            return "a very large number"
        return text if len(text) <= 20 else f"{text[:3]}...({len(text)} digits)"
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    mantissa, _, exponent = f"{value:g}".partition("e")  # 1e+07 -> 1e7
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


# ---- small helpers -------------------------------------------------------------------------


def _model_class(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _tagged_member(annotation: Any, tag: object) -> type[BaseModel] | None:
    """The member of a discriminated union whose tag is ``tag`` (else None).

    A discriminated union is ``Annotated[A | B, Field(discriminator=...)]`` (regimen entries).
    """
    if get_origin(annotation) is not Annotated or not isinstance(tag, str):
        return None
    union, *meta = get_args(annotation)
    key = next(
        (
            m.discriminator
            for m in meta
            if isinstance(m, FieldInfo) and isinstance(m.discriminator, str)
        ),
        None,
    )
    for member in get_args(union) if key else ():
        model = _model_class(member)
        if model is not None and tag in get_args(model.model_fields[key].annotation):
            return model
    return None


def _strip_optional(annotation: Any) -> Any:
    """``X | None`` → ``X``; other annotations unchanged."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    if get_origin(annotation) is Annotated:
        inner = get_args(annotation)[0]
        if _model_class(inner) is not None or get_origin(inner) in (dict, tuple, list, Literal):
            return inner
    return annotation


def _join(path: str, key: int | str) -> str:
    text = key if isinstance(key, str) else str(key)
    if not text or not text.isprintable() or any(c in text for c in " .'\"[]:#"):
        text = repr(key)
    return f"{path}.{text}" if path else text


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[:2].isupper():  # an acronym: NMDA, AMPA, CAN
        return text
    return text[:1].lower() + text[1:]


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def _one_line_each(lines: Sequence[str]) -> list[str]:
    return [_one_line(line) for line in lines]
