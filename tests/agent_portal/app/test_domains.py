"""Each domain registers what it brings in its own `domain.py`, so a new domain touches no
shared list: a domain dropped beside the others is served by the app, offered by the CLI
and worded by the audit log; every domain's models, templates, commands and customer-page
sections reach the portal through its registration; and the modules that put the server
together name no domain's parts."""

from __future__ import annotations

import ast
import importlib
import textwrap
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import agent_portal
from agent_portal import cli, domains
from agent_portal.app import create_app
from agent_portal.audit.models import AuditEntry
from agent_portal.audit.pages import EntryTexts
from agent_portal.database import Base
from agent_portal.i18n import translator

PORTAL = Path(agent_portal.__file__).parent
# The modules that put the server together: they read the domains, never list them.
ASSEMBLY = ["app.py", "live.py", "cli.py", "models.py", "migrations/env.py"]

WEATHER_DOMAIN = """
from fastapi import APIRouter

from agent_portal.auth.deps import public_route
from agent_portal.domains import Domain

router = APIRouter(dependencies=[public_route()])


@router.get("/api/v1/weather")
def weather() -> dict[str, str]:
    return {"sky": "clear"}


def commands(subcommands) -> None:
    subcommands.add_parser("forecast", help="tell the weather")


def section(**_context):
    return None


DOMAIN = Domain(
    name="weather",
    routers=(router,),
    commands=commands,
    customer_sections=((50, section),),
    audit_events={"storm_warned": "Storm warning sent"},
)
"""


def add_package(root: Path, name: str, domains_source: dict[str, str | None]):
    """A package `name` under `root` with a sub-package per domain; the text given for a
    domain becomes its `domain.py` (None: a sub-package that is no domain)."""
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text("")  # a module, not a domain
    for domain, source in domains_source.items():
        (package / domain).mkdir()
        (package / domain / "__init__.py").write_text("")
        if source is not None:
            (package / domain / "domain.py").write_text(textwrap.dedent(source))
    importlib.invalidate_caches()
    return importlib.import_module(name)


@pytest.fixture
def portal_with_weather(tmp_path, monkeypatch):
    """The portal with one more domain, added the way a new domain is: a folder of its own
    with a `domain.py`, and not a line changed elsewhere."""
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "weather").mkdir()
    (extra / "weather" / "__init__.py").write_text("")
    (extra / "weather" / "domain.py").write_text(WEATHER_DOMAIN)
    monkeypatch.setattr(agent_portal, "__path__", [*agent_portal.__path__, str(extra)])
    importlib.invalidate_caches()
    domains.all_domains.cache_clear()
    yield
    domains.all_domains.cache_clear()


def test_a_new_domain_is_served_and_offered_without_a_shared_list(portal_with_weather, settings):
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/weather").json() == {"sky": "clear"}
    assert "forecast" in cli.build_parser().format_help()
    assert "weather" in [domain.name for domain in domains.all_domains()]
    entry = AuditEntry(event="storm_warned", data={})
    assert EntryTexts("Europe/Berlin", {}).what(entry) == "Storm warning sent"


def test_the_portal_without_it_does_not_serve_it(settings):
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/weather").status_code == 404
    assert "forecast" not in cli.build_parser().format_help()


def test_domains_are_found_by_their_domain_module_in_their_order(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    header = "from agent_portal.domains import Domain\n"
    package = add_package(
        tmp_path,
        "portal_with_three",
        {
            "zoo": header + "DOMAIN = Domain(name='zoo', order=5)\n",
            "alpha": header + "DOMAIN = Domain(name='alpha')\n",
            "beta": header
            + "def first(**_):\n    pass\n"
            + "def last(**_):\n    pass\n"
            + "DOMAIN = Domain(name='beta', customer_sections=((900, last), (1, first)))\n",
            "notes": None,
        },
    )
    found = domains.find_domains(package)
    assert [domain.name for domain in found] == ["zoo", "alpha", "beta"]
    assert [provider.__name__ for provider in domains.customer_sections(found)] == [
        "first",
        "last",
    ]


def test_an_audit_event_two_domains_claim_is_refused_naming_both(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    claim = (
        "from agent_portal.domains import Domain\n"
        "DOMAIN = Domain(name='{name}', audit_events={{'code_issued': 'Code issued'}})\n"
    )
    package = add_package(
        tmp_path,
        "portal_with_twin_events",
        {"codes": claim.format(name="codes"), "offline": claim.format(name="offline")},
    )
    with pytest.raises(ValueError, match="code_issued is registered by codes and again by offline"):
        domains.find_domains(package)


def test_a_domain_named_otherwise_than_its_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    package = add_package(
        tmp_path,
        "portal_with_misnamed",
        {"billing": "from agent_portal.domains import Domain\nDOMAIN = Domain(name='bills')\n"},
    )
    with pytest.raises(TypeError, match="Domain\\(name='billing'"):
        domains.find_domains(package)


NOT_DOMAINS = {"migrations"}  # Alembic's scripts


def domain_folders() -> list[Path]:
    folders = (path.parent for path in PORTAL.glob("*/__init__.py"))
    return sorted(folder for folder in folders if folder.name not in NOT_DOMAINS)


def test_every_package_of_the_portal_is_a_domain():
    names = {domain.name for domain in domains.all_domains()}
    assert [folder.name for folder in domain_folders() if folder.name not in names] == []


@pytest.mark.parametrize("folder", domain_folders(), ids=lambda folder: folder.name)
def test_what_a_domain_has_it_registers(folder):
    registered = {domain.name: domain for domain in domains.all_domains()}[folder.name]
    if (folder / "models.py").exists():
        assert registered.models is not None
        assert registered.models.__name__ == f"agent_portal.{folder.name}.models"
    if (folder / "templates").is_dir() and folder.name != "web":
        assert registered.templates == folder / "templates"
    if (folder / "cli.py").exists():
        assert registered.commands is not None
        assert registered.commands.__module__ == f"agent_portal.{folder.name}.cli"


def test_every_table_belongs_to_a_registered_models_module():
    registered = {domain.models.__name__ for domain in domains.all_domains() if domain.models}
    for table in Base.metadata.tables.values():
        owners = [
            mapper.class_.__module__ for mapper in Base.registry.mappers if table in mapper.tables
        ]
        assert owners and set(owners) <= registered, table.name


@pytest.mark.parametrize("module", ASSEMBLY)
def test_the_assembly_names_no_part_of_a_domain(module):
    """`app`, `live`, `cli`, `models` and Alembic's environment read the domains from
    `agent_portal.domains`; an import of a domain's routes, models, commands or jobs here
    would be a shared list again."""
    names = {folder.name for folder in domain_folders()}
    tree = ast.parse((PORTAL / module).read_text())
    named = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            imported = [alias.name for alias in node.names]
        else:
            continue
        for name in imported:
            parts = name.split(".")
            if parts[0] == "agent_portal" and len(parts) > 2 and parts[1] in names:
                if parts[2] in {"views", "pages", "models", "cli", "domain", "flows", "jobs"}:
                    named.append(name)
                if parts[2] == "worker" or parts[2].endswith(("_pages", "_views")):
                    named.append(name)
    assert named == []


@pytest.fixture
def english():
    token = translator.language.set("en")
    yield
    translator.language.reset(token)


def test_the_audit_log_words_each_domains_events_and_notes_as_before(english):
    texts = EntryTexts("Europe/Berlin", {})
    used = AuditEntry(event="offline_code_used", data={"shown_by": "Anna Berger"})
    assert texts.what(used) == "Offline code used on the device"
    assert texts.note(used) == "Shown by Anna Berger"
    assert texts.note(AuditEntry(event="offline_code_used", data={})) == (
        "No agent was shown this code."
    )
    issued = AuditEntry(event="unlock_code_issued", data={"code_id": 7})
    assert texts.what(issued) == "Unlock code #7 issued"
    assert texts.note(issued) == ""
    renamed = AuditEntry(event="staff_renamed", data={"username": "anna"})
    assert texts.what(renamed) == "Staff account “anna” renamed to “–”"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def _draws_pages(path: Path) -> bool:
    return any(
        name.startswith("agent_portal.web.templating.") or name.endswith(".HTMLResponse")
        for name in _imports(path)
    )


def test_every_domain_names_its_modules_by_one_rule():
    """`views.py` is a domain's JSON API, `pages.py` (or `<part>_pages.py`) its HTML pages,
    `page_data.py` what its templates show: a page is never drawn in `views.py`, and
    `page_data.py` holds no routes."""
    drawn_elsewhere = []
    for folder in domain_folders():
        for path in sorted(folder.glob("*.py")):
            name = path.stem
            if name == "views":
                assert not _draws_pages(path), f"{path.relative_to(PORTAL)} draws a page"
            elif name == "page_data":
                assert "APIRouter" not in path.read_text(), path.relative_to(PORTAL)
            elif name.endswith("pages"):
                continue
            elif _draws_pages(path):
                drawn_elsewhere.append(str(path.relative_to(PORTAL)))
    # Besides the renderer itself, the answer to refused access: the forbidden page, for
    # every route.
    assert drawn_elsewhere == ["auth/handlers.py", "web/templating.py"]
    # A second API or data module would blur the rule: only pages may come in parts.
    assert list(PORTAL.glob("*/*_views.py")) == list(PORTAL.glob("*/*_page_data.py")) == []
