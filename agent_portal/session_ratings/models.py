"""Tables of the ratings of paid sessions.

`SessionRating`: one per side per paid session (`side` "customer": the customer's rating
of the expert; "expert": the expert's of the customer), with the session's topic.
`revealed_at` is set when both sides can see it (both rated, or the deadline passed);
`expert_rating_id` names the ranking's row (`expert_search.models.ExpertRating`) a
customer's rating became once revealed.

`SessionRatingVote`: one vote per customer per rating, helpful or not, changeable.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime

SIDES = ("customer", "expert")


class SessionRating(Base):
    __tablename__ = "session_ratings"
    __table_args__ = (
        UniqueConstraint("paid_session_id", "side"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars"),
        CheckConstraint("side IN ('customer', 'expert')", name="side"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    paid_session_id: Mapped[int] = mapped_column(
        ForeignKey("paid_sessions.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(8))
    stars: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    # The session's topic when it was rated (None: none, or the category is gone).
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("expert_categories.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    expert_rating_id: Mapped[int | None] = mapped_column(
        ForeignKey("expert_ratings.id", ondelete="SET NULL"), unique=True
    )


class SessionRatingVote(Base):
    __tablename__ = "session_rating_votes"

    rating_id: Mapped[int] = mapped_column(
        ForeignKey("session_ratings.id", ondelete="CASCADE"), primary_key=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    helpful: Mapped[bool] = mapped_column(Boolean)
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime)
