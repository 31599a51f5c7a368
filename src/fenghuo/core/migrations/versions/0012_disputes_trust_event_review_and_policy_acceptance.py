"""disputes trust: events of untrusted organisations wait for a guidance centre; policies wait for
the insured enterprise

Revision ID: 0012_disputes_trust
Revises: 0012_core_db_roles
Create Date: 2026-12-02 10:40:00

Why: any organisation could post an event naming another enterprise and so raise alerts and
deadlines in its inbox (and learn from the answer whether a name belongs to a registered
enterprise); any insurer could put a policy into any enterprise's list. Events now carry a
review status (existing rows: accepted, as they were processed already) and policies an
acceptance status: existing policies under which the enterprise already claimed are accepted,
the others wait for the enterprise, as new ones do.

Columns only (``ALTER TABLE … ADD COLUMN``, no table rebuild: a batch rebuild of
``disputes_events`` on SQLite would cascade-delete its matches and alerts). Both tables keep
their row-level security policies (0004), which cover new columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012_disputes_trust'
down_revision = '0012_core_db_roles'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('disputes_events', sa.Column('review_status', sa.String(length=12), server_default='accepted',
                                               nullable=False))
    op.add_column('disputes_events', sa.Column('review_reason', sa.Text(), nullable=True))
    op.add_column('disputes_events', sa.Column('reviewed_by_org_id', sa.Integer(), nullable=True))
    op.add_column('disputes_events', sa.Column('reviewed_by_user_id', sa.Integer(), nullable=True))
    op.add_column('disputes_events', sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_disputes_events_review_status'), 'disputes_events', ['review_status'], unique=False)
    op.add_column('disputes_policies', sa.Column('status', sa.String(length=12), server_default='pending',
                                                 nullable=False))
    op.add_column('disputes_policies', sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('disputes_policies', sa.Column('responded_by_user_id', sa.Integer(), nullable=True))
    op.execute("UPDATE disputes_policies SET status = 'accepted' "
               "WHERE id IN (SELECT policy_id FROM disputes_claims)")


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): no rebuild, so nothing cascades.
    for column in ('responded_by_user_id', 'responded_at', 'status'):
        op.drop_column('disputes_policies', column)
    op.drop_index(op.f('ix_disputes_events_review_status'), table_name='disputes_events')
    for column in ('reviewed_at', 'reviewed_by_user_id', 'reviewed_by_org_id', 'review_reason', 'review_status'):
        op.drop_column('disputes_events', column)
