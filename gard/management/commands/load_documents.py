from django.core.management import call_command
from django.core.management.base import BaseCommand

from gard.importers.fixtures import FIXTURE_NAME
from gard.models import Source


class Command(BaseCommand):
    help = (
        "Load the source-document fixture into an empty site. A site that already has it "
        "is left alone, so editors' changes to those pages survive a restart."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even if the documents are in; overwrites edits to their rows."
        )

    def handle(self, *args, force, **options):
        if Source.objects.exists() and not force:
            self.stdout.write("Source documents already loaded; nothing to do.")
            return
        call_command("loaddata", FIXTURE_NAME, verbosity=options["verbosity"])
