"""manage.py export_questions BANK [PATH]: the bank as Moodle XML."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.importing.moodle import export
from assessments.models import QuestionBank


class Command(BaseCommand):
    help = "Export a question bank (by key or id) to Moodle XML; writes to PATH or standard output."

    def add_arguments(self, parser):
        parser.add_argument("bank")
        parser.add_argument("path", nargs="?")

    def handle(self, *args, bank, path, **options):
        lookup = {"pk": int(bank)} if bank.isdigit() else {"key": bank}
        target = QuestionBank.objects.filter(**lookup).first()
        if target is None:
            raise CommandError(f"No question bank “{bank}”.")
        xml = export(target)
        if path:
            Path(path).write_text(xml, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"{target.questions.count()} questions written to {path}."))
        else:
            self.stdout.write(xml, ending="")
