"""`manage.py import_record FILE.xlsx --user USERNAME [--dry-run]`: import past years' records
from a workbook made from the template, as the Import past records page does: every row checked,
all or nothing, one audit event naming the user. With --dry-run it only checks. A bad file
prints each row's errors, then one plain line, and exits with status 1.

`manage.py import_record --template FILE.xlsx` writes the empty template."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from nominations import policy, record_import
from nominations.exceptions import DomainError
from nominations.record_import import RecordRefused


class Command(BaseCommand):
    help = "Import past years' records (awards, ratings, initiatives, discipline) from an XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the workbook (.xlsx) to import")
        parser.add_argument("--user", help="who imports (a council secretary or administrator)")
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")
        parser.add_argument("--template", metavar="OUT", help="write the empty template to OUT")

    def handle(self, *args, **options):
        if options["template"]:
            Path(options["template"]).write_bytes(record_import.template())
            self.stdout.write(f"Template written to {options['template']}.")
            return
        if not options["file"]:
            raise CommandError("Name the workbook to import (or --template OUT).")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror}).") from exc
        user = self._user(options["user"], required=not options["dry_run"])
        try:
            read = record_import.read(data, path.name)
            if options["dry_run"]:
                scopes = policy.record_import_scopes(user) if user else None
                checked = record_import.check(read, scopes=scopes)
                if not checked.ok:
                    raise RecordRefused(record_import.refusal_sentence(checked), checked=checked)
            else:
                checked = record_import.import_rows(read, actor=user)
        except RecordRefused as exc:
            if exc.checked is not None:
                self._errors(exc.checked)
            raise CommandError(f"{path}: {exc.message}") from exc
        except DomainError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        counts = ", ".join(f"{kind} {n}" for kind, n in checked.counts().items())
        verb = "would import" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{path}: {verb} {len(checked.rows)} rows ({counts}); sha256 {checked.sha256}."
        )

    def _user(self, username, *, required: bool):
        if not username:
            if required:
                raise CommandError("Name who imports with --user USERNAME (or use --dry-run).")
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user “{username}”.") from None

    def _errors(self, checked) -> None:
        for problem in checked.problems:
            self.stderr.write(problem)
        for row in checked.bad_rows:
            for error in row.errors:
                self.stderr.write(f"{row.sheet}, row {row.number}: {error}")
