"""History in the admin: what changed on a disease page between versions, and saving safely.

A disease page is the disease row and the rows edited with it: other names, sections,
symptoms, references, resources and identifiers. Every save through the admin, whether
of the disease form or of one of its rows on its own, raises ``Disease.version`` and
saves the disease first, so simple-history records the disease (who, when, which
version) just before the records of the rows saved with it. The rows' records from one
version's record up to the next are therefore what changed with that version: the
disease's history page lists them beside it, and an editor whose save conflicts with
another's is told them.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connections, router, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from simple_history.template_utils import ObjDiffDisplay

from gard.models import (
    Annotation,
    Disease,
    DiseaseRedirect,
    Identifier,
    PhenotypeSynonym,
    Reference,
    Resource,
    Section,
    Source,
    Synonym,
)

# The reason written on a record made of a row's state just before its first recorded
# change (rows loaded from fixtures or the HPO import have no record of their own).
BASELINE_REASON = "State before the first recorded change"

# The rows of a disease page that keep a history, in the order the history lists them.
PAGE_ROWS = [Synonym, Section, Annotation, Reference, Resource, Identifier]

HISTORY_ACTIONS = {"+": "added", "~": "changed", "-": "deleted"}


def locked(queryset):
    """``select_for_update()`` where it means something: inside a transaction, on a database that has it."""
    return queryset.select_for_update() if transaction.get_connection().in_atomic_block else queryset


def ensure_baseline(model, pk) -> None:
    """Record a row's current state before its first recorded change, so that change can be shown as a diff."""
    if pk is None or model.history.filter(id=pk).exists():
        return
    current = model._default_manager.filter(pk=pk).first()
    if current is not None:
        current._history_user = None  # the state is not the editor's work
        model.history.bulk_history_create([current], update=True, default_change_reason=BASELINE_REASON)


def raise_version(disease_pk, user) -> int | None:
    """Raise a disease's version, recording who did it; its rows' changes follow in the history."""
    disease = locked(Disease.objects.filter(pk=disease_pk)).first()
    if disease is None:
        return None
    ensure_baseline(Disease, disease.pk)
    disease.version += 1
    disease._history_user = user
    disease.save(update_fields=["version"])
    return disease.version


def keep_old_address(disease, old_slug) -> None:
    """After a disease's address changed from ``old_slug``: the old one leads to the page from now on."""
    if old_slug and old_slug != disease.slug:
        DiseaseRedirect.objects.filter(slug=disease.slug).delete()
        DiseaseRedirect.objects.update_or_create(slug=old_slug, defaults={"disease": disease})


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


class Recorded:
    """Who saved a historical ``record`` and when."""

    record: object

    @property
    def user(self):
        return self.record.history_user

    @property
    def date(self):
        return self.record.history_date


@dataclass
class RowChange(Recorded):
    record: object  # the row's historical record
    label: str
    action: str
    fields: list[FieldChange]
    url: str  # the row's history in the admin, where it can be reverted or restored


@dataclass
class Revision(Recorded):
    record: object  # the disease's historical record
    fields: list[FieldChange]
    rows: list[RowChange] = field(default_factory=list)

    @property
    def version(self):
        return self.record.version


class Describer:
    """Words for historical records and their differences; looks each related row up once."""

    TEXT_SHOWN = 120

    def __init__(self):
        self._names = {}

    def value(self, model, name, value) -> str:
        model_field = model._meta.get_field(name)
        if value is None or value == "":
            return "(empty)"
        if model_field.is_relation and model_field.related_model is Source:
            return self.source(value)
        if model_field.is_relation:
            key = (model_field.related_model, value)
            if key not in self._names:
                row = model_field.related_model._default_manager.filter(pk=value).first()
                self._names[key] = str(row) if row is not None else f"#{value} (deleted)"
            return self._names[key]
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
        return str(value)

    def source(self, pk) -> str:
        """A source as tables name it ("GARD"); rows without one were written by editors."""
        if pk is None:
            return "written by an editor"
        key = (Source, pk, "short")
        if key not in self._names:
            source = Source.objects.filter(pk=pk).first()
            self._names[key] = (source.short_name or source.title) if source else f"source #{pk} (deleted)"
        return self._names[key]

    def changes(self, model, new, old) -> list[FieldChange]:
        """What differs between two historical records of one row, in the model's field order."""
        delta = new.diff_against(old)
        order = {f.name: position for position, f in enumerate(model._meta.fields)}
        result = []
        for change in sorted(delta.changes, key=lambda change: order.get(change.field, 0)):
            old_text = self.value(model, change.field, change.old)
            new_text = self.value(model, change.field, change.new)
            old_text, new_text = ObjDiffDisplay(max_length=self.TEXT_SHOWN).common_shorten_repr(old_text, new_text)
            verbose_name = capfirst(model._meta.get_field(change.field).verbose_name)
            result.append(FieldChange(verbose_name, old_text, new_text))
        return result

    def label(self, model, record) -> str:
        if model is Synonym:
            return f"Other name “{record.name}”"
        if model is Section:
            return f"Section “{record.get_kind_display()}” ({self.source(record.source_id)})"
        if model is Annotation:
            return f"Symptom “{self.value(Annotation, 'phenotype', record.phenotype_id)}”"
        if model is Reference:
            return f"Reference [{record.number}]"
        if model is Resource:
            return f"Resource “{record.name}”"
        if model is Identifier:
            return f"Identifier {record.prefix}:{record.accession}"
        if model is PhenotypeSynonym:
            return f"Other name “{record.name}”"
        return str(record.instance)


def history_url(model, pk) -> str:
    """The row's history in the admin ("" for a model without one)."""
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[pk])
    except NoReverseMatch:
        return ""


def row_changes(disease_pk, since=None, until=None, describer=None) -> list[RowChange]:
    """Changes to a disease's rows recorded in [since, until), oldest first.

    Each is compared with the row's previous record; rows moved to another disease
    count for the disease they left as well as the one they joined.
    """
    describer = describer or Describer()
    changes = []
    for model in PAGE_ROWS:
        history = model.history.model
        records = history.objects.filter(id__in=history.objects.filter(disease_id=disease_pk).values("id"))
        if until is not None:
            records = records.filter(history_date__lt=until)
        previous = {}
        for record in records.select_related("history_user").order_by("id", "history_date", "history_id"):
            before = previous.get(record.id)
            previous[record.id] = record
            if since is not None and record.history_date < since:
                continue
            if record.history_change_reason == BASELINE_REASON:
                continue
            if record.disease_id != disease_pk and (before is None or before.disease_id != disease_pk):
                continue
            action = HISTORY_ACTIONS.get(record.history_type, record.history_type)
            fields = []
            if record.history_type == "~":
                if before is None:
                    action = "changed (its earlier values were not recorded)"
                else:
                    fields = describer.changes(model, record, before)
                    if before.disease_id == disease_pk and record.disease_id != disease_pk:
                        action = "moved to another disease"
                    elif before.disease_id != disease_pk:
                        action = "moved here from another disease"
            changes.append(
                RowChange(record, describer.label(model, record), action, fields, history_url(model, record.id))
            )
    changes.sort(key=lambda change: (change.record.history_date, change.record.history_id))
    return changes


def attach_row_changes(records, newer=None, describer=None) -> None:
    """Give each of a disease's historical records (newest first) the row changes saved with it.

    ``newer`` is the record just newer than the first one, if any: where the first one's changes end.
    """
    if not records:
        return
    changes = row_changes(
        records[0].id, since=records[-1].history_date, until=newer.history_date if newer else None, describer=describer
    )
    for record in records:
        record.row_changes = []
    for change in changes:
        owner = next(record for record in records if record.history_date <= change.record.history_date)
        owner.row_changes.append(change)


def revisions_since(disease_pk, version) -> list[Revision]:
    """The saves of a disease after the given version, oldest first, each with its field and row changes."""
    describer = Describer()
    records = list(
        Disease.history.filter(id=disease_pk).select_related("history_user").order_by("history_date", "history_id")
    )
    revisions = []
    for position, record in enumerate(records):
        if record.version <= version or record.history_change_reason == BASELINE_REASON:
            continue
        before = records[position - 1] if position else None
        fields = describer.changes(Disease, record, before) if before else []
        revisions.append(Revision(record, fields))
    if revisions:
        later = [record for record in records if record.history_date > revisions[-1].date]
        records_newest_first = [revision.record for revision in reversed(revisions)]
        attach_row_changes(records_newest_first, newer=later[0] if later else None, describer=describer)
        for revision in revisions:
            revision.rows = revision.record.row_changes
    return revisions


@contextmanager
def save_transaction(request, model):
    """The transaction an admin view saves in.

    SQLite has no row locks (select_for_update does nothing there), and a transaction that
    read before another one wrote cannot write after it ("database is locked"). So on SQLite
    a POST begins IMMEDIATE, taking the write lock before it reads anything: a second save
    from the same version waits for the first, then finds it and is told of the conflict.
    (PostgreSQL waits on the row lock the disease form's check takes instead.)
    """
    database = connections[router.db_for_write(model)]
    immediate = request.method == "POST" and database.vendor == "sqlite" and not database.in_atomic_block
    if immediate:
        database.ensure_connection()  # connecting reads the mode from the settings
        mode, database.transaction_mode = database.transaction_mode, "IMMEDIATE"
    try:
        with transaction.atomic(using=database.alias):
            if immediate:
                database.transaction_mode = mode
            yield
    finally:
        if immediate:
            database.transaction_mode = mode
