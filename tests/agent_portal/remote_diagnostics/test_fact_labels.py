"""Every fact a diagnostics report can carry has a label in English and German on the report
page, and every code a fact can hold a text: a field added to the facts models without
one fails here, before an agent reads a raw field name."""

from __future__ import annotations

import types
import typing
from pathlib import Path

from pydantic import BaseModel

import agent_portal
from agent_portal.remote_diagnostics import fact_labels
from isp_common.diagnostics.facts import Facts
from tests.support.translations import german_catalogue

CATALOGUE = Path(agent_portal.__file__).parent / "locale/de/LC_MESSAGES/portal.po"
# Shown with the unit the report spells ("2.4 GHz" -> "2,4 GHz"), not as a code.
FORMATTED_LITERALS = {"band"}


def _models(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models(arg)]


def _literal_values(annotation) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [value for arg in typing.get_args(annotation) for value in _literal_values(arg)]
    return []


def every_fact_field() -> list[tuple[str, str, object]]:
    """(model, field, annotation) of every facts model and the records inside them."""
    found, seen = [], set()
    waiting = _models(typing.get_args(Facts)[0])
    while waiting:
        model = waiting.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            if name != "kind":
                found.append((model.__name__, name, info.annotation))
                waiting += _models(info.annotation)
    return found


def test_every_fact_has_a_label_in_english_and_german():
    fields = every_fact_field()
    assert ("ModemFacts", "detail", str | None) in fields
    assert ("Partition", "total_bytes", int | None) in fields  # records inside facts too
    catalogue = german_catalogue(CATALOGUE)
    unlabelled = [
        f"{model}.{name}" for model, name, _a in fields if not fact_labels.label(model, name)
    ]
    assert unlabelled == [], f"give these facts a label in fact_labels.LABELS: {unlabelled}"
    untranslated = sorted(
        {
            fact_labels.label(model, name)
            for model, name, _a in fields
            if not (entry := catalogue.get(fact_labels.label(model, name))) or not entry.string
        }
    )
    assert untranslated == [], f"add German to portal.po for the labels: {untranslated}"


def test_every_code_a_fact_can_hold_has_a_text():
    without = []
    for model, name, annotation in every_fact_field():
        values = _literal_values(annotation)
        if not values or name in FORMATTED_LITERALS:
            continue
        codes = fact_labels.codes(model, name) or {}
        without += [f"{model}.{name} = {value!r}" for value in values if value not in codes]
    assert without == [], f"give these codes a text in fact_labels.CODES: {without}"
