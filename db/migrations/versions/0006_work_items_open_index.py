"""work_items(study_id, language, gold, taken): the progress total reads only this index

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:05:00.000000
"""

from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.create_index(
            'ix_work_items_open', ['study_id', 'language', 'gold', 'taken'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.drop_index('ix_work_items_open')
