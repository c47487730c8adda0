from django.core.management.base import BaseCommand, CommandError

from audit import chain
from audit.integrity import IntegrityProblem, take_checkpoint


class Command(BaseCommand):
    help = (
        "Sign the audit chain's current head with the Ed25519 private key whose file is "
        "settings.LAUREL_AUDIT_SIGNING_KEY, and store the checkpoint. Safe to run from cron."
    )

    def handle(self, *args, **options):
        try:
            cp = take_checkpoint()
        except IntegrityProblem as exc:
            raise CommandError(f"cannot checkpoint: {exc}") from None
        self.stdout.write(
            f"checkpoint #{cp.seq} {cp.hash} signed at {chain.timestamp(cp.signed_at)} "
            f"by key {cp.key_id}"
        )
