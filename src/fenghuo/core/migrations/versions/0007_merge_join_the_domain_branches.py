"""join the domain branches

Revision ID: 0007_merge
Revises: 0004_disputes, 0005_filing, 0006_policy
Create Date: 2026-11-29 18:12:35.990172
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fenghuo.core.migrations.helpers import enable_tenant_rls  # noqa: F401


revision = '0007_merge'
down_revision = ('0004_disputes', '0005_filing', '0006_policy')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
