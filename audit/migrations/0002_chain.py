"""The hash chain on audit events, its head, signed checkpoints and verification runs; and the
database triggers that make events (and checkpoints) append-only."""

from django.db import migrations, models

from audit import chain

APPEND_ONLY_TABLES = ["audit_auditevent", "audit_checkpoint"]

POSTGRESQL_INSTALL = """
CREATE OR REPLACE FUNCTION laurel_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'laurel audit: % on % is refused: the audit trail is append-only',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION laurel_audit_append_only();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION laurel_audit_append_only();
"""
    for table in APPEND_ONLY_TABLES
)
POSTGRESQL_REMOVE = "".join(
    f"""
DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
"""
    for table in APPEND_ONLY_TABLES
) + "DROP FUNCTION IF EXISTS laurel_audit_append_only();"

# SQLite has no TRUNCATE (its "truncate" is DELETE without WHERE, which the DELETE trigger stops).
SQLITE_INSTALL = [
    f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
    BEGIN SELECT RAISE(ABORT, 'laurel audit: {op} on {table} is refused: the audit trail is append-only'); END;"""
    for table in APPEND_ONLY_TABLES
    for op in ("UPDATE", "DELETE")
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()};"
    for table in APPEND_ONLY_TABLES
    for op in ("UPDATE", "DELETE")
]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRESQL_INSTALL])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_INSTALL)
    else:
        raise RuntimeError(f"No append-only triggers for {vendor}; add them before using it.")


def remove_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRESQL_REMOVE])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REMOVE)


def link_existing_events(apps, schema_editor):
    """Events written before the chain existed are linked in the order they were written."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    seq, prev = 0, chain.GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        seq += 1
        body = [
            chain.timestamp(event.occurred_at) if f == "occurred_at" else getattr(event, f)
            for f in chain.BODY_FIELDS
        ]
        digest = chain.event_hash(seq, prev, body)
        AuditEvent.objects.filter(pk=event.pk).update(seq=seq, prev_hash=prev, hash=digest)
        prev = digest
    ChainHead.objects.create(pk=1, seq=seq, hash=prev)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="previous hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "chain head"},
        ),
        migrations.RunPython(link_existing_events, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(unique=True, verbose_name="sequence"),
        ),
        migrations.RemoveIndex(model_name="auditevent", name="audit_nomination_idx"),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["nomination_id", "seq"], name="audit_nomination_idx"),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["seq"], "verbose_name": "audit event", "verbose_name_plural": "audit events"},
        ),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(verbose_name="sequence")),
                ("hash", models.CharField(max_length=64, verbose_name="hash")),
                ("signed_at", models.DateTimeField(verbose_name="signed at")),
                ("key_id", models.CharField(max_length=64, verbose_name="key id")),
                ("signature", models.CharField(max_length=128, verbose_name="signature")),
            ],
            options={"verbose_name": "checkpoint", "verbose_name_plural": "checkpoints", "ordering": ["seq", "id"]},
        ),
        migrations.CreateModel(
            name="VerificationRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("started_at", models.DateTimeField(verbose_name="started at")),
                ("finished_at", models.DateTimeField(verbose_name="finished at")),
                ("ok", models.BooleanField(verbose_name="intact")),
                ("events", models.BigIntegerField(verbose_name="events verified")),
                ("checkpoints", models.IntegerField(default=0, verbose_name="checkpoints verified")),
                ("head_hash", models.CharField(blank=True, max_length=64, verbose_name="head hash")),
                ("broken_seq", models.BigIntegerField(blank=True, null=True, verbose_name="first broken event")),
                ("message", models.TextField(verbose_name="message")),
                ("triggered_by", models.CharField(blank=True, max_length=200, verbose_name="run by")),
            ],
            options={
                "verbose_name": "verification run",
                "verbose_name_plural": "verification runs",
                "ordering": ["-finished_at", "-id"],
                "get_latest_by": "finished_at",
            },
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
