"""PostgreSQL: the chain's head moves in a function of its own (`laurel_audit_chain_advance`).

An action appends its event in its one write statement (`audit.services.Appending`). When two
actions queue on the head, the second's lock finds the row updated meanwhile and PostgreSQL
re-checks it (EvalPlanQual), which starts every part of the waiting statement afresh: with
the head locked in the action's statement, that was 15 % of the database's CPU at 8 workers.
The function's statements are its own (PL/pgSQL, each with a fresh snapshot, its plans kept
for the session), so the re-check concerns one small query. The link is
`audit.chain.link_hash`'s formula; the verifier recomputes every hash in Python.
"""

from django.db import migrations

from audit import chain

POSTGRESQL_INSTALL = f"""
CREATE OR REPLACE FUNCTION laurel_audit_chain_advance(digest text,
    OUT new_seq bigint, OUT prev_hash varchar, OUT new_hash varchar)
RETURNS SETOF record VOLATILE LANGUAGE plpgsql AS $$
BEGIN
    SELECT h.seq + 1, h.hash INTO new_seq, prev_hash
        FROM audit_chainhead AS h WHERE h.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;  -- no head row (after a flush): the caller appends the ordinary way
    END IF;
    new_hash := encode(sha256(convert_to(
        '{chain.EVENT_PREFIX}' || ':' || new_seq::text || ':' || prev_hash || ':' || digest,
        'UTF8')), 'hex');
    UPDATE audit_chainhead AS h SET seq = new_seq, hash = new_hash WHERE h.id = 1;
    RETURN NEXT;
END;
$$;
"""
POSTGRESQL_REMOVE = "DROP FUNCTION IF EXISTS laurel_audit_chain_advance(text);"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_INSTALL)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REMOVE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_no_duplicate_indexes")]

    operations = [migrations.RunPython(install, remove)]
