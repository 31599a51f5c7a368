"""join disputes quarantine and policy ui

Revision ID: 0010_merge
Revises: 0008_disputes_quarantine, 0009_policy_ui
Create Date: 2026-11-29 18:39:34.237924
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fenghuo.core.migrations.helpers import enable_tenant_rls  # noqa: F401


revision = '0010_merge'
down_revision = ('0008_disputes_quarantine', '0009_policy_ui')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
