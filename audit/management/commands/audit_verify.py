import sys

from django.core.management.base import BaseCommand, CommandError

from audit.integrity import IntegrityProblem, run_verification
from audit.verify import CheckpointFileError, read_checkpoint_file


class Command(BaseCommand):
    help = (
        "Stream the audit chain, recompute every hash, check every checkpoint's signature and "
        "that the chain still passes through it. With --against FILE, also every checkpoint "
        "kept in that file outside the database, each of which must still be in the database. "
        "Exit 0 if intact, 1 if broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--against",
            metavar="FILE",
            action="append",
            default=[],
            help="a checkpoint file kept outside the database (audit_checkpoint --also-to); "
            "may be given more than once",
        )

    def handle(self, *args, against=(), **options):
        try:
            outside = [cp for path in against for cp in read_checkpoint_file(path)]
        except CheckpointFileError as exc:
            raise CommandError(f"cannot verify: {exc}") from None
        try:
            result, _run = run_verification(triggered_by="manage.py audit_verify", outside=outside)
        except IntegrityProblem as exc:
            raise CommandError(f"cannot verify: {exc}") from None
        self.stdout.write(result.line())
        if not result.ok:
            sys.exit(1)
