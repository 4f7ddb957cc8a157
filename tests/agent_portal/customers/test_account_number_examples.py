"""Every example of an account number the portal shows a person (the search boxes of the
customer search and the audit log, the hint when nothing is found, the import's help)
looks like the account numbers the ISP's back end sends, here the demo data's ("1000002"),
and is one the portal accepts; in English and German."""

from __future__ import annotations

import re

import pytest

from agent_portal.customers.cli import IMPORT_HELP
from agent_portal.customers.schemas import ACCOUNT_NUMBER_EXAMPLE, normalise_account_number
from agent_portal.demo_data import DEMO_CUSTOMERS
from tests.agent_portal.customers.conftest import logged_in_client

# A word with a digit in it that the account number's rule allows: "1000002", "K-100234".
CANDIDATE = re.compile(r"(?<![\w@.-])(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{2,18}[A-Z0-9](?![\w@-])")


def shape(number: str) -> str:
    """ "K-100234" → "A-999999": what a person recognises an account number by."""
    return re.sub(r"[A-Z]", "A", re.sub(r"\d", "9", number))


REAL_SHAPES = {shape(customer[0]) for customer in DEMO_CUSTOMERS}


def examples(text: str) -> list[str]:
    return CANDIDATE.findall(text)


def assert_like_real_ones(text: str, where: str) -> None:
    found = examples(text)
    assert found, f"{where}: no example account number in {text!r}"
    for example in found:
        assert shape(example) in REAL_SHAPES, f"{where}: {example} looks like no account number"
        assert normalise_account_number(example) == example


def placeholder(html: str, field: str) -> str:
    match = re.search(rf'id="{field}"[^>]*placeholder="([^"]*)"', html, re.S)
    assert match, f"no placeholder on #{field}"
    return match.group(1)


def test_the_example_is_one_of_the_real_shape():
    assert shape(ACCOUNT_NUMBER_EXAMPLE) in REAL_SHAPES


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_search_boxes_and_hints_show_real_looking_account_numbers(portal, db_session, language):
    with logged_in_client(portal.url, db_session, "ada", "admin") as admin:
        audit = admin.get("/portal/admin/audit", params={"lang": language}).text
        search = admin.get("/portal/customers", params={"lang": language}).text
        nothing = admin.get("/portal/customers", params={"q": "Schmidt", "lang": language}).text
    assert_like_real_ones(placeholder(audit, "account"), "audit log search")
    assert_like_real_ones(placeholder(search, "q"), "customer search")
    hint = re.search(r"<p>([^<]*(?:finds|findet)[^<]*)</p>", nothing)
    assert hint, "the empty search has no hint about account numbers"
    prefix, number = examples(hint.group(1))  # "1000 finds 1000002"
    assert_like_real_ones(number, "the hint when nothing is found")
    assert number.startswith(prefix) and len(prefix) < len(number)


def test_the_import_help_shows_a_real_looking_account_number():
    rule = next(line for line in IMPORT_HELP.splitlines() if "account_number " in line)
    assert_like_real_ones(rule.split("e.g.")[1], "the column's rule")
    first_row = IMPORT_HELP.split("Example:")[1].splitlines()[2]
    assert_like_real_ones(first_row.split(",")[0], "the example file")
