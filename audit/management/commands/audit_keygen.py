from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit import signing


class Command(BaseCommand):
    help = (
        "Generate the Ed25519 key pair that signs audit checkpoints, at the paths in settings "
        "(LAUREL_AUDIT_SIGNING_KEY, LAUREL_AUDIT_PUBLIC_KEY)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing if the key files exist"
        )

    def handle(self, *args, if_missing=False, **options):
        private = settings.LAUREL_AUDIT_SIGNING_KEY
        public = settings.LAUREL_AUDIT_PUBLIC_KEY
        if private.exists() or public.exists():
            if if_missing and private.exists() and public.exists():
                self.stdout.write(f"audit keys already present: {private}, {public}")
                return
            raise CommandError(f"refusing to overwrite the audit key files {private}, {public}")
        key = signing.generate_key_pair(private, public)
        self.stdout.write(
            f"audit key {signing.key_id(key)} written: private {private}, public {public}"
        )
