"""Generate ``docs/odd.md``, the model description in ODD 2020 order, from a template and the code.

The prose lives in ``docs/templates/odd.md``; every table of state variables and parameters is
generated here from the code, so the document cannot drift from it:

* the engine layout (:mod:`painnet.engine.layout`: the ``STATE``, ``CELL``, ``CONST`` and
  ``RECEPTOR`` rows), with units and meanings from :data:`STATE_VARIABLES`,
  :data:`CELL_PARAMETERS`, :data:`MEMBER_CONSTANTS` and :data:`SYNAPSE_WEIGHTS` — a row added to
  or removed from the layout without its entry here stops the generator;
* the agent registry (:func:`painnet.agents.agent_types`) and the agents' properties;
* the config schema (:func:`painnet.docs.schema_fields`): parameter tables per submodel, and the
  values quoted in the prose;
* the random streams (:data:`painnet.seeds.STREAMS`), the published pharmacology constants
  (:mod:`painnet.pharmacology.drugs`) and the slow clock's transfer grid
  (:data:`painnet.slowclock.transfer.AXES`).

**Template syntax.** A line holding only ``{{name args}}`` is replaced by a generated block (see
:data:`BLOCKS`). Inline, ``[[kind:argument]]`` is replaced and checked (see :data:`INLINE`):
``[[state:calcium]]`` (a state row), ``[[cell:…]]``, ``[[const:…]]``, ``[[param:model.pain.hill]]``
(a link to the parameter table), ``[[value:model.pain.hill]]`` (the default as declared),
``[[py:painnet.slowclock.transfer.SETTLE_MS]]`` (a Python constant), ``[[agent:wdr]]``,
``[[stream:network]]``, ``[[types:sensitizing]]``. Lines from ``<!-- template`` to ``-->`` are dropped.

**Checks.** After rendering, :func:`stale_references` checks every code span of the document:
dotted config paths (``condition.disinhibition.chloride_shift``), module names
(``painnet.sensitization``) and repository files (``configs/windup.yaml``,
``src/painnet/engine/layout.py``) must exist. :func:`uncovered_sections` lists the schema sections
with numeric parameters that no table of the document covers. ``experiments/make_parameter_table.py``
writes ``docs/odd.md``; ``tests/test_odd.py`` and ``tests/test_docs.py`` fail on any drift.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from painnet.docs import (
    GENERATED_BY,
    SchemaField,
    _anchor,
    _markdown,
    _number,
    _numeric_sections,
    _summary,
    _table,
    basis,
    docstring_sections,
    schema_fields,
)

TEMPLATE = Path("docs") / "templates" / "odd.md"
"""The template, relative to the repository root."""


class OddError(ValueError):
    """The ODD template and the code disagree; the message lists every problem and its fix."""


# --------------------------------------------------------------------------------------------
# What the code does not say about its arrays: units and meanings of the engine's rows
# --------------------------------------------------------------------------------------------

#: ``STATE`` rows: (unit, symbol, meaning, updated by). Must list exactly the rows of
#: :data:`painnet.engine.layout.STATE`.
STATE_VARIABLES: dict[str, tuple[str, str, str, str]] = {
    "v": ("mV", "V", "membrane potential", "kernel, every kernel step (§7.1)"),
    "ampa": ("nS", "g_AMPA", "AMPA conductance", "kernel: spikes add, decays (§7.2)"),
    "nmda_rise": ("nS", "r", "rise trace of the NMDA conductance", "kernel (§7.2)"),
    "nmda_decay": (
        "nS",
        "d",
        "decay trace of the NMDA conductance; g_NMDA = gain · N · (d − r)",
        "kernel (§7.2)",
    ),
    "nk1_rise": ("nS", "r_NK1", "rise trace of the NK1 (substance P) conductance", "kernel"),
    "nk1_decay": ("nS", "d_NK1", "decay trace of the NK1 conductance", "kernel"),
    "gaba_a": (
        "nS",
        "g_GABA",
        "GABA_A/glycine conductance as received (before the inhibition scale)",
        "kernel (§7.2)",
    ),
    "calcium": ("µM", "Ca", "NMDA-driven intracellular Ca²⁺ pool", "kernel (§7.3)"),
    "can_gate": ("1", "m", "activation of the CAN current", "kernel (§7.3)"),
    "potentiation": (
        "1",
        "ρ",
        "LTP state of the neuron's plastic input synapses (0 DOWN, 1 UP)",
        "`painnet.sensitization`, every model step (§7.4)",
    ),
    "excitability": (
        "1",
        "e",
        "activity-maintained excitability",
        "`painnet.sensitization`, every model step (§7.5)",
    ),
    "chronic": (
        "1",
        "s",
        "chronic sensitization state",
        "`painnet.sensitization`, every model step (§7.6)",
    ),
}

#: ``CELL`` rows (per neuron and member): (unit, meaning, set from). Must list exactly the rows
#: of :data:`painnet.engine.layout.CELL`.
CELL_PARAMETERS: dict[str, tuple[str, str, str]] = {
    "capacitance": (
        "pF",
        "membrane capacitance C",
        "`model.populations.<population>.cell.capacitance`",
    ),
    "leak_conductance": (
        "nS",
        "leak conductance g_L",
        "`model.populations.<population>.cell.leak_conductance`",
    ),
    "leak_reversal": (
        "mV",
        "leak reversal E_L",
        "`model.populations.<population>.cell.leak_reversal`",
    ),
    "threshold": ("mV", "spike threshold V_th", "`model.populations.<population>.cell.threshold`"),
    "reset": ("mV", "reset potential V_reset", "`model.populations.<population>.cell.reset`"),
    "refractory_steps": (
        "kernel steps",
        "refractory period",
        "`model.populations.<population>.cell.refractory` / `run.dt`, rounded, ≥ 1",
    ),
    "can_conductance": (
        "nS",
        "maximal CAN conductance g_CAN",
        "`model.populations.<population>.cell.can_conductance`",
    ),
    "bias_current": (
        "pA",
        "injected current I_bias",
        "`model.populations.<population>.cell.bias_current`",
    ),
    "chloride_reversal": (
        "mV",
        "GABA_A/glycine (chloride) reversal E_Cl",
        "`model.receptors.gaba_a.reversal` + `condition.disinhibition.chloride_shift` (§7.7)",
    ),
    "inhibition_scale": (
        "1",
        "fraction s_inh of the received GABA_A conductance that acts",
        "`condition.disinhibition.inhibition_scale`, else 1 (§7.7)",
    ),
    "background_excitatory_weight": (
        "nS",
        "conductance per background AMPA event",
        "`protocol.background.excitatory_weight`",
    ),
    "background_inhibitory_weight": (
        "nS",
        "conductance per background GABA_A event",
        "`protocol.background.inhibitory_weight`",
    ),
    "release_scale": (
        "1",
        "multiplies every conductance this neuron's spikes deliver",
        "drug effects, every model step (§7.13); 1 without drugs",
    ),
    "synaptic_gain": (
        "1",
        "multiplies the AMPA weight of plastic synapses onto this neuron",
        "LTP and chronic state, every model step (§7.4, §7.6)",
    ),
    "potassium_conductance": (
        "nS",
        "opioid/α2-activated K⁺ (GIRK) conductance g_K",
        "drug effects, every model step (§7.13); 0 without drugs",
    ),
    "sensitization_current": (
        "pA",
        "depolarizing current I_sens from the excitability and chronic states",
        "every model step (§7.5, §7.6)",
    ),
}

#: ``CONST`` rows (per member): (unit, meaning, computed from). Must list exactly the rows of
#: :data:`painnet.engine.layout.CONST`.
MEMBER_CONSTANTS: dict[str, tuple[str, str, str]] = {
    "ampa_decay": (
        "1",
        "per-step decay factor exp(−Δt/τ)",
        "`model.receptors.ampa.tau_decay`, `run.dt`",
    ),
    "nmda_rise_decay": ("1", "per-step decay factor", "`model.receptors.nmda.tau_rise`"),
    "nmda_decay_decay": ("1", "per-step decay factor", "`model.receptors.nmda.tau_decay`"),
    "nk1_rise_decay": ("1", "per-step decay factor", "`model.receptors.nk1.tau_rise`"),
    "nk1_decay_decay": ("1", "per-step decay factor", "`model.receptors.nk1.tau_decay`"),
    "gaba_decay": ("1", "per-step decay factor", "`model.receptors.gaba_a.tau_decay`"),
    "nmda_norm": (
        "1",
        "peak normalization N of the dual exponential (§7.2)",
        "NMDA τ_rise, τ_decay",
    ),
    "nk1_norm": ("1", "peak normalization N of the dual exponential", "NK1 τ_rise, τ_decay"),
    "ampa_reversal": ("mV", "E_AMPA", "`model.receptors.ampa.reversal`"),
    "nmda_reversal": ("mV", "E_NMDA", "`model.receptors.nmda.reversal`"),
    "nk1_reversal": ("mV", "E_NK1", "`model.receptors.nk1.reversal`"),
    "magnesium": (
        "µM",
        "extracellular Mg²⁺ of the Jahr–Stevens block",
        "`model.receptors.nmda.magnesium`",
    ),
    "nmda_gain": (
        "1",
        "1 − NMDA block: scales NMDA conductance and its Ca²⁺ entry",
        "drug effects, every model step (§7.13); 1 without drugs",
    ),
    "calcium_fraction": (
        "1",
        "f_Ca, Ca²⁺ share of the NMDA current",
        "`model.receptors.nmda.calcium_fraction`",
    ),
    "calcium_per_charge": (
        "µM/pC",
        "k_Ca, Ca²⁺ rise per pC",
        "`model.receptors.calcium.per_charge`",
    ),
    "calcium_resting": ("µM", "Ca_rest", "`model.receptors.calcium.resting`"),
    "calcium_decay": ("1", "per-step decay factor exp(−Δt/τ_Ca)", "`model.receptors.calcium.tau`"),
    "can_half_activation": ("µM", "K of the CAN gate", "`model.receptors.can.half_activation`"),
    "can_tau_max": ("ms", "τ_max of the CAN gate", "`model.receptors.can.tau_max`"),
    "can_reversal": ("mV", "E_CAN", "`model.receptors.can.reversal`"),
    "potassium_reversal": (
        "mV",
        "E_K of the opioid/α2 K⁺ current",
        "`model.receptors.potassium.reversal`",
    ),
}

#: ``RECEPTOR`` columns of the synapse weights: (meaning, set from).
SYNAPSE_WEIGHTS: dict[str, tuple[str, str]] = {
    "ampa": ("AMPA peak conductance per presynaptic spike", "`model.connections.<rule>.ampa`"),
    "nmda": ("NMDA peak conductance (before Mg²⁺ block)", "`model.connections.<rule>.nmda`"),
    "nk1": ("NK1 peak conductance", "`model.connections.<rule>.nk1`"),
    "gaba_a": ("GABA_A/glycine peak conductance", "`model.connections.<rule>.gaba_a`"),
}

#: :data:`painnet.seeds.STREAMS`: (what it draws, keyed by).
RANDOM_STREAMS: dict[str, tuple[str, str]] = {
    "network": (
        "connections, weights, delays, fibre thresholds and latencies",
        "nothing: one network per model, shared by every member",
    ),
    "stimulus": ("spike jitter and touch spikes of each pulse", "the member's stream key"),
    "background": (
        "spontaneous afferent spikes, background synaptic events, ongoing-input spikes",
        "the member's stream key",
    ),
    "rules": ("agent rules (`model.rule_rng`)", "the member's stream key"),
    "ongoing": (
        "which fibres fire in each `condition.ongoing_input` window",
        "the window's index: shared by every member",
    ),
    "patients": ("the virtual patient's between-subject variability", "the member's stream key"),
    "drug_targets": (
        "which dorsal-horn neurons carry the opioid and α2 K⁺ conductances",
        "population and receptor system: shared by every member",
    ),
}

#: :data:`painnet.slowclock.transfer.AXES`: (unit, meaning).
TRANSFER_INPUTS: dict[str, tuple[str, str]] = {
    "c_rate": ("Hz", "ongoing C-fibre firing above the spontaneous rate (every C fibre)"),
    "nmda_gain": ("1", "1 − NMDA block (every dorsal-horn neuron)"),
    "c_release": ("1", "release factor of C and Aδ terminals (opioid, cholinergic, descending)"),
    "synaptic_gain": ("1", "plastic AMPA weight multiplier of projection neurons (LTP, chronic)"),
    "current": ("pA", "extra current into projection neurons (sensitization minus GIRK)"),
}

#: Sections with numeric parameters that belong to the experiment, not the model: no ODD
#: table needs to cover them (they are in the config reference).
NOT_MODEL_SECTIONS = ("sweep", "drugs.ketamine.regimen", "drugs.morphine.regimen")


def check_rows(documented: dict[str, Any], rows: Iterable[str], what: str) -> list[str]:
    """Problems between a documentation mapping and the engine rows it must describe."""
    rows = tuple(rows)
    problems = [
        f"{what} row {row!r} (src/painnet/engine/layout.py) is not documented; add it to "
        f"painnet.odd.{_MAPPING_NAME[what]} with its unit and meaning"
        for row in rows
        if row not in documented
    ]
    problems += [
        f"painnet.odd.{_MAPPING_NAME[what]} documents {row!r}, which is no longer a {what} row "
        "of src/painnet/engine/layout.py; remove it"
        for row in documented
        if row not in rows
    ]
    return problems


_MAPPING_NAME = {
    "STATE": "STATE_VARIABLES",
    "CELL": "CELL_PARAMETERS",
    "CONST": "MEMBER_CONSTANTS",
    "RECEPTOR": "SYNAPSE_WEIGHTS",
    "random stream": "RANDOM_STREAMS",
    "transfer input": "TRANSFER_INPUTS",
}


def layout_problems() -> list[str]:
    """Every engine row, random stream and transfer input without its entry here (and back)."""
    from painnet.engine import layout
    from painnet.seeds import STREAMS
    from painnet.slowclock.transfer import AXES

    return [
        *check_rows(STATE_VARIABLES, layout.STATE, "STATE"),
        *check_rows(CELL_PARAMETERS, layout.CELL, "CELL"),
        *check_rows(MEMBER_CONSTANTS, layout.CONST, "CONST"),
        *check_rows(SYNAPSE_WEIGHTS, layout.RECEPTOR, "RECEPTOR"),
        *check_rows(RANDOM_STREAMS, STREAMS, "random stream"),
        *check_rows(TRANSFER_INPUTS, AXES, "transfer input"),
    ]


# --------------------------------------------------------------------------------------------
# Generated blocks
# --------------------------------------------------------------------------------------------


def _builtin_types() -> dict[str, type]:
    """The agent types painnet itself registers (plugins are not part of the model)."""
    from painnet.agents import agent_types

    return {
        name: cls for name, cls in agent_types().items() if cls.__module__.startswith("painnet.")
    }


def _kind(cls: type) -> str:
    from painnet.agents import Afferent, ProjectionNeuron

    if issubclass(cls, Afferent):
        return "primary afferent"
    if issubclass(cls, ProjectionNeuron):
        return "projection neuron"
    return "interneuron"


def block_entities() -> list[str]:
    """The registered agent types and the default populations that use them."""
    from painnet.config.schema import ModelSpec

    spec = ModelSpec()
    rows = []
    for name, cls in _builtin_types().items():
        used = [f"{pop} ({p.size})" for pop, p in spec.populations.items() if p.type == name]
        rows.append(
            [
                f"`{name}`",
                f"`{cls.__name__}`",
                _kind(cls),
                _summary(cls),
                "yes" if _sensitizes(cls) else "no",
                ", ".join(used) or "—",
            ]
        )
    header = ["type", "agent class", "kind", "what it is", "sensitizes", "default populations"]
    return _table([*header[:-1], f"{header[-1]} (size)"], rows)


def _sensitizes(cls: type) -> bool:
    """Whether the slow sensitization states act on neurons of an agent class."""
    from painnet.agents import DorsalHornNeuron

    return issubclass(cls, DorsalHornNeuron) and bool(getattr(cls, "sensitizes", True))


def block_agent_views() -> list[str]:
    """The agents' properties: what an agent exposes of its neuron (generated from the classes)."""
    from painnet.agents import Afferent, DorsalHornNeuron, Neuron

    rows = []
    for cls in (Neuron, Afferent, DorsalHornNeuron):
        for key, value in cls.__dict__.items():
            if key.startswith("_") or not isinstance(value, property):
                continue
            access = "read/write" if value.fset is not None else "read"
            rows.append([f"`{cls.__name__}`", f"`{key}`", access, _markdown(value.__doc__ or "")])
    return _table(["class", "property", "access", "meaning"], rows)


def block_state_variables() -> list[str]:
    """``STATE`` rows with unit, symbol, meaning and what updates them."""
    from painnet.engine.layout import STATE

    rows = [[f"`{row}`", *STATE_VARIABLES[row]] for row in STATE]
    return _table(["row", "unit", "symbol", "meaning", "updated by"], rows)


def block_cell_parameters() -> list[str]:
    """``CELL`` rows with unit, meaning and where their value comes from."""
    from painnet.engine.layout import CELL

    rows = [[f"`{row}`", *CELL_PARAMETERS[row]] for row in CELL]
    return _table(["row", "unit", "meaning", "set from"], rows)


def block_member_constants() -> list[str]:
    """``CONST`` rows with unit, meaning and what they are computed from."""
    from painnet.engine.layout import CONST

    rows = [[f"`{row}`", *MEMBER_CONSTANTS[row]] for row in CONST]
    return _table(["row", "unit", "meaning", "from"], rows)


def block_synapse_weights() -> list[str]:
    """``RECEPTOR`` columns of the synapse table."""
    from painnet.engine.layout import RECEPTOR

    rows = [[f"`{column}`", "nS", *SYNAPSE_WEIGHTS[column]] for column in RECEPTOR]
    return _table(["column", "unit", "meaning", "set from"], rows)


def block_random_streams() -> list[str]:
    """The named random streams of :mod:`painnet.seeds`."""
    from painnet.seeds import STREAMS

    rows = [[f"`{name}`", *RANDOM_STREAMS[name]] for name in STREAMS]
    return _table(["stream", "draws", "keyed by"], rows)


def block_attributes(qualified: str) -> list[str]:
    """The ``Attributes:`` section of a class docstring, as a table."""
    obj = _resolve(qualified)
    _, sections = docstring_sections(getattr(obj, "__doc__", "") or "")
    entries = sections.get("Attributes", [])
    if not entries:
        raise OddError(f"{qualified} has no 'Attributes:' section in its docstring")
    rows = [[f"`{name}`", _markdown(text.replace("``", "`"))] for name, text in entries]
    return _table(["attribute", "meaning"], rows)


def block_transfer_axes() -> list[str]:
    """The input grid of the slow clock's transfer table."""
    from painnet.slowclock.transfer import AXES

    rows = [
        [
            f"`{name}`",
            TRANSFER_INPUTS[name][0],
            TRANSFER_INPUTS[name][1],
            ", ".join(_number(v) for v in values),
        ]
        for name, values in AXES.items()
    ]
    return _table(["input", "unit", "meaning", "grid values"], rows)


def block_pk_models() -> list[str]:
    """The published disposition models of :mod:`painnet.pharmacology.drugs`."""
    from painnet.pharmacology import drugs

    models = [("ketamine", m) for m in drugs.KETAMINE_MODELS.values()]
    models.append(("morphine", drugs.SARTON_2000))
    rows = []
    for drug, m in models:
        peripherals = "; ".join(f"{_round(q)} L/min, {_round(v)} L" for q, v in m.peripherals)
        rows.append(
            [
                drug,
                f"`{m.name}`",
                _round(m.central_volume),
                _round(m.clearance),
                peripherals,
                _number(m.clearance_exponent),
                m.source,
            ]
        )
    metabolite = drugs.NORKETAMINE
    rows.append(
        [
            "norketamine",
            "(metabolite)",
            _round(metabolite.volume),
            _round(metabolite.clearance),
            "—",
            "0.75",
            metabolite.source,
        ]
    )
    return _table(
        [
            "drug",
            "model",
            "V1 (L)",
            "CL (L/min)",
            "peripheral Q, V",
            "clearance exponent",
            "source",
        ],
        rows,
    )


def block_routes() -> list[str]:
    """Bioavailability and absorption of each extravascular route."""
    from painnet.pharmacology import drugs

    rows = []
    for form, routes in drugs.KETAMINE_ROUTES.items():
        for route, r in routes.items():
            rows.append(
                [
                    f"ketamine ({form})",
                    route,
                    _number(r.bioavailability),
                    _round(r.absorption_half_time),
                    _number(r.first_pass_metabolite),
                    r.source,
                ]
            )
    return _table(
        ["drug", "route", "F", "t½ absorption (min)", "first-pass → norketamine", "source"], rows
    )


def block_affinities() -> list[str]:
    """Receptor affinities (Ki/IC50) of ketamine and norketamine."""
    from painnet.pharmacology import drugs

    rows = []
    for ligand, table in (
        ("ketamine", drugs.KETAMINE_AFFINITY),
        ("norketamine", drugs.NORKETAMINE_AFFINITY),
    ):
        for form, targets in table.items():
            for target, a in targets.items():
                rows.append(
                    [
                        f"{ligand} ({form})",
                        target,
                        _number(a.k),
                        _number(a.hill),
                        "agonist" if a.agonist else "occupies",
                        a.source,
                    ]
                )
    return _table(["ligand", "target", "K (µM)", "Hill n", "action", "source"], rows)


def block_parameters(*sections: str) -> list[str]:
    """One table per config section: its keys (not its subsections) with default and source."""
    if not sections:
        raise OddError("{{parameters}} needs at least one config section")
    fields = list(schema_fields())
    lines: list[str] = []
    for section in sections:
        group = [
            f
            for f in fields
            if f.section == section and f.section_model is None and not f.entry_models
        ]
        if not group:
            raise OddError(f"{{{{parameters {section}}}}}: no config section {section!r} with keys")
        numeric = any(f.is_numeric for f in group)
        target = "parameters.md" if numeric else "config-reference.md"
        name = "parameter table" if numeric else "config reference"
        if lines:
            lines.append("")
        lines += [f"`{section}` ([{name}]({target}#{_anchor(section)})):", ""]
        rows = [
            [
                f"`{f.name}`",
                readable_default(f),
                f.description,
                f.source or "—",
                basis(f.source) if f.source else "—",
            ]
            for f in group
        ]
        lines += _table(["key", "default", "meaning", "source", "basis"], rows)
    return lines


def _round(value: float) -> str:
    return _number(float(f"{value:.4g}"))


BLOCKS: dict[str, Callable[..., list[str]]] = {
    "entities": block_entities,
    "agent_views": block_agent_views,
    "state_variables": block_state_variables,
    "cell_parameters": block_cell_parameters,
    "member_constants": block_member_constants,
    "synapse_weights": block_synapse_weights,
    "random_streams": block_random_streams,
    "attributes": block_attributes,
    "transfer_axes": block_transfer_axes,
    "pk_models": block_pk_models,
    "routes": block_routes,
    "affinities": block_affinities,
    "parameters": block_parameters,
}
"""Block macros: ``{{name args}}`` on a line of its own."""


# --------------------------------------------------------------------------------------------
# Inline references
# --------------------------------------------------------------------------------------------


def _fields_by_path() -> dict[str, SchemaField]:
    return {field.path: field for field in schema_fields()}


def readable_default(field: SchemaField) -> str:
    """A default as the schema declares it (``10.9 d``, ``1 mM``), else as the tables write it."""
    default = field.info.default
    if isinstance(default, str) and field.dimension is not None:
        return " ".join(default.split())
    return field.default_text


def _inline_row(rows_name: str) -> Callable[[str], str]:
    def render(name: str) -> str:
        from painnet.engine import layout

        if name not in getattr(layout, rows_name):
            raise OddError(f"[[...:{name}]]: no {rows_name} row {name!r} in painnet.engine.layout")
        return f"`{name}`"

    return render


def _inline_param(path: str) -> str:
    field = _fields_by_path().get(path)
    if field is None:
        raise OddError(f"[[param:{path}]]: no such config key")
    if field.section_model is not None:  # a section: its own heading
        target = "parameters.md" if _has_numeric(path) else "config-reference.md"
        return f"[`{path}`]({target}#{_anchor(path)})"
    target = "parameters.md" if field.is_numeric else "config-reference.md"
    anchor = _anchor(field.section) if field.section else "top-level"
    return f"[`{path}`]({target}#{anchor})"


def _has_numeric(section: str) -> bool:
    return any(path == section for path, _, _ in _numeric_sections())


def _inline_value(path: str) -> str:
    field = _fields_by_path().get(path)
    if field is None or field.section_model is not None:
        raise OddError(f"[[value:{path}]]: no such config key")
    return readable_default(field)


def _inline_py(dotted: str) -> str:
    value = _resolve(dotted)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise OddError(f"[[py:{dotted}]]: not a number")
    return _number(value)


def _inline_agent(name: str) -> str:
    if name not in _builtin_types():
        raise OddError(f"[[agent:{name}]]: no registered agent type {name!r}")
    return f"`{name}`"


def _inline_types(which: str) -> str:
    """The dorsal-horn types the slow states act on (``sensitizing``) or not (``not-sensitizing``)."""
    from painnet.agents import DorsalHornNeuron

    if which not in ("sensitizing", "not-sensitizing"):
        raise OddError(f"[[types:{which}]]: use 'sensitizing' or 'not-sensitizing'")
    wanted = which == "sensitizing"
    names = [
        f"`{name}`"
        for name, cls in _builtin_types().items()
        if issubclass(cls, DorsalHornNeuron) and _sensitizes(cls) == wanted
    ]
    return ", ".join(names) or "none"


def _inline_stream(name: str) -> str:
    from painnet.seeds import STREAMS

    if name not in STREAMS:
        raise OddError(f"[[stream:{name}]]: no random stream {name!r} in painnet.seeds.STREAMS")
    return f"`{name}`"


INLINE: dict[str, Callable[[str], str]] = {
    "state": _inline_row("STATE"),
    "cell": _inline_row("CELL"),
    "const": _inline_row("CONST"),
    "param": _inline_param,
    "value": _inline_value,
    "py": _inline_py,
    "agent": _inline_agent,
    "stream": _inline_stream,
    "types": _inline_types,
}
"""Inline macros: ``[[kind:argument]]``."""


def _resolve(dotted: str) -> Any:
    """The object named by a dotted path (a module, or an attribute of one)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(obj, attribute):
                raise OddError(f"{dotted}: {'.'.join(parts[:cut])} has no {attribute!r}")
            obj = getattr(obj, attribute)
        return obj
    raise OddError(f"{dotted}: no such module")


# --------------------------------------------------------------------------------------------
# Checking the prose: config paths, modules and files named in code spans
# --------------------------------------------------------------------------------------------

_TOP_SECTIONS = ("model", "protocol", "drugs", "condition", "run", "output", "sweep")
_CONFIG_PATH = re.compile(r"^(?:" + "|".join(_TOP_SECTIONS) + r")(?:\.[\w<>\[\]*-]+)+$")
_MODULE = re.compile(r"^painnet(?:\.\w+)+$")
_FILE = re.compile(r"^(?:src|configs|experiments|tests|docs|painnet)/[\w./-]+\.\w+$")
_CODE_SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
_FENCE = re.compile(r"^```.*?^```[ \t]*$", re.S | re.M)


@functools.cache
def _schema_children() -> dict[str, frozenset[str]]:
    """Config path → the names one level below it (``"model"`` → ``populations``, ...)."""
    children: dict[str, set[str]] = {}
    for field in schema_fields():
        parts = field.path.split(".")
        for depth, name in enumerate(parts):
            children.setdefault(".".join(parts[:depth]), set()).add(name)
    return {path: frozenset(names) for path, names in children.items()}


def config_path_exists(path: str) -> bool:
    """Whether a dotted path names a config key or section.

    Names from the default network stand for ``<population>`` and ``<rule>``
    (``model.populations.WDR.cell.threshold``), list indices and entry kinds for list entries
    (``condition.ongoing_input.0.rate``), and a trailing ``.*`` means every key of the section.
    """
    from painnet.config.defaults import DEFAULT_CONNECTIONS, DEFAULT_POPULATIONS

    children = _schema_children()

    def fits(part: str, placeholder: str) -> bool:
        if part.startswith(("<", "[")):
            return True
        if placeholder == "<population>":
            return part in DEFAULT_POPULATIONS
        if placeholder == "<rule>":
            return part in DEFAULT_CONNECTIONS
        return placeholder.startswith("[") and part.isdigit()

    def match(prefix: str, parts: list[str]) -> bool:
        if not parts:
            return True
        part, rest = parts[0], parts[1:]
        options = children.get(prefix, set())
        join = (lambda name: f"{prefix}.{name}") if prefix else (lambda name: name)
        if part in options:
            return match(join(part), rest)
        return any(
            fits(part, option) and match(join(option), rest)
            for option in sorted(options)
            if option.startswith(("<", "["))
        )

    return match("", path.removesuffix(".*").split("."))


def stale_references(text: str, root: Path) -> list[str]:
    """Code spans of a Markdown text that name something the code or repository no longer has.

    Checked: dotted config paths (every section and key must exist in the schema), ``painnet.…``
    modules and attributes, and repository files (``configs/…``, ``src/…``, ``experiments/…``,
    ``tests/…``, ``docs/…``; ``painnet/…`` is read under ``src/``). Fenced code blocks are skipped.
    """
    model_attributes = _model_attributes()
    problems = []
    seen = set()
    for span in _CODE_SPAN.findall(_FENCE.sub("", text)):
        token = span.strip()
        if token in seen:
            continue
        seen.add(token)
        first, _, rest = token.partition(".")
        if first in _TOP_SECTIONS and _CONFIG_PATH.match(token.split("=")[0]):
            if config_path_exists(token.split("=")[0]):
                continue
            second = rest.split(".")[0]
            if (
                first == "model"
                and second in model_attributes
                and second not in _schema_children()["model"]
            ):
                continue  # the Mesa model object (model.member, model.time_ms...)
            problems.append(f"`{token}`: no such config key or section")
        elif _MODULE.match(token):
            try:
                _resolve(token)
            except OddError as err:
                problems.append(f"`{token}`: {err}")
        elif _FILE.match(token) and not any(c in token for c in "<*{ "):
            path = root / ("src" / Path(token) if token.startswith("painnet/") else Path(token))
            if not path.exists():
                problems.append(f"`{token}`: no such file in the repository")
    return problems


def _model_attributes() -> set[str]:
    """Names of the Mesa model object's attributes (``model.member``), not config sections."""
    import mesa

    from painnet.model import PainModel

    names = {name for name in dir(PainModel) if not name.startswith("_")}
    for cls in (PainModel, mesa.Model):
        names |= set(re.findall(r"self\.(\w+)\s*(?::[^=]+)?=", inspect.getsource(cls)))
    return names - {"model"}


def uncovered_sections(template: str) -> list[str]:
    """Schema sections with numeric parameters that no ``{{parameters ...}}`` block covers."""
    covered = [
        arg
        for line in template.splitlines()
        if (match := _BLOCK.fullmatch(line.strip())) and match.group(1) == "parameters"
        for arg in match.group(2).split()
    ]
    missing = []
    for path, _, _ in _numeric_sections():
        if path in covered:
            continue
        if any(path == s or path.startswith(s + ".") for s in NOT_MODEL_SECTIONS):
            continue
        missing.append(path)
    return missing


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------

_BLOCK = re.compile(r"\{\{\s*(\w+)((?:\s+[^\s}]+)*)\s*\}\}")
_INLINE = re.compile(r"\[\[(\w+):([^\]]+)\]\]")


def odd_document(template: str, root: Path) -> str:
    """Render the ODD template into ``docs/odd.md``.

    Args:
        template: the text of ``docs/templates/odd.md``.
        root: the repository root (file references are checked under it).

    Raises:
        OddError: listing every problem: an engine row, stream or transfer input without its
            documentation entry (or the reverse), an unknown block or inline macro, a reference
            to a config key, module or file that does not exist, a schema section no table
            covers.
    """
    problems = layout_problems()
    out = [
        f"<!-- generated by {GENERATED_BY} from {TEMPLATE.as_posix()} — do not edit -->",
    ]
    in_comment = False
    for number, line in enumerate(template.splitlines(), start=1):
        if in_comment or line.lstrip().startswith("<!-- template"):
            in_comment = "-->" not in line
            continue
        block = _BLOCK.fullmatch(line.strip())
        if block:
            name, args = block.group(1), block.group(2).split()
            if name not in BLOCKS:
                problems.append(f"template line {number}: unknown block {{{{{name}}}}}")
                continue
            try:
                out += BLOCKS[name](*args)
            except OddError as err:
                problems.append(f"template line {number}: {err}")
            except KeyError as err:  # a row without documentation (listed above)
                problems.append(f"template line {number}: {{{{{name}}}}} has no entry for {err}")
            continue

        def inline(match: re.Match[str], number: int = number) -> str:
            kind, argument = match.group(1), match.group(2)
            if kind not in INLINE:
                problems.append(f"template line {number}: unknown inline [[{kind}:...]]")
                return match.group(0)
            try:
                return INLINE[kind](argument)
            except OddError as err:
                problems.append(f"template line {number}: {err}")
                return match.group(0)

        out.append(_INLINE.sub(inline, line))
    text = "\n".join(out).rstrip() + "\n"
    problems += stale_references(text, root)
    problems += [
        f"config section {path!r} has numeric parameters but no {{{{parameters ...}}}} table "
        "in docs/templates/odd.md covers it (add it to a submodel, or to NOT_MODEL_SECTIONS)"
        for path in uncovered_sections(template)
    ]
    if problems:
        raise OddError(
            "docs/odd.md cannot be generated:\n- "
            + "\n- ".join(dict.fromkeys(problems))
            + f"\n(fix the code's documentation or {TEMPLATE.as_posix()}, then run "
            f"python {GENERATED_BY})"
        )
    return text


def render_file(root: Path) -> str:
    """``docs/odd.md`` of the repository at ``root`` (reads the template there)."""
    return odd_document((root / TEMPLATE).read_text(encoding="utf-8"), root)


__all__ = [
    "BLOCKS",
    "INLINE",
    "OddError",
    "config_path_exists",
    "layout_problems",
    "odd_document",
    "render_file",
    "stale_references",
    "uncovered_sections",
]
