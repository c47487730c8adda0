import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backups.archive import BackupProblem, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, which must "
        "be empty (SQLite: a file that does not exist yet), and an empty MEDIA_ROOT. Every "
        "file is checked against the manifest first; afterwards the audit chain is verified "
        "against the backup's last signed checkpoint with its public key. Exit 0 if the copy "
        "is whole, 1 if not."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup_dir", metavar="BACKUP_DIR")
        parser.add_argument(
            "--public-key",
            metavar="PEM_FILE",
            help="the public key you obtained independently; the backup's must be the same",
        )

    def handle(self, *args, backup_dir, public_key=None, **options):
        try:
            done = restore(backup_dir, trusted_key=public_key)
        except BackupProblem as exc:
            raise CommandError(f"cannot restore: {exc}") from None
        except OSError as exc:
            raise CommandError(f"cannot restore: {exc.filename}: {exc.strerror}") from None
        except DatabaseError as exc:
            reason = next(iter(str(exc).strip().splitlines()), type(exc).__name__)
            raise CommandError(f"cannot restore: the database says: {reason}") from None
        m = done.manifest
        laurel = m.get("laurel") or {}
        self.stdout.write(
            f"backup of {m.get('created_at')} (Laurel {laurel.get('version')}, commit "
            f"{laurel.get('commit') or 'unknown'}): {done.files} files match the manifest"
        )
        self.stdout.write(
            f"restored the {m['database']['engine']} database and {done.evidence} evidence files"
        )
        self.stdout.write(done.result.line())
        self.stdout.write(done.verdict)
        if not done.whole:
            sys.exit(1)
