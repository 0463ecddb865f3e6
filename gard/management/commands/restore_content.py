"""Load a ``backup_content`` file onto a freshly imported catalogue (see that command)."""

from pathlib import Path

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gard.cache import bump_content_generation
from gard.management.commands.backup_content import KEYS, NAMED, find, read
from gard.models import Annotation, Disease, Identifier, Phenotype
from gard.search.index import reindex_diseases


def _disease(serialized: dict):
    found = find(Disease, serialized["key"])
    for prefix, accession in serialized.get("records", ()):
        if found is None:
            found = (
                Identifier.objects.filter(prefix=prefix, accession=accession).values_list("disease", flat=True).first()
            )
    return found


def restore(data: dict) -> dict[str, int]:
    """Write the backup's site, content and history rows; returns how many of each."""
    for model in KEYS:
        if model.history.exists():
            raise CommandError("The database already has history: restore onto a freshly imported catalogue.")
    for item in serializers.deserialize("python", data["site"], handle_forward_references=True):
        if isinstance(item.object, LogEntry):
            key = data["log_keys"].get(str(item.object.pk))
            model = item.object.content_type.model_class() if item.object.content_type_id else None
            found = find(model, key) if key is not None and model in KEYS else None
            if found is not None:
                item.object.object_id = str(found)
        item.save()
    counts = {"site": len(data["site"]), "content": 0, "history": 0}
    terms = []
    for serialized in data["content"]:
        model = apps.get_model(serialized["model"])
        serialized = {**serialized, "pk": None}
        item = next(serializers.deserialize("python", [serialized]))
        found = _disease(serialized) if model is Disease else find(model, serialized["key"])
        item.object.pk = found
        item.object._state.adding = found is None
        item.save()  # search's signals reindex the row's disease or term (gard/search/signals.py)
        counts["content"] += 1
        if model is Phenotype:
            terms.append(item.object.pk)
    users = dict(User.objects.values_list("username", "pk"))
    for label, records in data["history"].items():
        model = apps.get_model(label)
        historical = model.history.model
        pointers = ["id"] + [
            field.attname for field in historical._meta.fields if field.is_relation and field.related_model in NAMED
        ]
        rows = []
        for record in records:
            keys, username = record.pop("_keys"), record.pop("_user")
            for attname in pointers:
                found = find(apps.get_model(keys[attname][0]), keys[attname][1]) if attname in keys else None
                if found is not None:
                    record[attname] = found
                elif record[attname] is not None:  # deleted since: an id no row can take
                    record[attname] = -abs(record[attname])
            record["history_user_id"] = users.get(username)
            rows.append(historical(**record))
        historical.objects.bulk_create(rows, batch_size=500)
        counts["history"] += len(rows)
    # A term's name is in the index rows of the diseases that have it, which its signal leaves to the
    # rebuild a fixture's load ends with: here, only those diseases (the whole index takes 18 s on PostgreSQL).
    reindex_diseases(Annotation.objects.filter(phenotype__in=terms).values_list("disease_id", flat=True).distinct())
    bump_content_generation()
    return counts


class Command(BaseCommand):
    help = "Restore a backup_content FILE onto a freshly imported catalogue (make run's imports, no edits yet)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        data = read(file)
        with transaction.atomic():
            counts = restore(data)
        if options["verbosity"]:
            self.stdout.write(
                f"Restored {counts['content']} content rows, {counts['history']} history records, "
                f"{counts['site']} site rows."
            )
