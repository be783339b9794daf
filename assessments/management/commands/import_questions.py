"""manage.py import_questions BANK PATH [--skip-invalid] [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError

from assessments.importing import ImportFormatError, parse_file
from assessments.models import QuestionBank
from assessments.services import questions_import


class Command(BaseCommand):
    help = (
        "Import questions into a bank (by key or id) from Moodle XML (.xml), GIFT (.gift/.txt), the XLSX template "
        "(.xlsx) or bank YAML (.yaml). Validates first: a file with errors imports nothing unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("bank", help="the question bank's key (or numeric id)")
        parser.add_argument("path")
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid questions, report the rest")
        parser.add_argument("--dry-run", action="store_true", help="validate and report only; write nothing")

    def handle(self, *args, bank, path, skip_invalid, dry_run, **options):
        lookup = {"pk": int(bank)} if bank.isdigit() else {"key": bank}
        target = QuestionBank.objects.filter(**lookup).first()
        if target is None:
            raise CommandError(f"No question bank “{bank}”.")
        try:
            questions = parse_file(path)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}")
        except ImportFormatError as error:
            raise CommandError(str(error))
        report = questions_import(bank=target, questions=questions, skip_invalid=skip_invalid, dry_run=dry_run)
        for problem in report.problems:
            self.stderr.write(f"  {problem}")
        if dry_run:
            self.stdout.write(f"Dry run: {report.total} questions read, {report.skipped} with problems; no writes.")
            return
        if not report.imported:
            raise CommandError(
                f"{report.skipped} of {report.total} questions have problems; nothing was imported. "
                "Fix them, or pass --skip-invalid to import the others."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.total} questions read: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged, {report.skipped} skipped."
            )
        )
