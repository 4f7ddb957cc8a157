"""The ledger learns payouts: a transfer of kind `payout` moves an expert's earnings to the
provider that pays them out (`provider:payout:<CUR>`).

Only the CHECK constraint on `ledger_transfers.kind` changes, and it only grows: every
stored row still meets it. PostgreSQL replaces the constraint. SQLite cannot alter a
constraint, and rebuilding the table would mean dropping a table every other ledger table
refers to, with its append-only triggers; so the constraint's text is edited in the
schema itself, as SQLite documents for changes that leave the stored rows valid
(`PRAGMA writable_schema`, with the schema's version raised so every connection rereads
it).

Revision ID: l002
Revises: l001
"""

from alembic import op
from sqlalchemy import text

revision = "l002"
down_revision = "l001"
branch_labels = None
depends_on = None

BEFORE = "kind IN ('authorise', 'post', 'void', 'expire', 'refund')"
AFTER = "kind IN ('authorise', 'post', 'void', 'expire', 'refund', 'payout')"


def upgrade() -> None:
    _replace(BEFORE, AFTER)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.execute(text("SELECT count(*) FROM ledger_transfers WHERE kind = 'payout'")).scalar():
        raise RuntimeError("the ledger holds payouts: it cannot go back to a ledger without them")
    _replace(AFTER, BEFORE)


def _replace(old: str, new: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_ledger_transfers_kind"), "ledger_transfers", type_="check")
        op.create_check_constraint(op.f("ck_ledger_transfers_kind"), "ledger_transfers", new)
        return
    sql = bind.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ledger_transfers'")
    ).scalar_one()
    if old not in sql:
        raise RuntimeError(f"ledger_transfers has no constraint {old!r} to change")
    version = bind.execute(text("PRAGMA schema_version")).scalar_one()
    bind.execute(text("PRAGMA writable_schema = ON"))
    bind.execute(
        text(
            "UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'ledger_transfers'"
        ),
        {"sql": sql.replace(old, new)},
    )
    bind.execute(text(f"PRAGMA schema_version = {int(version) + 1}"))
    bind.execute(text("PRAGMA writable_schema = OFF"))
