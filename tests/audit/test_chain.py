"""The chain: every event is numbered, linked to its predecessor and hashed; the database
refuses to change or remove events; the verifier finds and names every kind of tampering."""

import itertools

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit import chain, services, signing
from audit.events import Event
from audit.integrity import public_key, take_checkpoint
from audit.models import AuditEvent, ChainHead
from audit.verify import verify_database


def verify():
    return verify_database(public_key=public_key(required=False))


def test_events_are_numbered_from_one_and_each_names_its_predecessors_hash(history):
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == chain.GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    head = ChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)


def test_an_intact_chain_verifies_with_its_count_and_head(history):
    result = verify()
    last = AuditEvent.objects.order_by("-seq").first()
    assert result.ok
    assert result.line() == (
        f"OK: {last.seq} events verified, head #{last.seq} {last.hash}, 0 checkpoints verified"
    )


def test_a_rolled_back_append_does_not_consume_a_number(world, history):
    before = ChainHead.objects.get(pk=1).seq
    with pytest.raises(RuntimeError, match="changed its mind"), transaction.atomic():
        services.record(Event.TASK_TAKEN, actor=world.admin, subject_type="test", subject_id=1)
        raise RuntimeError("the service changed its mind")
    with transaction.atomic():
        event = services.record(
            Event.TASK_RELEASED, actor=world.admin, subject_type="test", subject_id=2
        )
    assert event.seq == before + 1
    assert verify().ok


def test_audit_data_may_not_hold_floats_whose_text_differs_between_languages(world):
    with pytest.raises(chain.NotCanonical), transaction.atomic():
        services.record(
            Event.TASK_TAKEN, actor=world.admin, subject_type="t", subject_id=1, data={"x": 0.1}
        )


# --- the database refuses -------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET comment = 'rewritten' WHERE seq = 2",
        "DELETE FROM audit_auditevent WHERE seq = 2",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_checkpoint SET hash = 'x'",
        "DELETE FROM audit_checkpoint",
    ],
)
def test_the_database_refuses_to_change_or_remove_audit_rows(history, audit_keys, sql):
    take_checkpoint()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.get(seq=2).comment != "rewritten"
    assert verify().ok


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_checkpoint"])
def test_postgresql_refuses_to_truncate_the_audit_tables(history, table):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Fire the deferred foreign-key checks of the test's inserts first: PostgreSQL will
        # not truncate a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.exists()


def test_the_orm_refuses_to_change_or_remove_events(history):
    event = AuditEvent.objects.get(seq=1)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=1).update(comment="x")


# --- tampering, detected and located (the rogue switches the triggers off) ------------------


def test_an_edited_event_is_named(history, rogue):
    rogue.execute("UPDATE audit_auditevent SET comment = 'Không có lý do' WHERE seq = 4")
    result = verify()
    assert not result.ok
    assert result.broken_seq == 4
    assert result.line().startswith("BROKEN: event #4: edited")


@pytest.mark.parametrize(
    "column, value",
    [
        ("actor_label", "Someone else"),
        ("occurred_at", "2020-01-01 00:00:00+00:00"),
        ("to_state", "awarded"),
        ("nomination_id", 999),
    ],
)
def test_editing_any_column_of_an_event_is_detected(history, rogue, column, value):
    if connection.vendor == "sqlite" and column == "occurred_at":
        value = "2020-01-01 00:00:00"
    rogue.execute(f"UPDATE audit_auditevent SET {column} = %s WHERE seq = 3", [value])
    result = verify()
    assert (result.ok, result.broken_seq) == (False, 3)


def test_an_edited_event_whose_hash_was_recomputed_breaks_the_next_link(history, rogue):
    rogue.execute("UPDATE audit_auditevent SET comment = 'Đã sửa' WHERE seq = 4")
    rogue.rehash(4)
    result = verify()
    assert (result.ok, result.broken_seq) == (False, 5)
    assert "does not follow #4" in result.message


def test_a_deleted_event_is_named(history, rogue):
    rogue.execute("DELETE FROM audit_auditevent WHERE seq = 5")
    result = verify()
    assert (result.ok, result.broken_seq) == (False, 5)
    assert "missing" in result.message and "#5" in result.message


def test_a_deleted_event_with_the_rest_renumbered_is_located(history, rogue):
    rogue.execute("DELETE FROM audit_auditevent WHERE seq = 5")
    rogue.execute("UPDATE audit_auditevent SET seq = -seq + 1 WHERE seq > 5")
    rogue.execute("UPDATE audit_auditevent SET seq = -seq WHERE seq < 0")
    result = verify()
    assert (result.ok, result.broken_seq) == (False, 5)
    assert "does not follow #4" in result.message


def test_an_inserted_event_is_named(world, history, rogue):
    # Make room at #4 and slip a well-formed, correctly hashed event in.
    rogue.execute("UPDATE audit_auditevent SET seq = -seq - 1 WHERE seq >= 4")
    rogue.execute("UPDATE audit_auditevent SET seq = -seq WHERE seq < 0")
    third = AuditEvent.objects.get(seq=3)
    forged = AuditEvent(
        seq=4,
        prev_hash=third.hash,
        occurred_at=third.occurred_at,
        action=Event.APPROVED,
        actor_label="Ghost",
        subject_type="nomination",
        subject_id=third.subject_id,
        nomination_id=third.nomination_id,
        data={},
    )
    body = [
        chain.timestamp(forged.occurred_at) if f == "occurred_at" else getattr(forged, f)
        for f in chain.BODY_FIELDS
    ]
    forged.hash = chain.event_hash(4, third.hash, body)
    forged.save()
    result = verify()
    assert (result.ok, result.broken_seq) == (False, 4)
    assert result.message.startswith("inserted")


@pytest.mark.postgres  # SQLite cannot drop a column's UNIQUE constraint, so it refuses this
def test_an_event_inserted_under_a_taken_number_is_named(history, rogue):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'audit_auditevent'::regclass "
            "AND contype = 'u'"
        )
        (unique,) = cursor.fetchone()
    rogue.execute(f"ALTER TABLE audit_auditevent DROP CONSTRAINT {unique}")
    rogue.execute(
        "INSERT INTO audit_auditevent (seq, prev_hash, hash, occurred_at, action, actor_label, "
        "role, on_behalf_of_label, subject_type, subject_id, unit_path, from_state, to_state, "
        "comment, data, origin_agent) SELECT seq, prev_hash, hash, occurred_at, action, "
        "actor_label, role, on_behalf_of_label, subject_type, subject_id, unit_path, "
        "from_state, to_state, comment, data, origin_agent FROM audit_auditevent WHERE seq = 3"
    )
    result = verify()
    assert (result.ok, result.broken_seq) == (False, 3)
    assert "two events carry sequence number 3" in result.message


def test_reordered_events_are_located(history, rogue):
    rogue.execute("UPDATE audit_auditevent SET seq = -seq WHERE seq IN (4, 5)")
    rogue.execute("UPDATE audit_auditevent SET seq = 5 WHERE seq = -4")
    rogue.execute("UPDATE audit_auditevent SET seq = 4 WHERE seq = -5")
    result = verify()
    assert (result.ok, result.broken_seq) == (False, 4)
    assert "does not follow #3" in result.message


def test_a_truncated_tail_is_detected_against_the_latest_checkpoint(history, rogue, audit_keys):
    take_checkpoint()
    last = ChainHead.objects.get(pk=1).seq
    rogue.execute("DELETE FROM audit_auditevent WHERE seq > %s", [last - 3])
    survivor = AuditEvent.objects.get(seq=last - 3)
    # The rogue also winds the head back, so only the signed checkpoint remembers.
    ChainHead.objects.filter(pk=1).update(seq=survivor.seq, hash=survivor.hash)
    result = verify()
    assert (result.ok, result.broken_seq) == (False, last - 2)
    assert result.message.startswith(f"truncated: the chain ends at #{last - 3}")
    assert f"covers #{last}" in result.message


def test_a_truncated_tail_without_checkpoint_is_still_seen_by_the_head(history, rogue):
    last = ChainHead.objects.get(pk=1).seq
    rogue.execute("DELETE FROM audit_auditevent WHERE seq > %s", [last - 2])
    result = verify()
    assert (result.ok, result.broken_seq) == (False, last - 1)
    assert "truncated" in result.message


def test_a_rewritten_chain_does_not_pass_through_its_checkpoint(history, rogue, audit_keys):
    take_checkpoint()
    rogue.execute("UPDATE audit_auditevent SET comment = 'Đồng ý' WHERE seq = 3")
    rogue.rehash_from(3)
    result = verify()
    last = ChainHead.objects.get(pk=1).seq
    assert (result.ok, result.broken_seq) == (False, last)
    assert "history rewritten since the checkpoint" in result.message


def test_a_forged_checkpoint_signature_is_detected(history, rogue, audit_keys):
    cp = take_checkpoint()
    rogue.execute("UPDATE audit_auditevent SET comment = 'Đồng ý' WHERE seq = 3")
    rogue.rehash_from(3)
    head = ChainHead.objects.get(pk=1)
    # The rogue moves the checkpoint onto the rewritten chain, but cannot sign it.
    rogue.execute("UPDATE audit_checkpoint SET hash = %s WHERE id = %s", [head.hash, cp.pk])
    result = verify()
    assert not result.ok
    assert "signature does not match" in result.message and "forged" in result.message


def test_a_swapped_key_is_detected(history, audit_keys, tmp_path):
    take_checkpoint()
    other = signing.generate_key_pair(tmp_path / "o.pem", tmp_path / "o.pub")
    audit_keys.LAUREL_AUDIT_PUBLIC_KEY = tmp_path / "o.pub"
    result = verify_database(public_key=other)
    assert not result.ok
    assert "key swapped" in result.message


def test_awkward_values_hash_the_same_when_read_back_from_the_database(world):
    """The hash is computed from Python values at append time and recomputed from the stored
    row (on PostgreSQL, from text the database writes itself): they must agree byte for byte."""
    awkward = 'Quote " backslash \\ tab \t newline \n bell \x07 del \x7f ổ 😀 \u2028 end'
    with transaction.atomic():
        services.record(
            Event.DELEGATION_GRANTED,
            actor=world.admin,
            on_behalf_of=world.leader,
            role="a\\b",
            subject_type="t",
            subject_id="x\ty",
            comment=awkward,
            data={
                "zz": 1,
                "a": [True, False, None, -12345678901234567, "", {"é": 1, "ab": 2, "b": 3}],
                "ä": awkward,
                "bb": {},
                "": [],
            },
            origin=services.Origin(ip="2001:0DB8:0000::0001", agent=awkward),
        )
        services.record(Event.DELEGATION_REVOKED, actor=None, subject_type="t", subject_id="")
    stored = AuditEvent.objects.get(action=Event.DELEGATION_GRANTED)
    assert stored.origin_ip == "2001:db8::1"
    assert verify().ok


def test_rows_bulk_appended_continue_the_chain_and_verify(history):
    """The loaders' fast path (`bulk_append_rows`): rows as dicts, hashed in Python, written in
    one go, the head moved once; the chain still verifies."""
    before = ChainHead.objects.get(pk=1).seq
    now = timezone.now()
    rows = [
        {
            "occurred_at": now,
            "action": Event.DOSSIER_EDITED,
            "subject_type": "nomination",
            "subject_id": str(i),
            "nomination_id": i,
            "unit_path": "/1/",
            "comment": "Sửa hồ sơ.",
            "data": {"changes": {"initiatives": ["", "Sáng kiến"]}, "b": 1, "aa": [True, None]},
            "origin_ip": "10.0.0.1" if i % 2 else None,
        }
        for i in range(7)
    ]
    with transaction.atomic():
        assert services.bulk_append_rows(rows) == 7
    head = ChainHead.objects.get(pk=1)
    assert head.seq == before + 7
    assert AuditEvent.objects.order_by("-seq").first().hash == head.hash
    assert verify().ok
