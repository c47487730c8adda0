# Separation of duties reads the nominations' stage decisions now; the trail needs no index of
# its own for it.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_judged_index'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='auditevent', name='audit_judged_idx'),
    ]
