# The stage decisions move to `nominations` (as StageDecision), where separation of duties reads
# them. The table is kept and renamed by nominations.0004; here the model only leaves the state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('approvals', '0002_council'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Decision')],
            database_operations=[],
        ),
    ]
