"""Fixtures for the audit trail: a signing key pair in a temporary folder, a chain of real
events, and a rogue database administrator who switches the append-only triggers off."""

import importlib

import pytest
from django.db import connection

from audit import chain, signing
from audit.models import AuditEvent
from nominations import services as dossier

# The trigger statements, as the migration installs them.
_triggers = importlib.import_module("audit.migrations.0002_chain")


@pytest.fixture
def audit_keys(settings, tmp_path):
    """A fresh key pair at the paths the settings name."""
    settings.LAUREL_AUDIT_SIGNING_KEY = tmp_path / "keys" / "signing.pem"
    settings.LAUREL_AUDIT_PUBLIC_KEY = tmp_path / "keys" / "public.pem"
    signing.generate_key_pair(settings.LAUREL_AUDIT_SIGNING_KEY, settings.LAUREL_AUDIT_PUBLIC_KEY)
    return settings


@pytest.fixture
def history(world, draft, walk):
    """A nomination walked through two stages, returned, revised and resubmitted: a dozen
    events from several people."""
    n = walk(draft, "submit", "approve", "return_for_revision")
    n = dossier.update_dossier(n, actor=world.proposer, changes={"contributions": "Thêm."})
    n = walk(n, "resubmit", "approve", "approve")
    assert AuditEvent.objects.count() >= 8
    return n


class Rogue:
    """Somebody with the database's superuser password: disables the triggers, writes, and
    enables them again (all inside the test's transaction, which is rolled back)."""

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            self._off(cursor)
            try:
                cursor.execute(sql, params)
            finally:
                self._on(cursor)

    def _off(self, cursor):
        if connection.vendor == "postgresql":
            # The test's own inserts leave deferred foreign-key checks pending, and PostgreSQL
            # will not alter a table with pending trigger events: fire them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in _triggers.APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for statement in _triggers.SQLITE_REMOVE:
                cursor.execute(statement)

    def _on(self, cursor):
        if connection.vendor == "postgresql":
            for table in _triggers.APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            for statement in _triggers.SQLITE_INSTALL:
                cursor.execute(statement)

    def event(self, seq) -> AuditEvent:
        return AuditEvent.objects.get(seq=seq)

    def rehash(self, seq, prev_hash=None) -> str:
        """Recompute event `seq`'s hash (after prev_hash `prev_hash`) the way the app would,
        store it, and return it: a forger who knows docs/CHAIN.md."""
        event = self.event(seq)
        prev_hash = prev_hash or event.prev_hash
        body = [
            chain.timestamp(event.occurred_at) if f == "occurred_at" else getattr(event, f)
            for f in chain.BODY_FIELDS
        ]
        digest = chain.event_hash(seq, prev_hash, body)
        self.execute(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
            [prev_hash, digest, seq],
        )
        return digest

    def rehash_from(self, seq):
        """Rewrite every link from `seq` to the end, and the head, so the chain is consistent."""
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
        prev = self.event(seq - 1).hash if seq > 1 else chain.GENESIS_HASH
        for s in range(seq, last + 1):
            prev = self.rehash(s, prev)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1", [last, prev]
            )


@pytest.fixture
def rogue():
    return Rogue()
