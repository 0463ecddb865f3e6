import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gard.importers.errors import ParseError
from gard.importers.open_data import SOURCES_META, import_open_data, read_open_data, version_of
from gard.importers.open_data_files import SOURCES
from gard.management.progress import step_progress
from gard.models import Disease, Source
from gard.search.index import tidy_search_tables


class Command(BaseCommand):
    help = (
        "Import the open disease data (fixtures/open_data: Orphanet, Disease Ontology, Mondo) onto the pages: "
        "definitions, other names, prevalence, onset, inheritance, genes, groups. Run after import_hpo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=settings.OPEN_DATA_DIR)
        parser.add_argument(
            "--skip-current",
            action="store_true",
            help="Do nothing if these releases are already imported (for start-up scripts).",
        )

    def handle(self, *args, data, skip_current, verbosity, **options):
        if skip_current and self._current(data):
            self.stdout.write("The open data releases are already imported; nothing to do.")
            return
        started = time.monotonic()
        with step_progress(self, 7, verbosity, started) as progress:
            try:
                opened = read_open_data(data)
            except ParseError as error:
                raise CommandError(f"Import stopped, nothing changed: {error}") from error
            summary = import_open_data(opened, progress)
        if summary.changes:
            tidy_search_tables()  # the search index was rebuilt
        if verbosity:
            self.stdout.write(f"Open data: {summary.changes} changes.")
            for line in summary.lines():
                self.stdout.write(f"  {line}")
            counts = Disease.objects.summary_sources()
            self.stdout.write(
                "  pages by what says what the disease is: "
                + ", ".join(f"{label} {count:,}" for label, count in counts.items())
            )
            self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")

    def _current(self, data: Path) -> bool:
        try:
            versions = json.loads((data / SOURCES).read_text(encoding="utf-8"))
            wanted = {key: version_of(key, versions) for key in SOURCES_META}
        except (OSError, ValueError, KeyError):
            return False
        found = dict(Source.objects.filter(key__in=wanted).values_list("key", "version"))
        return found == wanted
