"""import_bundle PATH --campaign CODE --user USERNAME: what the import page does, from a shell.
A refusal is one plain line and a non-zero exit."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exchange import importing
from nominations.exceptions import DomainError
from nominations.models import Campaign


class Command(BaseCommand):
    help = "Verify another Laurel's exchange bundle and import its nominees into a campaign."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--campaign", required=True, help="the receiving campaign's code")
        parser.add_argument("--user", required=True, help="the importing council secretary")

    def handle(self, *args, path, campaign, user, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        target = Campaign.objects.filter(code=campaign).first()
        if target is None:
            raise CommandError(f"No campaign with code {campaign!r}.")
        actor = get_user_model().objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"No user {user!r}.")
        try:
            imported = importing.import_bundle(data, Path(path).name, actor=actor, campaign=target)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Imported {imported.nominations.count()} nominations from {imported.partner.code}'s "
            f"request {imported.reference} (SHA-256 {imported.sha256})."
        )
