import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from audit.integrity import IntegrityProblem, export_bundle


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = (
        "Write an audit bundle (selected events, the chain stretch and checkpoints proving "
        "them, the public key) for `python -m audit.offline_verify`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--nomination", type=int)
        parser.add_argument("--campaign", type=int)
        parser.add_argument("--since", type=_date, help="first day (YYYY-MM-DD)")
        parser.add_argument("--until", type=_date, help="last day (YYYY-MM-DD)")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        try:
            bundle = export_bundle(
                nomination_id=options["nomination"],
                campaign_id=options["campaign"],
                since=options["since"],
                until=options["until"],
            )
        except IntegrityProblem as exc:
            raise CommandError(f"cannot export: {exc}") from None
        text = json.dumps(bundle, ensure_ascii=False, indent=1)
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8") as f:
                    f.write(text)
            except OSError as exc:
                raise CommandError(f"cannot write {options['output']}: {exc.strerror}") from None
            shown = sum(1 for e in bundle["chain"] if "event" in e)
            self.stderr.write(f"{shown} events exported to {options['output']}")
        else:
            sys.stdout.write(text + "\n")
