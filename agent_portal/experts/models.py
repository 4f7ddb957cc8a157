"""Tables of the experts: the category tree, each expert's profile (the approved version
customers see), the change waiting for approval, and the photos.

- `ExpertCategory`: the tree admins keep (a parent, German and English names, a position
  among its siblings).
- `ExpertProfile`: one per expert (a staff member with the role "expert"). Its columns
  hold the **approved** version, the only one customers ever see; `approved_at` is None
  until an admin approved a first version. `suspended_at` takes it out of everything
  customer-facing at once, as does deactivating the expert's account or giving it
  another role (`is_visible`). `ExpertProfileCategory` links it to up to three categories.
  `time_zone` is the expert's own zone (no approval: customers do not read it).
  The texts and keywords are plain columns of this table, so a full-text index can be
  laid over them (only approved text is ever indexed).
- `ExpertProfileDraft`: the expert's version waiting for an admin (status "pending"), or
  the one an admin sent back (status "rejected", with the reason). At most one per
  profile; approving copies it onto the profile and deletes it.
  `ExpertProfileDraftCategory` holds its categories.
- `ExpertPhoto`: a photo as re-encoded by the server (`photos.py`); the bytes of the
  upload are never stored.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.auth.models import EXPERT_ROLE, StaffMember
from agent_portal.database import Base, UTCDateTime, utcnow


class DraftStatus(enum.StrEnum):
    PENDING = "pending"
    REJECTED = "rejected"


def split_list(joined: str, separator: str) -> list[str]:
    return [item for item in joined.split(separator) if item]


class ExpertCategory(Base):
    __tablename__ = "expert_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A category without parent is a top category. A parent with children is not removed.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("expert_categories.id", ondelete="RESTRICT"), index=True
    )
    name_de: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    # The order among its siblings, lowest first.
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Set on the starter tree, so seeding it twice adds nothing.
    seed_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def name(self, language: str) -> str:
        """The name in that language ("de" or anything else: English)."""
        return self.name_de if language == "de" else self.name_en


class _ProfileFields:
    """The fields an expert edits: on the approved profile and on a draft alike."""

    display_name: Mapped[str] = mapped_column(String(100), default="")
    photo_id: Mapped[int | None] = mapped_column(
        ForeignKey("expert_photos.id", ondelete="SET NULL")
    )
    # ISO 639-1 codes joined by "," (e.g. "de,en"); see `language_list`.
    languages: Mapped[str] = mapped_column(String(100), default="")
    # Free keywords joined by ", " (see `keyword_list`); searched with the texts.
    keywords: Mapped[str] = mapped_column(String(500), default="")
    slogan: Mapped[str] = mapped_column(Text, default="")
    qualifications: Mapped[str] = mapped_column(Text, default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    # The language the three texts are written in (ISO 639-1).
    text_language: Mapped[str] = mapped_column(String(2), default="de")
    # Prices in minor units of `currency`; at least one of the two is set.
    price_per_minute: Mapped[int | None] = mapped_column(Integer)
    price_per_session: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="CHF")

    @property
    def language_list(self) -> list[str]:
        return split_list(self.languages, ",")

    @property
    def keyword_list(self) -> list[str]:
        return split_list(self.keywords, ", ")


class ExpertProfile(_ProfileFields, Base):
    __tablename__ = "expert_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the version in these columns was approved; None: never approved, not visible.
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Suspended by an admin: nothing customer-facing shows the expert until reinstated.
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str] = mapped_column(String(500), default="")
    # The expert's own time zone (an IANA name), which their appointment form starts in
    # and their pages show appointments in; None: the portal's (PORTAL_TIME_ZONE). Not a
    # text customers read, so it is saved at once, without approval.
    time_zone: Mapped[str | None] = mapped_column(String(64))

    staff: Mapped[StaffMember] = relationship(lazy="joined")
    categories: Mapped[list[ExpertProfileCategory]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ExpertProfileCategory.position",
        lazy="selectin",
    )
    draft: Mapped[ExpertProfileDraft | None] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
        uselist=False,
    )

    @property
    def is_visible(self) -> bool:
        """Customers see it: approved, not suspended, and the account an active expert's (a
        deactivated expert could never answer). `profiles.visible_condition` in SQL."""
        return (
            self.approved_at is not None
            and self.suspended_at is None
            and self.staff.is_active
            and self.staff.role == EXPERT_ROLE
        )

    @property
    def category_ids(self) -> list[int]:
        return [link.category_id for link in self.categories]


class ExpertProfileCategory(Base):
    """An approved profile is listed in this category (at most three per profile)."""

    __tablename__ = "expert_profile_categories"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("expert_categories.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    profile: Mapped[ExpertProfile] = relationship(back_populates="categories")
    category: Mapped[ExpertCategory] = relationship(lazy="joined")


class ExpertProfileDraft(_ProfileFields, Base):
    __tablename__ = "expert_profile_drafts"
    __table_args__ = (CheckConstraint("status IN ('pending', 'rejected')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(10), default=DraftStatus.PENDING.value, index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when an admin sent it back: who, when and why (the expert reads the reason).
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    rejection_reason: Mapped[str] = mapped_column(String(1000), default="")

    profile: Mapped[ExpertProfile] = relationship(back_populates="draft")
    categories: Mapped[list[ExpertProfileDraftCategory]] = relationship(
        back_populates="draft",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ExpertProfileDraftCategory.position",
        lazy="selectin",
    )

    @property
    def is_pending(self) -> bool:
        return self.status == DraftStatus.PENDING.value

    @property
    def category_ids(self) -> list[int]:
        return [link.category_id for link in self.categories]


class ExpertProfileDraftCategory(Base):
    __tablename__ = "expert_profile_draft_categories"

    draft_id: Mapped[int] = mapped_column(
        ForeignKey("expert_profile_drafts.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("expert_categories.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    draft: Mapped[ExpertProfileDraft] = relationship(back_populates="categories")
    category: Mapped[ExpertCategory] = relationship(lazy="joined")


class ExpertPhoto(Base):
    """A photo as the server re-encoded it: always `content_type`, at most the bounded
    size, no metadata. Served to assistants under its profile's photo URL."""

    __tablename__ = "expert_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(50))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # The SHA-256 of `data` in hex: the photo's ETag.
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
