from django.core.management.base import BaseCommand, CommandError

from content.models import TrainingBasePage
from content.packages import package_export


class Command(BaseCommand):
    help = "Write training bases' pages as a curriculum package that import_curriculum reads back."

    def add_arguments(self, parser):
        parser.add_argument("output", help="the folder to write (created if missing)")
        parser.add_argument("--base", action="append", dest="bases", help="a training base key (repeatable)")

    def handle(self, *args, output, bases, **options):
        if bases:
            known = set(TrainingBasePage.objects.filter(key__in=bases).values_list("key", flat=True))
            missing = sorted(set(bases) - known)
            if missing:
                raise CommandError(f"Unknown training base key(s): {', '.join(missing)}")
        counts = package_export(output, base_keys=bases)
        self.stdout.write(self.style.SUCCESS(f"Exported to {output}: {counts}"))
