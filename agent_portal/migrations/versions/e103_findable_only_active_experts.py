"""A profile is findable only while its account is an active expert's: a deactivated
expert (or one given another role) could never answer a customer who found them. From
now on the index follows every such change of an account (`expert_search.index`); this
takes the entries of the accounts changed before out of the search. Reactivating such an
account puts its profile back.

The search's "who is online" relies on it: it asks only the open portal tabs, not each
tab's account, as the entries it goes with are all active experts'.

Revision ID: e103
Revises: e102
"""

from alembic import op

revision = "e103"
down_revision = "e102"
branch_labels = None
depends_on = None

NOT_ACTIVE_EXPERTS = (
    "SELECT profile_id FROM expert_search_entries WHERE staff_id IN "
    "(SELECT id FROM staff_members WHERE is_active IS NOT TRUE OR role <> 'expert')"
)


def upgrade() -> None:
    # The categories first: SQLite enforces the cascade only where foreign keys are on.
    op.execute(f"DELETE FROM expert_search_categories WHERE profile_id IN ({NOT_ACTIVE_EXPERTS})")
    op.execute(f"DELETE FROM expert_search_entries WHERE profile_id IN ({NOT_ACTIVE_EXPERTS})")


def downgrade() -> None:
    # The entries of such accounts are not written back: a search before this revision
    # would find experts who cannot answer. Reactivating an account restores its entry.
    pass
