from django.core.management.base import BaseCommand, CommandError

from content.packages import PackageInvalid
from content.services import curriculum_import


class Command(BaseCommand):
    help = (
        "Validate a curriculum package (docs/curriculum-package.md) and create or update its pages by key. "
        "A package with any problem changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the package folder (holding package.yaml)")
        parser.add_argument(
            "--publish", action="store_true", help="publish the pages (default: save drafts for moderation)"
        )

    def handle(self, *args, path, publish, **options):
        try:
            report = curriculum_import(path=path, publish=publish)
        except PackageInvalid as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(error.problems)} problem(s) found; nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"Imported {path}: {report.summary()}"))
