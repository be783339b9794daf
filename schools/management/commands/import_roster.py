"""manage.py import_roster ORG PATH [--dry-run]: the same validation and import as the coordinator's pages."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organization
from schools.services.roster import roster_file_import, roster_file_validate


class Command(BaseCommand):
    help = "Import a school's roster (CSV in UTF-8/GBK or XLSX). Rows with errors are reported and skipped."

    def add_arguments(self, parser):
        parser.add_argument("organization", help="the organisation's slug")
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="validate and report; change nothing")

    def handle(self, *args, organization: str, path: Path, dry_run: bool, **options):
        school = Organization.objects.filter(slug=organization).first()
        if school is None:
            raise CommandError(f"No organisation with the slug {organization!r}.")
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        data = path.read_bytes()
        try:
            if dry_run:
                validation = roster_file_validate(organization=school, data=data, file_name=path.name)
                created, unchanged = len(validation.new_rows), len(validation.unchanged_rows)
            else:
                record, validation = roster_file_import(organization=school, data=data, file_name=path.name)
                created, unchanged = record.created_count, record.unchanged_count
        except ValidationError as error:
            raise CommandError("; ".join(error.messages))
        for row in validation.error_rows:
            self.stderr.write(f"row {row.row}: " + " ".join(row.errors))
        verb = "would add" if dry_run else "added"
        self.stdout.write(
            f"{len(validation.rows)} rows: {verb} {created}, already on the roster {unchanged}, "
            f"with errors {len(validation.error_rows)}."
        )
