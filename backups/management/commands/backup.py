from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backups.archive import MANIFEST, BackupProblem, backup


class Command(BaseCommand):
    help = (
        "Back up Laurel into DEST_DIR (new or empty): the database (PostgreSQL: pg_dump's "
        "custom format; SQLite: the online backup API), the evidence files, the audit key's "
        "public half and a manifest with the chain's head, its last signed checkpoint and the "
        "SHA-256 of every file. `manage.py restore DEST_DIR` restores and verifies it."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest_dir", metavar="DEST_DIR")

    def handle(self, *args, dest_dir, **options):
        try:
            manifest = backup(dest_dir)
        except BackupProblem as exc:
            raise CommandError(f"cannot back up: {exc}") from None
        except OSError as exc:
            raise CommandError(f"cannot back up: {exc.filename}: {exc.strerror}") from None
        except DatabaseError as exc:
            reason = next(iter(str(exc).strip().splitlines()), type(exc).__name__)
            raise CommandError(f"cannot back up: the database says: {reason}") from None
        head = manifest["chain"]["head"]
        cp = manifest["chain"]["last_checkpoint"]
        signed = (
            f"last checkpoint #{cp['seq']} signed at {cp['signed_at']}"
            if cp
            else "no signed checkpoint yet (run audit_checkpoint before backing up)"
        )
        self.stdout.write(
            f"backup written to {dest_dir}: {manifest['database']['engine']} database, "
            f"{sum(1 for n in manifest['files'] if n.startswith('media/'))} evidence files, "
            f"chain head #{head['seq']} {head['hash']}, {signed}; "
            f"{len(manifest['files'])} files listed in {MANIFEST}"
        )
