"""pairwise pair items and study settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 08:24:03.353801
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pair_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('output_lo_id', sa.Integer(), nullable=False),
    sa.Column('output_hi_id', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('rand_key', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_pair_items_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['output_hi_id'], ['outputs.id'], name=op.f('fk_pair_items_output_hi_id_outputs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['output_lo_id'], ['outputs.id'], name=op.f('fk_pair_items_output_lo_id_outputs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_pair_items_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pair_items')),
    sa.UniqueConstraint('output_lo_id', 'output_hi_id', name='uq_pair_items_outputs')
    )
    with op.batch_alter_table('pair_items', schema=None) as batch_op:
        batch_op.create_index('ix_pair_items_queue', ['study_id', 'taken', 'rand_key'], unique=False)

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_user_study', ['user_id', 'study_id', 'kind', 'status'], unique=False)
        batch_op.add_column(sa.Column('pair_item_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_assignments_user_pair_item', ['user_id', 'pair_item_id'])
        batch_op.create_foreign_key(batch_op.f('fk_assignments_pair_item_id_pair_items'), 'pair_items', ['pair_item_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('studies', schema=None) as batch_op:
        # server defaults only so studies from before this revision get a value
        batch_op.add_column(sa.Column('vote_reason_required', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('min_votes', sa.Integer(), nullable=False, server_default='50'))
    with op.batch_alter_table('studies', schema=None) as batch_op:
        batch_op.alter_column('vote_reason_required', server_default=None)
        batch_op.alter_column('min_votes', server_default=None)

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_votes_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_votes_assignment_id_assignments'), 'assignments', ['assignment_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_votes_assignment_id_assignments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_votes_assignment_id'))
        batch_op.drop_column('assignment_id')

    with op.batch_alter_table('studies', schema=None) as batch_op:
        batch_op.drop_column('min_votes')
        batch_op.drop_column('vote_reason_required')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_user_study')
        batch_op.drop_constraint(batch_op.f('fk_assignments_pair_item_id_pair_items'), type_='foreignkey')
        batch_op.drop_constraint('uq_assignments_user_pair_item', type_='unique')
        batch_op.drop_column('pair_item_id')

    with op.batch_alter_table('pair_items', schema=None) as batch_op:
        batch_op.drop_index('ix_pair_items_queue')

    op.drop_table('pair_items')
