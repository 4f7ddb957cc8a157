"""Expert search latency on 10,000 profiles, next to a bare indexed lookup.

In one run, on a fresh database (SQLite in a temporary folder; with `--database-url` a new
database on that PostgreSQL server, dropped at the end): a category tree, `--profiles`
approved expert profiles (staff member, profile, categories, keywords, texts in German or
English, prices), their search entries as approving writes them, a rank from random paid
and free ratings, and one expert in twenty online (an open portal tab). Then, in this
process, the search service as the API calls it (`search_experts`, 20 per page):

- prefix queries: the beginning of a word as it is typed ("Dru", "Netzw", "rout"),
  sometimes two words or with a language filter;
- category lists: a category (with its sub-categories) and no words, online first;

and as the baseline the same number of bare lookups of one entry by its primary key on
the same database. Prints p50 and p99 of each kind and, last, one JSON line:
`{"search_p50_ms", "search_p99_ms", "bare_p99_ms", "profiles", ...}`. Goal: search p99
under 30 ms and within 5x of the bare lookup; ``--check`` exits 1 when it is missed.

    python benchmarks/experts.py [--profiles 10000] [--queries 400]
                                 [--database-url postgresql+psycopg://...] [--check]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from scratch_database import scratch_database
from sqlalchemy import insert, select

from agent_portal.auth.models import StaffMember
from agent_portal.database import make_engine, make_session_factory, utcnow
from agent_portal.expert_search import index
from agent_portal.expert_search.models import ExpertSearchCategory, ExpertSearchEntry
from agent_portal.expert_search.ranking import Rating, rank
from agent_portal.expert_search.search import Filters, search_experts
from agent_portal.experts.models import ExpertCategory, ExpertProfile, ExpertProfileCategory
from agent_portal.migrate import upgrade_to_head
from agent_portal.realtime.models import LiveConnection

GOAL_P99_MS = 30.0
GOAL_RATIO = 5.0
AWAY_AFTER = timedelta(minutes=5)
PAGE = 20
TREE = {
    ("Netzwerk", "Network"): [("WLAN", "Wi-Fi"), ("Router", "Routers"), ("VPN", "VPN")],
    ("Drucker", "Printers"): [("Tintenstrahl", "Inkjet"), ("Laser", "Laser")],
    ("Sicherheit", "Security"): [("Viren", "Viruses"), ("Passwörter", "Passwords")],
    ("E-Mail", "E-mail"): [("Outlook", "Outlook"), ("Thunderbird", "Thunderbird")],
    ("Computer", "Computers"): [("Windows", "Windows"), ("Mac", "Mac"), ("Linux", "Linux")],
    ("Telefonie", "Telephony"): [("Festnetz", "Landline"), ("Smartphone", "Smartphones")],
    ("Fernsehen", "Television"): [("Streaming", "Streaming"), ("Receiver", "Receivers")],
    ("Daten", "Data"): [("Sicherung", "Backup"), ("Cloud", "Cloud")],
}
WORDS_TEXT = """
    Druckertreiber Netzwerkkarte Verbindung Einstellungen Zertifikat Festplatte Speicher
    Passwort Firewall Virenschutz Fernwartung Kabelmodem Repeater Glasfaser Browser
    Tabellenkalkulation Datensicherung Betriebssystem Aktualisierung Bildschirm
    printer driver network connection settings certificate storage password firewall
    antivirus remote modem repeater fibre browser spreadsheet backup configuration
    screen wireless router mailbox calendar smartphone
"""
WORDS = tuple(WORDS_TEXT.split())
# Sessions of the random ratings: free half-minute chats and paid ones.
MINUTES = (0.5, 5, 20, 60)
CENTS = (0, 500, 3000)
PREFIXES = ["dru", "netzw", "rout", "wla", "ver", "fire", "pass", "back", "conf", "glas", "ze"]


def seed(session_factory, profiles: int, rng: random.Random) -> tuple[list[int], list[int]]:
    """The tree and the profiles; the category ids and the profile ids."""
    now = utcnow()
    with session_factory() as db_session:
        categories = []
        for position, ((de, en), children) in enumerate(TREE.items()):
            parent = ExpertCategory(name_de=de, name_en=en, position=position)
            db_session.add(parent)
            db_session.flush()
            categories.append(parent)
            for child_position, (child_de, child_en) in enumerate(children):
                child = ExpertCategory(
                    name_de=child_de, name_en=child_en, parent_id=parent.id, position=child_position
                )
                db_session.add(child)
                categories.append(child)
        db_session.flush()
        leaves = [category for category in categories if category.parent_id is not None]
        tree = {category.id: category for category in categories}
        db_session.commit()

        started, batch = time.perf_counter(), 1000
        for first in range(0, profiles, batch):
            count = min(batch, profiles - first)
            staff_rows = [
                {
                    "username": f"expert{number:05d}.{uuid.uuid4().hex[:4]}",
                    "display_name": f"Expert {number:05d}",
                    "role": "expert",
                    "password_hash": "!unusable",
                    "created_at": now,
                    "is_active": True,
                    "must_change_password": False,
                }
                for number in range(first, first + count)
            ]
            staff_ids = list(
                db_session.scalars(insert(StaffMember).returning(StaffMember.id), staff_rows)
            )
            profile_rows = []
            for number, staff_id in zip(range(first, first + count), staff_ids, strict=True):
                german = rng.random() < 0.6
                keywords = rng.sample(WORDS, 4)
                profile_rows.append(
                    {
                        "staff_id": staff_id,
                        "display_name": f"Expert {number:05d}",
                        "languages": "de,en" if rng.random() < 0.5 else ("de" if german else "en"),
                        "keywords": ", ".join(keywords),
                        "slogan": " ".join(rng.sample(WORDS, 5)),
                        "qualifications": " ".join(rng.sample(WORDS, 8)),
                        "experience": " ".join(rng.sample(WORDS, 12)),
                        "text_language": "de" if german else "en",
                        "price_per_minute": rng.randrange(50, 2000, 10),
                        "price_per_session": None,
                        "currency": "CHF",
                        "created_at": now,
                        "approved_at": now,
                        "suspension_reason": "",
                    }
                )
            profile_ids = list(
                db_session.scalars(insert(ExpertProfile).returning(ExpertProfile.id), profile_rows)
            )
            links = []
            for profile_id in profile_ids:
                for position, leaf in enumerate(rng.sample(leaves, rng.randint(1, 3))):
                    links.append(
                        {"profile_id": profile_id, "category_id": leaf.id, "position": position}
                    )
            db_session.execute(insert(ExpertProfileCategory), links)
            db_session.flush()
            entries, entry_categories = [], []
            loaded = db_session.scalars(
                select(ExpertProfile).where(ExpertProfile.id.in_(profile_ids))
            )
            for profile in loaded:
                with_parents = index.with_parents_in(tree, profile.category_ids)
                ratings = [
                    Rating(
                        rng.randint(1, 5), rng.choice([0.5, 5, 20, 60]), rng.choice([0, 500, 3000])
                    )
                    for _ in range(rng.randint(0, 8))
                ]
                values = index.entry_values(profile, with_parents, rank(ratings), now)
                entries.append({"profile_id": profile.id, **values})
                entry_categories += [
                    {"profile_id": profile.id, "category_id": category.id}
                    for category in with_parents
                ]
            db_session.execute(insert(ExpertSearchEntry), entries)
            db_session.execute(insert(ExpertSearchCategory), entry_categories)
            online = [
                {
                    "id": uuid.uuid4().hex,
                    "worker_id": "benchmark",
                    "kind": "staff",
                    "staff_id": staff_id,
                    "opened_at": now,
                    "last_activity_at": now,
                    "seen_at": now,
                }
                for staff_id in staff_ids
                if rng.random() < 0.05
            ]
            if online:
                db_session.execute(insert(LiveConnection), online)
            db_session.commit()
            db_session.expunge_all()
            done = first + count
            print(
                f"  seeded {done:6d} profiles ({time.perf_counter() - started:5.1f} s)", flush=True
            )
        all_ids = list(db_session.scalars(select(ExpertSearchEntry.profile_id)))
    return [category.id for category in categories], all_ids


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=400, help="searches of each kind")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    with (
        tempfile.TemporaryDirectory(prefix="experts-bench-") as folder,
        scratch_database(args.database_url or f"sqlite:///{Path(folder) / 'portal.db'}") as url,
    ):
        engine = make_engine(url)
        upgrade_to_head(engine)
        session_factory = make_session_factory(engine)
        database = "SQLite" if engine.dialect.name == "sqlite" else "PostgreSQL"
        print(f"Seeding {args.profiles} expert profiles ({database}) ...", flush=True)
        category_ids, profile_ids = seed(session_factory, args.profiles, rng)

        def search(filters: Filters):
            with session_factory() as db_session:
                page = search_experts(
                    db_session=db_session,
                    filters=filters,
                    now=utcnow(),
                    away_after=AWAY_AFTER,
                    limit=PAGE,
                )
                assert page.experts or filters.query, filters

        def bare(profile_id: int):
            with session_factory() as db_session:
                db_session.get(ExpertSearchEntry, profile_id)

        def prefix_filters() -> Filters:
            word = rng.choice(PREFIXES)
            if rng.random() < 0.25:
                word += " " + rng.choice(WORDS)[:4]
            return Filters(query=word, language=rng.choice([None, None, "de", "en"]))

        # Warm up: the caches of both databases and of SQLAlchemy's statements.
        for _ in range(50):
            search(prefix_filters())
            search(Filters(category_id=rng.choice(category_ids)))
            bare(rng.choice(profile_ids))
        prefix, lists, lookups = [], [], []
        print(f"Measuring {args.queries} searches of each kind ...", flush=True)
        for _ in range(args.queries):
            filters = prefix_filters()
            prefix.append(timed(lambda filters=filters: search(filters)))
            category = Filters(category_id=rng.choice(category_ids))
            lists.append(timed(lambda category=category: search(category)))
            profile_id = rng.choice(profile_ids)
            lookups.append(timed(lambda profile_id=profile_id: bare(profile_id)))
        engine.dispose()

    searches = prefix + lists
    for name, values in (("prefix", prefix), ("category", lists), ("bare", lookups)):
        print(
            f"{name:9s} p50 {statistics.median(values):6.2f} ms   "
            f"p99 {percentile(values, 0.99):6.2f} ms   ({len(values)} runs)"
        )
    summary = {
        "search_p50_ms": round(statistics.median(searches), 3),
        "search_p99_ms": round(percentile(searches, 0.99), 3),
        "bare_p99_ms": round(percentile(lookups, 0.99), 3),
        "profiles": len(profile_ids),
        "prefix_p99_ms": round(percentile(prefix, 0.99), 3),
        "category_p99_ms": round(percentile(lists, 0.99), 3),
        "database": database,
    }
    met = (
        summary["search_p99_ms"] < GOAL_P99_MS
        and summary["search_p99_ms"] <= GOAL_RATIO * summary["bare_p99_ms"]
    )
    print(
        f"search p99 {summary['search_p99_ms']:.2f} ms (goal: under {GOAL_P99_MS:g} ms and "
        f"within {GOAL_RATIO:g}x of the bare lookup's {summary['bare_p99_ms']:.2f} ms): "
        + ("goal met" if met else "goal missed")
    )
    print(json.dumps(summary))
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
