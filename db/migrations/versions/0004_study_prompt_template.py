"""study prompt template and system prompt for generation

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08 09:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('studies', schema=None) as batch_op:
        # server defaults only so studies from before this revision get a value
        batch_op.add_column(sa.Column('prompt_template', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('system_prompt', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('studies', schema=None) as batch_op:
        batch_op.alter_column('prompt_template', server_default=None)
        batch_op.alter_column('system_prompt', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('studies', schema=None) as batch_op:
        batch_op.drop_column('system_prompt')
        batch_op.drop_column('prompt_template')
