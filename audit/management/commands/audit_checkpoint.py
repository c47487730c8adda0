from django.core.management.base import BaseCommand, CommandError

from audit import chain
from audit.integrity import IntegrityProblem, checkpoint_files, take_checkpoint


class Command(BaseCommand):
    help = (
        "Sign the audit chain's current head with the Ed25519 private key whose file is "
        "settings.LAUREL_AUDIT_SIGNING_KEY, and store the checkpoint; then append it, as one "
        "JSON line, to settings.LAUREL_CHECKPOINT_FILE (if set) and to --also-to FILE. Safe to "
        "run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--also-to",
            metavar="FILE",
            help="also append the checkpoint to this file, outside the database (JSON lines)",
        )

    def handle(self, *args, also_to=None, **options):
        try:
            cp = take_checkpoint(also_to=also_to)
        except IntegrityProblem as exc:
            raise CommandError(f"cannot checkpoint: {exc}") from None
        copies = "".join(f", copied to {path}" for path in checkpoint_files(also_to))
        self.stdout.write(
            f"checkpoint #{cp.seq} {cp.hash} signed at {chain.timestamp(cp.signed_at)} "
            f"by key {cp.key_id}{copies}"
        )
