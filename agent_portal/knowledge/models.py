"""Tables of the knowledge base: articles and the diagnostics findings each one explains.

The full-text index is not part of these models: it differs by database (an FTS5 table kept
in sync by triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL)
and is written by hand in migration k001. `HAND_WRITTEN_SEARCH_OBJECTS` names those
objects, so that Alembic's comparison of models and database leaves them alone.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.auth.models import StaffMember
from agent_portal.database import Base, UTCDateTime, utcnow

FTS_TABLE = "knowledge_articles_fts"
SEARCH_VECTOR_COLUMN = "search_vector"
SEARCH_VECTOR_INDEX = "ix_knowledge_articles_search_vector"
# FTS5 keeps its index in shadow tables named after the virtual table.
FTS_SHADOW_TABLES = tuple(
    f"{FTS_TABLE}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config")
)
HAND_WRITTEN_SEARCH_OBJECTS = frozenset(
    {FTS_TABLE, *FTS_SHADOW_TABLES, SEARCH_VECTOR_COLUMN, SEARCH_VECTOR_INDEX}
)
# Read by the Alembic environment (migrations/env.py) to skip these names.
Base.metadata.info.setdefault("hand_written", set()).update(HAND_WRITTEN_SEARCH_OBJECTS)


class ArticleStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class ArticleLanguage(enum.StrEnum):
    DE = "de"
    EN = "en"


def _allowed(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(member.value) for member in values)})"


class Article(Base):
    __tablename__ = "knowledge_articles"
    __table_args__ = (
        CheckConstraint(_allowed("language", ArticleLanguage), name="language"),
        CheckConstraint(_allowed("status", ArticleStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(10), default=ArticleStatus.DRAFT.value, index=True)
    # The problem in one line, as a customer would put it; the article's heading.
    problem: Mapped[str] = mapped_column(String(200))
    symptoms: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(Text, default="")
    # The tags joined by ", " (see `tag_list`); searched together with the texts.
    tags: Mapped[str] = mapped_column(String(500), default="")
    # Articles keep their text when the staff member who wrote them leaves.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    # Set on the starter articles, so loading them twice adds nothing.
    seed_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[StaffMember | None] = relationship(lazy="joined")
    findings: Mapped[list[ArticleFinding]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ArticleFinding.finding_id",
        lazy="selectin",
    )

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(", ") if tag]

    @property
    def finding_ids(self) -> list[str]:
        return [link.finding_id for link in self.findings]

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED.value


class ArticleFinding(Base):
    """An article explains this diagnostics finding (e.g. "internet.wifi.weak_signal");
    the assistant asks for the articles of a finding by its id."""

    __tablename__ = "knowledge_article_findings"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_articles.id", ondelete="CASCADE"), primary_key=True
    )
    finding_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)

    article: Mapped[Article] = relationship(back_populates="findings")
