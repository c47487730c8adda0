# Each award type names the kinds of document a dossier must include before it can be submitted
# (none by default, so existing award types keep accepting what they accepted).

import nominations.models.awards
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('nominations', '0004_stage_decision'),
    ]

    operations = [
        migrations.AddField(
            model_name='awardtype',
            name='required_documents',
            field=models.JSONField(blank=True, default=list, help_text='The documents a dossier must include before it can be submitted.', validators=[nominations.models.awards.validate_document_kinds], verbose_name='required documents'),
        ),
    ]
