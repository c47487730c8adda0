import sys

from django.core.management.base import BaseCommand, CommandError

from audit.integrity import IntegrityProblem, run_verification


class Command(BaseCommand):
    help = (
        "Stream the audit chain, recompute every hash, check every checkpoint's signature and "
        "that the chain still passes through it. Exit 0 if intact, 1 if broken."
    )

    def handle(self, *args, **options):
        try:
            result, _run = run_verification(triggered_by="manage.py audit_verify")
        except IntegrityProblem as exc:
            raise CommandError(f"cannot verify: {exc}") from None
        self.stdout.write(result.line())
        if not result.ok:
            sys.exit(1)
