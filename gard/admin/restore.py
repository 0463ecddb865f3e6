"""Restoring a disease page as it was at one of its versions: the disease and its rows together.

A version of the page is the disease's historical record and the rows saved with it (``gard.admin.history``):
the page as it was then is each row's latest record before the next version's. Restoring it, in one
transaction recorded as a new version with a change reason:

- the disease's fields editors write (name, address, summary, review dates) take their values then;
- rows that were on the page then take their values then, and rows deleted since are created again;
- rows added since are deleted;
- rows an import owns (imported records, their names and symptoms, open-data texts) are left as they
  are: the next import would undo a change to them. So are rows moved to another disease since (restoring
  this page never changes another), and rows whose values then were never recorded.

The preview (a GET) lists each of these; the POST applies them.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.template_utils import ObjDiffDisplay

from gard.admin.base import valid_id
from gard.admin.history import (
    BASELINE_REASON,
    PAGE_ROWS,
    Describer,
    FieldChange,
    ensure_baseline,
    history_url,
    keep_old_address,
    locked,
    save_transaction,
)
from gard.models import IMPORTED_TEXT_SOURCES, Annotation, Disease, Identifier, Section, Source, Synonym

# The disease's own fields an editor writes; the others are the imports'.
DISEASE_FIELDS = ["name", "slug", "summary", "last_reviewed", "next_review_due"]

ADD_BACK, CHANGE_BACK, DELETE = "added back", "changed back", "deleted (added since)"
LEFT_ELSEWHERE = "left on the page it was moved to since"
LEFT_UNRECORDED = "left as it is (its values then were not recorded)"
ABSENT, UNRECORDED = object(), object()  # a row's state at a version: not on any page yet; not known


@dataclass
class Step:
    """One row's part in a restore: what happens to it, and its fields' values now → then."""

    model: type
    label: str
    action: str
    record: object = None  # the row's historical record of then (None for a row to delete)
    current: object = None  # the row now (None for a row to create again)
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def url(self):
        pk = self.current.pk if self.current is not None else self.record.id
        return history_url(self.model, pk)

    @property
    def applies(self):
        return self.action in (ADD_BACK, CHANGE_BACK, DELETE)


def imported(model, row, open_data_sources) -> bool:
    """Whether a row (or a historical record of one) is an import's, which a restore leaves to the import."""
    if model is Identifier:
        return row.imported
    if model is Synonym:
        return row.record_id is not None or row.source_id in open_data_sources
    if model is Section:
        return row.source_id in open_data_sources
    if model is Annotation:
        return row.record_id is not None or bool(getattr(row, "import_ref", None))
    return False


def restored_fields(model) -> list:
    """The fields a restore writes: those an editor edits that the history records (derived ones follow on save)."""
    if model is Disease:
        return [model._meta.get_field(name) for name in DISEASE_FIELDS]
    tracked = {f.attname for f in model.history.model.tracked_fields}
    return [f for f in model._meta.concrete_fields if f.attname in tracked and f.editable and not f.primary_key]


class PageRestore:
    """What restoring a disease page to one of its versions (``record``, a historical disease) would change."""

    def __init__(self, disease, record):
        self.disease, self.record = disease, record
        self.describer = Describer()
        self.open_data_sources = set(Source.objects.filter(key__in=IMPORTED_TEXT_SOURCES).values_list("pk", flat=True))
        newer = (
            Disease.history.filter(id=disease.pk, history_date__gt=record.history_date)
            .order_by("history_date", "history_id")
            .first()
        )
        self.until = newer.history_date if newer else None  # the rows' records of this version come before it
        self.disease_fields = self._differences(Disease, disease, record, restored_fields(Disease))
        self.steps = [step for model in PAGE_ROWS for step in self._steps(model)]

    @property
    def changes(self):
        return [step for step in self.steps if step.applies]

    @property
    def left(self):
        return [step for step in self.steps if not step.applies]

    @property
    def nothing_to_do(self):
        return not self.disease_fields and not self.changes

    def _differences(self, model, current, then, fields) -> list[FieldChange]:
        result = []
        for model_field in fields:
            now_value, then_value = getattr(current, model_field.attname), getattr(then, model_field.attname)
            if now_value == then_value:
                continue
            now_text = self.describer.value(model, model_field.name, now_value)
            then_text = self.describer.value(model, model_field.name, then_value)
            now_text, then_text = ObjDiffDisplay(max_length=Describer.TEXT_SHOWN).common_shorten_repr(
                now_text, then_text
            )
            result.append(FieldChange(capfirst(model_field.verbose_name), now_text, then_text))
        return result

    def _steps(self, model):
        pk = self.disease.pk
        history = model.history.model
        ids = set(history.objects.filter(disease_id=pk).values_list("id", flat=True))
        ids |= set(model._default_manager.filter(disease_id=pk).values_list("pk", flat=True))
        current = model._default_manager.in_bulk(ids)
        records = {}
        for record in history.objects.filter(id__in=ids).order_by("history_date", "history_id"):
            records.setdefault(record.id, []).append(record)
        fields = restored_fields(model)
        for row_id in sorted(ids):
            row, recorded = current.get(row_id), records.get(row_id, [])
            if not recorded:  # no record of the row before or since: unchanged
                continue
            then = self._state_then(recorded)
            there = then not in (ABSENT, UNRECORDED) and then.history_type != "-" and then.disease_id == pk
            if (row is not None and imported(model, row, self.open_data_sources)) or (
                there and imported(model, then, self.open_data_sources)
            ):
                continue
            if then is UNRECORDED:
                if row is not None and row.disease_id == pk:
                    yield Step(model, self.describer.label(model, recorded[0]), LEFT_UNRECORDED, None, row)
                continue
            label = self.describer.label(model, then if there else recorded[-1])
            if there and row is None:
                shown = [f for f in fields if f.name != "disease"]  # the page it is added back to
                yield Step(model, label, ADD_BACK, then, None, self._differences(model, model(), then, shown))
            elif there and row.disease_id != pk:
                yield Step(model, label, LEFT_ELSEWHERE, then, row)
            elif there:
                differences = self._differences(model, row, then, fields)
                if differences:
                    yield Step(model, label, CHANGE_BACK, then, row, differences)
            elif row is not None and row.disease_id == pk:
                yield Step(model, self.describer.label(model, row), DELETE, None, row)

    def _state_then(self, recorded):
        """A row's record as of the version (its latest before ``until``), or ABSENT, or UNRECORDED."""
        before = [r for r in recorded if self.until is None or r.history_date < self.until]
        if before:
            return before[-1]
        first = recorded[0]
        if first.history_type == "+":
            return ABSENT  # created after the version
        if first.history_change_reason == BASELINE_REASON or first.history_type == "-":
            return first  # its state before its first recorded change, or as it was deleted
        return UNRECORDED

    def apply(self, user) -> int:
        """Write the page as it was, as a new version; its number."""
        reason = f"Page restored as it was on {timezone.localtime(self.record.history_date):%Y-%m-%d %H:%M:%S}"
        disease = locked(Disease.objects.filter(pk=self.disease.pk)).get()
        ensure_baseline(Disease, disease.pk)
        old_slug = disease.slug
        for model_field in restored_fields(Disease):
            setattr(disease, model_field.attname, getattr(self.record, model_field.attname))
        disease.version += 1
        disease._history_user, disease._change_reason = user, reason
        disease.save()
        keep_old_address(disease, old_slug)
        order = {DELETE: 0, CHANGE_BACK: 1, ADD_BACK: 2}  # deletions first: the rows added back may share keys
        for step in sorted(self.changes, key=lambda step: order[step.action]):
            if step.action == DELETE:
                step.current._history_user, step.current._change_reason = user, reason
                step.current.delete()
                continue
            row = step.current
            if row is None:
                row = step.model(pk=step.record.id)
            else:
                ensure_baseline(step.model, row.pk)
            for model_field in restored_fields(step.model):
                setattr(row, model_field.attname, getattr(step.record, model_field.attname))
            row._history_user, row._change_reason = user, reason
            row.save()
        return disease.version


def can_restore(user) -> bool:
    """Restoring a page changes, adds and deletes its rows: an editor's permissions, all of them."""
    perms = ["gard.change_disease"]
    for model in PAGE_ROWS:
        perms += [f"gard.{action}_{model._meta.model_name}" for action in ("add", "change", "delete")]
    return user.has_perms(perms)


def restore_page_view(model_admin, request, object_id, history_id):
    """GET: what restoring the page to this version would change. POST: restore it."""
    if not can_restore(request.user):
        raise PermissionDenied
    object_id = valid_id(Disease._meta.pk, object_id)
    history_id = valid_id(Disease.history.model._meta.pk, history_id)
    with save_transaction(request, Disease):
        disease = get_object_or_404(Disease, pk=object_id)
        record = get_object_or_404(Disease.history.model, id=object_id, history_id=history_id)
        restore = PageRestore(disease, record)
        stale = request.method == "POST" and request.POST.get("version") != str(disease.version)
        if request.method == "POST" and not stale and not restore.nothing_to_do:
            try:
                with transaction.atomic():
                    version = restore.apply(request.user)
            except IntegrityError:
                messages.error(
                    request,
                    "The page could not be restored: a row it would bring back now clashes with another "
                    "(the same record, name or symptom added again since). Remove that one first.",
                )
            else:
                messages.success(
                    request,
                    f"The page was restored as it was on {timezone.localtime(record.history_date):%-d %B %Y %H:%M}"
                    f", as version {version}.",
                )
                return redirect("admin:gard_disease_history", disease.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Restore this page as it was on {timezone.localtime(record.history_date):%-d %B %Y %H:%M}",
        "opts": Disease._meta,
        "disease": disease,
        "record": record,
        "restore": restore,
        "stale": stale,
    }
    return TemplateResponse(request, "admin/gard/disease/restore_page.html", context)
