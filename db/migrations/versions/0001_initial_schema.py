"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 06:16:21.438361
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('version', sa.String(length=100), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_models')),
    sa.UniqueConstraint('name', 'version', name='uq_models_name_version')
    )
    op.create_table('studies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('guidelines', sa.Text(), nullable=False),
    sa.Column('rubric_id', sa.String(length=64), nullable=False),
    sa.Column('rubric_version', sa.String(length=32), nullable=False),
    sa.Column('rubric_snapshot', sa.JSON(), nullable=False),
    sa.Column('modes', sa.JSON(), nullable=False),
    sa.Column('ratings_per_output', sa.Integer(), nullable=False),
    sa.Column('votes_per_pair', sa.Integer(), nullable=False),
    sa.Column('pivot_language', sa.String(length=35), nullable=False),
    sa.Column('blind', sa.Boolean(), nullable=False),
    sa.Column('show_reference', sa.Boolean(), nullable=False),
    sa.Column('reveal_policy', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_studies')),
    sa.UniqueConstraint('slug', name=op.f('uq_studies_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('pseudonym', sa.String(length=16), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('specialty', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'lead', 'clinician')", name=op.f('ck_users_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_users_pseudonym')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_audit_events_study_id_studies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('group_id', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('specialty', sa.String(length=200), nullable=False),
    sa.Column('modality', sa.String(length=64), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('reference_answer', sa.Text(), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_cases_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('study_id', 'external_id', name='uq_cases_study_external')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_study_group', ['study_id', 'group_id'], unique=False)
        batch_op.create_index('ix_cases_study_language', ['study_id', 'language'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('output_order', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('skip_reason', sa.Text(), nullable=False),
    sa.Column('lease_expires_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('rating', 'pairwise')", name=op.f('ck_assignments_kind')),
    sa.CheckConstraint("status IN ('open', 'done', 'skipped')", name=op.f('ck_assignments_status')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_assignments_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_assignments_study_id_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_study_case', ['study_id', 'case_id'], unique=False)
        batch_op.create_index('ix_assignments_user_status', ['user_id', 'status'], unique=False)

    op.create_table('case_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('display_sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('modality', sa.String(length=16), nullable=True),
    sa.Column('window', sa.String(length=32), nullable=True),
    sa.Column('source_name', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_images_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_images')),
    sa.UniqueConstraint('case_id', 'position', name='uq_case_images_position')
    )
    with op.batch_alter_table('case_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_images_case_id'), ['case_id'], unique=False)

    op.create_table('outputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=False),
    sa.Column('sample_index', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('generation_ms', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("origin IN ('imported', 'generated')", name=op.f('ck_outputs_origin')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_outputs_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['model_id'], ['models.id'], name=op.f('fk_outputs_model_id_models')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outputs')),
    sa.UniqueConstraint('case_id', 'model_id', 'sample_index', name='uq_outputs_case_model_sample')
    )
    with op.batch_alter_table('outputs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outputs_model_id'), ['model_id'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('output_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('rubric_version', sa.String(length=32), nullable=False),
    sa.Column('confidence', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('time_spent_ms', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('client_token', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('confidence IS NULL OR confidence BETWEEN 1 AND 5', name=op.f('ck_ratings_confidence')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_ratings_assignment_id_assignments')),
    sa.ForeignKeyConstraint(['output_id'], ['outputs.id'], name=op.f('fk_ratings_output_id_outputs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_ratings_study_id_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supersedes_id'], ['ratings.id'], name=op.f('fk_ratings_supersedes_id_ratings')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ratings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('client_token', name=op.f('uq_ratings_client_token'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index('ix_ratings_study_output', ['study_id', 'output_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ratings_supersedes_id'), ['supersedes_id'], unique=False)
        batch_op.create_index('ix_ratings_user', ['user_id'], unique=False)

    op.create_table('scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('output_id', sa.Integer(), nullable=False),
    sa.Column('scorer', sa.String(length=200), nullable=False),
    sa.Column('metric', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['output_id'], ['outputs.id'], name=op.f('fk_scores_output_id_outputs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scores')),
    sa.UniqueConstraint('output_id', 'scorer', 'metric', name='uq_scores_output_scorer_metric')
    )
    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('left_output_id', sa.Integer(), nullable=False),
    sa.Column('right_output_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('winner', sa.String(length=16), nullable=False),
    sa.Column('axes', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('time_spent_ms', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('client_token', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("winner IN ('left', 'right', 'tie', 'both_bad')", name=op.f('ck_votes_winner')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_votes_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['left_output_id'], ['outputs.id'], name=op.f('fk_votes_left_output_id_outputs')),
    sa.ForeignKeyConstraint(['right_output_id'], ['outputs.id'], name=op.f('fk_votes_right_output_id_outputs')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_votes_study_id_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_votes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('client_token', name=op.f('uq_votes_client_token'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index('ix_votes_study_case', ['study_id', 'case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_votes_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_user_id'))
        batch_op.drop_index('ix_votes_study_case')

    op.drop_table('votes')
    op.drop_table('scores')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_user')
        batch_op.drop_index(batch_op.f('ix_ratings_supersedes_id'))
        batch_op.drop_index('ix_ratings_study_output')

    op.drop_table('ratings')
    with op.batch_alter_table('outputs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outputs_model_id'))

    op.drop_table('outputs')
    with op.batch_alter_table('case_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_images_case_id'))

    op.drop_table('case_images')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_user_status')
        batch_op.drop_index('ix_assignments_study_case')

    op.drop_table('assignments')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_study_language')
        batch_op.drop_index('ix_cases_study_group')

    op.drop_table('cases')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
    op.drop_table('users')
    op.drop_table('studies')
    op.drop_table('models')
