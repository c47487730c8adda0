# Reference data in both languages: an award type's legal basis gets a field per language, as
# its name already has. The one legal basis there was becomes the Vietnamese one (a rename: every
# row keeps its text, now read as Vietnamese; English is blank and falls back to it). An award
# type's English name may be left blank like a unit's or a campaign's. The request letter's label
# loses its Vietnamese aside ("(tờ trình)"): the Vietnamese catalogue says it in Vietnamese.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('nominations', '0005_required_documents'),
    ]

    operations = [
        migrations.RenameField(
            model_name='awardtype',
            old_name='legal_basis',
            new_name='legal_basis_vi',
        ),
        migrations.AlterField(
            model_name='awardtype',
            name='legal_basis_vi',
            field=models.CharField(blank=True, max_length=300, verbose_name='legal basis (Vietnamese)'),
        ),
        migrations.AddField(
            model_name='awardtype',
            name='legal_basis_en',
            field=models.CharField(blank=True, max_length=300, verbose_name='legal basis (English)'),
        ),
        migrations.AlterField(
            model_name='awardtype',
            name='name_en',
            field=models.CharField(blank=True, max_length=200, verbose_name='name (English)'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='kind',
            field=models.CharField(choices=[('request_letter', 'Request letter'), ('achievement_report', 'Achievement report'), ('meeting_minutes', "Minutes of the unit's review meeting"), ('ballot_minutes', 'Ballot count minutes'), ('initiative_certificate', 'Initiative certification'), ('exceptional_achievement', 'Certification of achievements'), ('consultation_opinion', 'Consultation opinion'), ('other', 'Other evidence')], max_length=40, verbose_name='document type'),
        ),
    ]
