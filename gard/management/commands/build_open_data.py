from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gard.importers.errors import ParseError
from gard.importers.open_data_files import build


class Command(BaseCommand):
    help = (
        "Derive fixtures/open_data/ (Orphanet, Disease Ontology, Mondo) from a data folder laid out as shared/data; "
        "the same sources always give the same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, default=settings.OPEN_DATA_SOURCE_DIR)
        parser.add_argument("--output", type=Path, default=settings.OPEN_DATA_DIR)

    def handle(self, *args, source, output, **options):
        if not source.is_dir():
            raise CommandError(f"No data folder at {source}: pass --source with the folder that holds orphanet/.")
        try:
            counts = build(source, output)
        except (ParseError, OSError, KeyError) as error:
            raise CommandError(f"Cannot build the open data files: {error}") from error
        for name, count in counts.items():
            self.stdout.write(f"Wrote {output / name}: {count:,} records")
