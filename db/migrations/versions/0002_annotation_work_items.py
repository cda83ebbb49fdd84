"""annotation work items, leases, flags and gold answers

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 07:19:42.074433
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('work_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('sample_index', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('gold', sa.Boolean(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('rand_key', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_work_items_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_work_items_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_items')),
    sa.UniqueConstraint('case_id', 'sample_index', name='uq_work_items_case_sample')
    )
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.create_index('ix_work_items_queue', ['study_id', 'gold', 'taken', 'rand_key'], unique=False)

    op.create_table('gold_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('output_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['output_id'], ['outputs.id'], name=op.f('fk_gold_answers_output_id_outputs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_gold_answers_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gold_answers')),
    sa.UniqueConstraint('output_id', name=op.f('uq_gold_answers_output_id'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index('ix_ratings_assignment', ['assignment_id'], unique=False)
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_item_id', sa.Integer(), nullable=True))
        # server defaults only so rows from before this revision get a value
        batch_op.add_column(sa.Column('named', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('served_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('flagged', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('flag_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('flagged_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_assignments_study_status_lease', ['study_id', 'status', 'lease_expires_at'], unique=False)
        batch_op.create_unique_constraint('uq_assignments_user_work_item', ['user_id', 'work_item_id'])
        batch_op.create_foreign_key(batch_op.f('fk_assignments_work_item_id_work_items'), 'work_items', ['work_item_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('ck_assignments_status'), type_='check')
        batch_op.create_check_constraint('status', "status IN ('open', 'done', 'skipped', 'released')")
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        for column in ('named', 'flagged', 'flag_note'):
            batch_op.alter_column(column, server_default=None)



def downgrade() -> None:
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_assignments_status'), type_='check')
        batch_op.create_check_constraint('status', "status IN ('open', 'done', 'skipped')")
        batch_op.drop_constraint(batch_op.f('fk_assignments_work_item_id_work_items'), type_='foreignkey')
        batch_op.drop_constraint('uq_assignments_user_work_item', type_='unique')
        batch_op.drop_index('ix_assignments_study_status_lease')
        batch_op.drop_column('flagged_at')
        batch_op.drop_column('flag_note')
        batch_op.drop_column('flagged')
        batch_op.drop_column('served_at')
        batch_op.drop_column('named')
        batch_op.drop_column('work_item_id')

    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_assignment')
    op.drop_table('gold_answers')
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.drop_index('ix_work_items_queue')

    op.drop_table('work_items')
