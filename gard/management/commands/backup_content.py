"""Back up what editors wrote, apart from the catalogue the imports rebuild from their releases.

The file (JSON, gzipped when its name ends in ``.gz``) holds:

- the site: groups, accounts, the admin log, sessions and login attempts, by natural keys (groups and
  users by name, content types and permissions by app and model, recreated by ``migrate``);
- the content rows editors added or changed: every row of a model with history that has a history
  record (the imports write none: a row gets one when an editor first saves it), and every row with no
  source (written by an editor); rows point at diseases, terms, sources and records by natural keys
  (slug, HPO ID, source key, OMIM/ORPHA code);
- the history records, with the rows they describe and point at named by the same keys.

``restore_content`` loads it onto a freshly imported catalogue (``restore`` below): an edited row
replaces the imported row with its key, an editor's row is added, and history is renumbered to the ids
the import gave; rows since deleted keep their history under negative ids, which no row can take.
"""

import gzip
import json
from io import StringIO
from pathlib import Path

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from gard.models import (
    Annotation,
    Disease,
    DiseaseRedirect,
    Identifier,
    Phenotype,
    PhenotypeSynonym,
    Reference,
    Resource,
    Section,
    Source,
    Synonym,
)

FORMAT = 1
# Models with history, parents first, each with the fields that find its row again after a new import.
KEYS = {
    Source: ("key",),
    Phenotype: ("hpo_id",),
    PhenotypeSynonym: ("phenotype.hpo_id", "name"),
    Disease: ("slug",),
    DiseaseRedirect: ("slug",),
    Identifier: ("prefix", "accession"),
    Synonym: ("disease.slug", "name"),
    Reference: ("disease.slug", "number"),
    Section: ("disease.slug", "kind", "source.key"),
    Resource: ("disease.slug", "kind", "group", "name"),
    Annotation: ("disease.slug", "phenotype.hpo_id", "source.key"),  # imported rows: their import_ref
}
# What history records also point at: rows the imports make, found again by their own keys.
NAMED = KEYS
SITE_EXCLUDED = ["contenttypes", "auth.permission", "gard"]
LEFT_OUT_FIELDS = {Identifier: {"genes"}}  # genes come from the release


def row_key(row) -> list:
    """The values that name a row across imports."""
    if isinstance(row, Annotation) and row.import_ref:
        return ["import_ref", row.import_ref]
    values = []
    for path in NAMED[type(row)]:
        value = row
        for name in path.split("."):
            value = getattr(value, name) if value is not None else None
        values.append(value)
    return values


def find(model, key: list):
    """The pk of the row with this key now, or None."""
    if model is Annotation and key[:1] == ["import_ref"]:
        return Annotation.objects.filter(import_ref=key[1]).values_list("pk", flat=True).first()
    lookups = Q()
    for path, value in zip(NAMED[model], key, strict=True):
        name = path.replace(".", "__")
        lookups &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    if model is Annotation:
        lookups &= Q(import_ref__isnull=True)
    return model.objects.filter(lookups).values_list("pk", flat=True).first()


def _edited(model):
    """The rows editors added (no source) or saved (a history record)."""
    saved = model.history.values("id")
    rows = model.objects.filter(pk__in=saved)
    if any(field.name == "source" for field in model._meta.fields):
        rows = rows | model.objects.filter(source__isnull=True)
    if any(field.name == "imported" for field in model._meta.fields):
        rows = rows | model.objects.filter(imported=False)
    return rows.distinct().order_by("pk")


def _keys_of(model, pks) -> dict[int, list]:
    return {row.pk: row_key(row) for row in model.objects.filter(pk__in=set(pks))}


def _history(model) -> list[dict]:
    """The model's history records, each with the keys of the row it describes and of the rows it points at."""
    historical = model.history.model
    records = list(historical.objects.order_by("history_id").values())
    pointers = {
        field.attname: field.related_model
        for field in historical._meta.fields
        if field.is_relation and field.related_model in NAMED
    }
    keys = {"id": _keys_of(model, [record["id"] for record in records])}
    for attname, target in pointers.items():
        keys[attname] = _keys_of(target, [record[attname] for record in records if record[attname] is not None])
    users = dict(User.objects.values_list("pk", "username"))
    for record in records:
        record["_keys"] = {
            attname: [(pointers.get(attname) or model)._meta.label, found[record[attname]]]
            for attname, found in keys.items()
            if record[attname] in found
        }
        record["_user"] = users.get(record["history_user_id"])
    return records


def back_up() -> dict:
    site = StringIO()
    call_command(
        "dumpdata", natural_foreign=True, natural_primary=True, exclude=SITE_EXCLUDED, stdout=site, verbosity=0
    )
    content = []
    for model in KEYS:
        fields = [field.name for field in model._meta.fields + model._meta.many_to_many]
        fields = [name for name in fields if name not in LEFT_OUT_FIELDS.get(model, ())]
        rows = list(_edited(model))
        for row, serialized in zip(
            rows, serializers.serialize("python", rows, fields=fields, use_natural_foreign_keys=True), strict=True
        ):
            serialized["key"] = row_key(row)
            if model is Disease:  # found by a record of it if an editor changed its slug
                serialized["records"] = [[record.prefix, record.accession] for record in row.identifiers.all()]
            content.append(serialized)
    log_keys = {}
    for entry in LogEntry.objects.select_related("content_type"):
        model = entry.content_type.model_class() if entry.content_type_id else None
        if model in KEYS and entry.object_id and entry.object_id.isdigit():
            found = model.objects.filter(pk=int(entry.object_id)).first()
            if found is not None:
                log_keys[str(entry.pk)] = row_key(found)
    return {
        "format": FORMAT,
        "site": json.loads(site.getvalue()),
        "content": content,
        "history": {model._meta.label: _history(model) for model in KEYS},
        "log_keys": log_keys,
    }


def write(data: dict, path: Path) -> None:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as file:
        file.write(text)


def read(path: Path) -> dict:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as file:
        data = json.load(file)
    if data.get("format") != FORMAT:
        raise CommandError(f"{path} is not a content backup of format {FORMAT}.")
    return data


class Command(BaseCommand):
    help = "Back up editors' content, history, accounts and the admin log (not the imported catalogue) to FILE."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Where to write it; .gz compresses it.")

    def handle(self, *args, file, **options):
        with transaction.atomic():  # one consistent state (a snapshot on PostgreSQL)
            data = back_up()
        write(data, file)
        if options["verbosity"]:
            history = sum(len(records) for records in data["history"].values())
            self.stdout.write(
                f"Wrote {file}: {len(data['content'])} content rows, {history} history records, "
                f"{len(data['site'])} site rows."
            )
