"""Tables of expert search and ranking: the search index of findable profiles, and the
ratings the ranking reads.

`ExpertSearchEntry` holds one row per findable profile (approved, not suspended): what is
searched (name, category names in both languages, keywords, the three texts) and what is
filtered and sorted on (languages, price, score). It is written only by
`agent_portal.expert_search.index`, whenever a profile is approved, changed or suspended, so a
search reads one table and no profile. `ExpertSearchCategory` lists each entry's
categories with all their parents, so a category filter finds its sub-categories' experts
with one equality.

The full-text index over the entries is hand-written in migration e100, as the knowledge
base's is (an FTS5 table kept by triggers on SQLite, a generated tsvector column on
PostgreSQL): `HAND_WRITTEN_SEARCH_OBJECTS` keeps Alembic's comparison away from it.

`ExpertRating` is written by the ratings of paid sessions (`agent_portal.session_ratings`)
when a customer's rating of a paid session is revealed; nothing else writes it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime, utcnow

FTS_TABLE = "expert_search_fts"
SEARCH_VECTOR_COLUMN = "search_vector"
SEARCH_VECTOR_INDEX = "ix_expert_search_entries_search_vector"
FTS_SHADOW_TABLES = tuple(
    f"{FTS_TABLE}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config")
)
# SQLite: each entry's words as FTS5 reads them, kept by triggers through a scratch FTS5
# table and its word list (migration e102).
TERMS_TABLE = "expert_search_terms"
SCRATCH_TABLE = "expert_search_scratch"
SCRATCH_WORDS_TABLE = "expert_search_scratch_words"
TERMS_OBJECTS = (
    TERMS_TABLE,
    SCRATCH_TABLE,
    SCRATCH_WORDS_TABLE,
    *(f"{SCRATCH_TABLE}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config")),
)
RANK_INDEX = "ix_expert_search_entries_rank"
RANK_INDEX_EXTRA = ("staff_id", "languages", "price_per_minute", "price_per_session")
HAND_WRITTEN_SEARCH_OBJECTS = frozenset(
    {FTS_TABLE, *FTS_SHADOW_TABLES, *TERMS_OBJECTS, SEARCH_VECTOR_COLUMN, SEARCH_VECTOR_INDEX}
)
Base.metadata.info.setdefault("hand_written", set()).update(HAND_WRITTEN_SEARCH_OBJECTS)


class ExpertSearchEntry(Base):
    __tablename__ = "expert_search_entries"
    __table_args__ = (
        # A search reads each group (online, the others) in this order: score, then the
        # profile's number; the rest is what it filters on, so that SQLite reads the
        # entries it passes over from the index alone (migration e101).
        Index(RANK_INDEX, "score", "profile_id", *RANK_INDEX_EXTRA),
    )

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="CASCADE"), index=True
    )
    display_name: Mapped[str] = mapped_column(String(200))
    # Searched: the names of the categories and their parents, German and English.
    categories: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")
    slogan: Mapped[str] = mapped_column(Text, default="")
    # The other two texts of the profile: qualifications and experience.
    texts: Mapped[str] = mapped_column(Text, default="")
    # Filtered: the languages spoken, as " de en " (a language is found by " de ").
    languages: Mapped[str] = mapped_column(String(100), default=" ")
    # Prices in minor units of `currency`; an expert charges per minute, per session or both.
    price_per_minute: Mapped[int | None] = mapped_column(Integer, index=True)
    price_per_session: Mapped[int | None] = mapped_column(Integer, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    # The ranking (agent_portal.expert_search.ranking) over all of the expert's ratings.
    score: Mapped[float] = mapped_column(Float)
    rating_weight: Mapped[float] = mapped_column(Float, default=0.0)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExpertSearchCategory(Base):
    __tablename__ = "expert_search_categories"

    category_id: Mapped[int] = mapped_column(
        ForeignKey("expert_categories.id", ondelete="CASCADE"), primary_key=True
    )
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("expert_search_entries.profile_id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class ExpertRating(Base):
    """A customer's rating of one paid session: stars, how long it lasted, what was paid,
    and the category it was about (None: the category is gone or was never named)."""

    __tablename__ = "expert_ratings"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
        CheckConstraint("seconds >= 0", name="seconds"),
        CheckConstraint("cents >= 0", name="cents"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("expert_categories.id", ondelete="SET NULL"), index=True
    )
    score: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer)
    cents: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
