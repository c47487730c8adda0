# The stage decisions, formerly approvals.Decision, become the nominations' own record: the
# table moves without copying a row (approvals.0003 drops the old model from the state), then
# takes its new name. Who last acted goes on the nomination, so a stale action names them
# without reading the audit trail.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('nominations', '0003_conferred_award'),
        ('approvals', '0003_stage_decision_to_nominations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='StageDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stage', models.CharField(max_length=40, verbose_name='stage')),
                        ('outcome', models.CharField(choices=[('submitted', 'Submitted'), ('resubmitted', 'Resubmitted'), ('approved', 'Approved'), ('returned', 'Returned for revision'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn'), ('council_approved', 'Approved by the council'), ('council_rejected', 'Not approved by the council'), ('conferred', 'Award conferred')], max_length=40, verbose_name='outcome')),
                        ('reasons', models.TextField(blank=True, verbose_name='reasons')),
                        ('from_status', models.CharField(max_length=40, verbose_name='from')),
                        ('to_status', models.CharField(max_length=40, verbose_name='to')),
                        ('role', models.CharField(choices=[('unit_proposer', 'Unit proposer'), ('unit_head', 'Unit head'), ('party_committee_reviewer', 'Party committee reviewer'), ('leadership_reviewer', 'Leadership reviewer'), ('council_secretary', 'Council secretary'), ('council_member', 'Council member'), ('decision_signer', 'Decision signer'), ('inspector', 'Inspector'), ('administrator', 'Administrator')], max_length=40, verbose_name='role')),
                        ('dossier', models.JSONField(blank=True, default=dict, verbose_name='dossier at the time')),
                        ('decided_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='decided')),
                        ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions_made', to=settings.AUTH_USER_MODEL)),
                        ('nomination', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='nominations.nomination')),
                        ('on_behalf_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decisions_delegated', to=settings.AUTH_USER_MODEL, verbose_name='on behalf of')),
                    ],
                    options={
                        'verbose_name': 'stage decision',
                        'verbose_name_plural': 'stage decisions',
                        'ordering': ['decided_at', 'id'],
                        'db_table': 'approvals_decision',
                        'indexes': [models.Index(fields=['nomination', 'decided_at'], name='decision_nomination_idx')],
                    },
                ),            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='stagedecision', table=None),
        migrations.AddIndex(
            model_name='stagedecision',
            index=models.Index(fields=['nomination', 'actor'], include=('on_behalf_of', 'outcome', 'from_status'), name='decision_judged_idx'),
        ),
        migrations.AddField(
            model_name='nomination',
            name='last_acted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='last acted by'),
        ),
    ]
