"""Where the server's domains register what they bring, so a new domain touches no shared list.

Each domain (a sub-package `agent_portal/<domain>/`) has a module `domain.py` with one
`DOMAIN = Domain(...)`: its routes, its models, its CLI commands, its templates, its
sections of the customer page, its audit events, its background jobs and what follows a
change of a staff account. `all_domains()` finds every such module (in the order the
domains ask for, then by name); the app (`app.py`), the metadata for Alembic
(`models.py`), the CLI (`cli.py`), the page templates (`web.templating`), the customer
page (`customers.pages`), the audit log, the live channel (`live.py`) and the staff
accounts (`auth.accounts`) read what they need from there. A domain's socket messages come the
same way, through its `live_kinds.py` (`realtime.registry`).

This module imports no domain itself: a domain's `domain.py` imports this one.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

MODULE_NAME = "domain"


@dataclass(frozen=True)
class Domain:
    """What one domain adds to the server. Every part is optional."""

    name: str
    # Where the domain comes among the others, lowest first, ties by name: the order of
    # its routes and of its section in the API docs.
    order: int = 100
    # APIRouters, included in the app in this order.
    routers: tuple[Any, ...] = ()
    # Called with the app before any router is in, e.g. exception handlers, probes.
    install: Callable[[Any], None] | None = None
    # The module defining the domain's tables (imported for the metadata and Alembic).
    models: ModuleType | None = None
    # `register(subcommands)`: adds the domain's `agent-portal` subcommands.
    commands: Callable[[Any], None] | None = None
    # The folder of the domain's page templates (named `<domain>/<page>.html` inside).
    templates: Path | None = None
    # (order, provider) of each part of the customer page (`customers.pages`), lowest first.
    customer_sections: tuple[tuple[int, Callable[..., Any]], ...] = ()
    # Audit events the domain records, each with its English text marked with `N_`
    # (`%(name)s` placeholders take the entry's data): what the audit log shows.
    audit_events: Mapping[str, str] = field(default_factory=dict)
    # A note beside an entry of one of its events: note(entry) -> the text, translated.
    audit_notes: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)
    # `jobs(settings)`: the domain's background jobs (`realtime.hub.PeriodicJob`).
    jobs: Callable[[Any], Iterable[Any]] | None = None
    # `account_changed(db_session=, member=, now=)`: called in the transaction that
    # deactivates or reactivates a staff account or gives it another role
    # (`auth.accounts`), so what the domain keeps of the member follows (flush only).
    account_changed: Callable[..., None] | None = None


def find_domains(package: ModuleType) -> tuple[Domain, ...]:
    """The `DOMAIN` of every sub-package of `package` that has a `domain.py`, by name."""
    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
        if not info.ispkg:
            continue
        name = f"{package.__name__}.{info.name}.{MODULE_NAME}"
        if importlib.util.find_spec(name) is None:
            continue
        domain = importlib.import_module(name).DOMAIN
        if not isinstance(domain, Domain) or domain.name != info.name:
            raise TypeError(f"{name}.DOMAIN must be Domain(name={info.name!r}, ...)")
        found.append(domain)
    found.sort(key=lambda domain: domain.order)  # stable: ties stay in the order of names
    _refuse_twice_claimed_audit_events(found)
    return tuple(found)


@functools.cache
def all_domains() -> tuple[Domain, ...]:
    """Every domain of the portal, found once per process."""
    import agent_portal

    return find_domains(agent_portal)


def routers(domains: Iterable[Domain] | None = None) -> list[Any]:
    return [router for domain in _or_all(domains) for router in domain.routers]


def template_dirs(domains: Iterable[Domain] | None = None) -> list[Path]:
    return [domain.templates for domain in _or_all(domains) if domain.templates is not None]


def customer_sections(domains: Iterable[Domain] | None = None) -> list[Callable[..., Any]]:
    """The providers of the customer page's sections, by their order (stable for ties)."""
    entries = [entry for domain in _or_all(domains) for entry in domain.customer_sections]
    return [provider for _order, provider in sorted(entries, key=lambda entry: entry[0])]


def audit_event_texts(domains: Iterable[Domain] | None = None) -> dict[str, str]:
    return {
        str(event): text
        for domain in _or_all(domains)
        for event, text in domain.audit_events.items()
    }


def audit_event_notes(domains: Iterable[Domain] | None = None) -> dict[str, Callable]:
    return {
        str(event): note
        for domain in _or_all(domains)
        for event, note in domain.audit_notes.items()
    }


def account_changed_hooks(domains: Iterable[Domain] | None = None) -> list[Callable[..., None]]:
    return [domain.account_changed for domain in _or_all(domains) if domain.account_changed]


def _or_all(domains: Iterable[Domain] | None) -> Iterable[Domain]:
    return all_domains() if domains is None else domains


def _refuse_twice_claimed_audit_events(domains: list[Domain]) -> None:
    owners: dict[str, str] = {}
    for domain in domains:
        for event in domain.audit_events:
            if event in owners:
                raise ValueError(
                    f"audit event {event} is registered by {owners[event]} "
                    f"and again by {domain.name}"
                )
            owners[str(event)] = domain.name
