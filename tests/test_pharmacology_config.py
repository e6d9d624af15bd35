"""The drugs config section: clinical units, regimen entries, one-line errors that name the field."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

import painnet.config.drugs as drugs_config
from painnet.config.drugs import Amount, Bolus, Drugs, Infusion, Titration
from painnet.config.fields import Section
from painnet.units import CANONICAL, format_quantity, parse_quantity

# ---- units -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dimension", "canonical"),
    [
        ("10 mg", "mass", 10.0),
        ("500 µg", "mass", 0.5),
        ("500 mcg", "mass", 0.5),
        ("70 kg", "body mass", 70.0),
        ("0.15 mg/kg", "dose per body mass", 0.15),
        ("150 ug/kg", "dose per body mass", 0.15),
        ("22 mg/h", "dose rate", 22.0),
        ("100 µg/min", "dose rate", 6.0),
        ("1 mg/min", "dose rate", 60.0),
        ("0.15 mg/kg/h", "dose rate per body mass", 0.15),
        ("5 µg/kg/min", "dose rate per body mass", 0.3),
        ("2 µg/kg/min", "dose rate per body mass", 0.12),  # Joly 2005
        ("150 ng/mL", "mass concentration", 150.0),
        ("1.56 µg/mL", "mass concentration", 1560.0),  # Durieux 1995
        ("0.15 mg/L", "mass concentration", 150.0),
        ("150000 ng/L", "mass concentration", 150.0),
        ("25 L", "volume", 25.0),
        ("500 mL", "volume", 0.5),
        ("79 L/h", "clearance", 79.0),
        ("1.32 L/min", "clearance", 79.2),
        ("1620 mL/min", "clearance", 97.2),
    ],
)
def test_new_units_parse_to_canonical(text, dimension, canonical):
    assert parse_quantity(text, dimension) == pytest.approx(canonical)
    written = format_quantity(canonical, dimension)
    assert written.endswith(CANONICAL[dimension])
    assert parse_quantity(written, dimension) == pytest.approx(canonical)


def test_existing_dimensions_unchanged():
    assert parse_quantity("1 s", "time") == 1000.0
    assert parse_quantity("1 mM", "concentration") == 1000.0
    with pytest.raises(ValueError, match="expected a time in one of"):
        parse_quantity("5 m/s", "time")
    with pytest.raises(ValueError, match="dose rate in one of"):
        parse_quantity("5 mg/kg", "dose rate")


# ---- regimen entries ---------------------------------------------------------------------------


def test_doses_are_absolute_or_per_kg_and_round_trip():
    drugs = Drugs.model_validate(
        {
            "ketamine": {
                "regimen": [
                    {"kind": "bolus", "dose": "0.15 mg/kg", "at": "10 min", "over": "1 min"},
                    {"kind": "infusion", "rate": "5 µg/kg/min", "duration": "48 h"},
                    {
                        "kind": "repeated",
                        "dose": "25 mg",
                        "every": "8 h",
                        "count": 3,
                        "route": "oral",
                    },
                    {"kind": "titration", "steps": [{"rate": "5 mg/h", "duration": "1 d"}]},
                ]
            }
        }
    )
    bolus, infusion, repeated, titration = drugs.ketamine.regimen
    assert isinstance(bolus, Bolus) and bolus.dose == Amount(0.15, per_kg=True)
    assert bolus.dose.for_patient(80.0) == pytest.approx(12.0)
    assert isinstance(infusion, Infusion) and infusion.rate == Amount(0.3, per_kg=True)
    assert repeated.dose == Amount(25.0, per_kg=False)
    assert isinstance(titration, Titration) and titration.route == "iv"
    dumped = drugs.model_dump(mode="json")
    assert dumped["ketamine"]["regimen"][0]["dose"] == "0.15 mg/kg"
    assert dumped["ketamine"]["regimen"][1]["rate"] == "0.3 mg/kg/h"
    assert Drugs.model_validate(dumped) == drugs


def test_defaults_are_no_drug():
    drugs = Drugs()
    assert drugs.nmda_block is None and drugs.ketamine is None and drugs.morphine is None
    assert drugs.patient.weight == 70.0
    assert Drugs.model_validate(Drugs().model_dump(mode="json")) == drugs


def test_every_numeric_field_cites_a_source():
    sections = [
        cls
        for cls in vars(drugs_config).values()
        if isinstance(cls, type) and issubclass(cls, Section) and cls is not Section
    ]
    assert len(sections) > 15
    for section in sections:
        for name, field in section.model_fields.items():
            if re.search(r"\b(float|int)\b", str(field.annotation)):
                extra = field.json_schema_extra
                assert isinstance(extra, dict) and extra.get("source"), f"{section.__name__}.{name}"
                assert field.description, f"{section.__name__}.{name}"


# ---- errors: one line, naming the field --------------------------------------------------------


def problems(data: dict) -> list[tuple[str, str]]:
    """(dotted location, message) of every error; each message must be one line."""
    with pytest.raises(ValidationError) as info:
        Drugs.model_validate(data)
    found = []
    for error in info.value.errors(include_url=False):
        message = str(error["msg"])
        assert "\n" not in message
        found.append((".".join(str(part) for part in error["loc"]), message))
    return found


@pytest.mark.parametrize(
    ("data", "where", "says"),
    [
        (
            {"ketamine": {"regimen": [{"kind": "bolsu", "dose": "1 mg"}]}},
            "ketamine.regimen.0",
            "did you mean 'bolus'?",
        ),
        ({"ketamine": {"regimen": [{"dose": "1 mg"}]}}, "ketamine.regimen.0", "missing 'kind'"),
        ({"ketamine": {"regimen": ["10 mg"]}}, "ketamine.regimen.0", "expected a dose entry"),
        (
            {"ketamine": {"regimen": [{"kind": "bolus", "dose": "10 ms"}]}},
            "ketamine.regimen.0.bolus.dose",
            "expected an amount like '10 mg' or '0.15 mg/kg'",
        ),
        (
            {"ketamine": {"regimen": [{"kind": "bolus", "dose": "-1 mg"}]}},
            "ketamine.regimen.0.bolus.dose",
            "expected an amount >= 0",
        ),
        (
            {
                "ketamine": {
                    "regimen": [
                        {"kind": "bolus", "dose": "10 mg", "route": "oral", "over": "5 min"}
                    ]
                }
            },
            "ketamine.regimen.0.bolus.over",
            "only an IV dose can be given over a time",
        ),
        (
            {"ketamine": {"regimen": [{"kind": "infusion", "rate": "10 mg"}]}},
            "ketamine.regimen.0.infusion.rate",
            "'22 mg/h' or '0.15 mg/kg/h'",
        ),
        (
            {"ketamine": {"regimen": [{"kind": "infusion", "rate": "1 mg/h", "route": "oral"}]}},
            "ketamine.regimen.0.infusion.route",
            "'iv' or 'sc'",
        ),
        (
            {"ketamine": {"regimen": [{"kind": "repeated", "dose": "1 mg", "every": "8 h"}]}},
            "ketamine.regimen.0.repeated.count",
            "Field required",
        ),
        (
            {"ketamine": {"regimen": [{"kind": "titration", "steps": []}]}},
            "ketamine.regimen.0.titration.steps",
            "at least 1 item",
        ),
        ({"ketamine": {"form": "R"}}, "ketamine.form", "'racemic' or 'esketamine'"),
        (
            {"ketamine": {"effect_half_time": "6"}},
            "ketamine.effect_half_time",
            "expected a time like",
        ),
        (
            {"morphine": {"regimen": [{"kind": "bolus", "dose": "10 mg", "route": "oral"}]}},
            "morphine.regimen",
            "morphine is modelled IV only",
        ),
        ({"patient": {"weight": 70}}, "patient.weight", "body mass with a unit like '70 kg'"),
        ({"patient": {"sex": "f"}}, "patient.sex", "'male' or 'female'"),
        (
            {"modifiers": {"opioid_presynaptic": {"scale": 2}}},
            "modifiers.opioid_presynaptic",
            "scale × emax = 1.2",
        ),
        (
            {"modifiers": {"descending": {"gain": 2}}},
            "modifiers.descending.gain",
            "Extra inputs are not permitted",
        ),
        (
            {"monitoring": {"dissociation_full": "20 ng/mL"}},
            "monitoring",
            "dissociation_full (20 ng/mL) must be above",
        ),
        ({"nmda_block": 1.5}, "nmda_block", "less than or equal to 1"),
    ],
)
def test_errors_are_one_line_and_name_the_field(data, where, says):
    found = problems(data)
    assert any(loc == where and says in message for loc, message in found), found
