from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gard.importers.documents import ParseError
from gard.importers.fixtures import FIXTURE_NAME, build_records, render_fixture


class Command(BaseCommand):
    help = "Parse the source documents and write the JSON fixture the site loads."

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=Path, default=settings.DOCUMENTS_DIR)
        parser.add_argument("--output", type=Path, default=settings.FIXTURES_DIR / FIXTURE_NAME)

    def handle(self, *args, documents, output, **options):
        try:
            text = render_fixture(documents)
        except ParseError as error:
            raise CommandError(f"Cannot build fixtures: {error}") from error
        output.write_text(text, encoding="utf-8")
        counts = Counter(item["model"].removeprefix("gard.") for item in build_records(documents))
        summary = ", ".join(f"{count} {model}" for model, count in sorted(counts.items()))
        self.stdout.write(f"Wrote {output}: {summary}")
