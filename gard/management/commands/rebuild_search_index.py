from django.core.management.base import BaseCommand
from django.db import transaction

from gard.cache import bump_content_generation
from gard.search.index import rebuild_search, tidy_search_tables


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from the tables, as the last step of restoring a backup "
        "(the index is not a model, so dumpdata and loaddata do not carry it)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            rebuild_search()
            # Search pages cached while the index was incomplete are not served again.
            bump_content_generation()
        tidy_search_tables()
        if options["verbosity"]:
            self.stdout.write("Search index rebuilt.")
