"""Which version of a row an editor's change form was opened on, and what changed since: no silent overwrite.

Every change form in the admin carries a token of what it showed (``opened_version``), made of:

- a digest of the stored values the form would write (the row's fields in the form, and the rows of its
  inlines): if they differ when the form is saved, someone changed them since, through the admin or not
  (an import writes in bulk, recording no history), and the save is refused;
- a marker of how far the history went when the form was opened, so the refusal can say who changed what
  since: the row's latest historical record (and its inline rows'), or, for a disease, its version (raised
  by every save of the disease or of one of its rows; its history lists the rows saved with each version).

The check runs inside the save's transaction with the row locked (``gard.admin.base``), so two saves
from one version cannot both pass it.
"""

import hashlib
import json

from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import capfirst

from gard.admin.history import (
    BASELINE_REASON,
    HISTORY_ACTIONS,
    PAGE_ROWS,
    Describer,
    RowChange,
    history_url,
    locked,
    revisions_since,
)
from gard.models import Disease


class Rows:
    """The rows of an inline on a change form: those of ``model`` whose ``fk`` is the row, less ``exclude``."""

    def __init__(self, model, fk, exclude=None):
        self.model, self.fk, self.exclude = model, fk, exclude if exclude is not None else Q(pk__in=[])

    def values(self, pk) -> list:
        rows = self.model._default_manager.filter(**{self.fk.attname: pk}).exclude(self.exclude).order_by("pk")
        return [list(row) for row in rows.values_list(*(f.attname for f in self.model._meta.concrete_fields))]


class RowVersions:
    """The version tokens of one kind of row, shown with ``fields`` and with ``inlines`` (``Rows``)."""

    template = "admin/gard/conflict.html"

    def __init__(self, model, fields, inlines=()):
        self.model, self.inlines = model, list(inlines)
        concrete = {f.name: f.attname for f in model._meta.concrete_fields}
        self.fields = [concrete[name] for name in fields if name in concrete]

    def current(self, pk, lock=False) -> str | None:
        """The token of the row as stored now (``lock``: locking it for the save), or None if it is gone."""
        rows = self.model._default_manager.filter(pk=pk)
        row = (locked(rows) if lock else rows).values_list("pk", *self.fields).first()
        if row is None:
            return None
        stored = [list(row), *(inline.values(pk) for inline in self.inlines)]
        digest = hashlib.sha256(json.dumps(stored, default=str, sort_keys=True).encode()).hexdigest()[:20]
        return f"{self.marker(pk)}-{digest}"

    @staticmethod
    def same(opened, current) -> bool:
        """Whether the stored values are those the form was opened on (history alone may have moved on)."""
        return opened.rpartition("-")[2] == current.rpartition("-")[2]

    def marker(self, pk) -> str:
        latest = [self.model.history.filter(id=pk).aggregate(latest=Max("history_id"))["latest"]]
        for inline in self.inlines:
            history = inline.model.history
            latest.append(history.filter(**{inline.fk.attname: pk}).aggregate(latest=Max("history_id"))["latest"])
        return ".".join(str(history_id or 0) for history_id in latest)

    def _since(self, opened) -> list[int]:
        marker = opened.rpartition("-")[0]
        try:
            since = [int(part) for part in marker.split(".")]
        except ValueError:
            since = []
        return since if len(since) == 1 + len(self.inlines) else [0] * (1 + len(self.inlines))

    def changes_since(self, pk, opened) -> list[RowChange]:
        """The recorded changes to the row and its inline rows after the token ``opened``, oldest first."""
        describer, changes = Describer(), []
        parts = [(self.model, {"id": pk}), *((inline.model, {inline.fk.attname: pk}) for inline in self.inlines)]
        for (model, filters), since in zip(parts, self._since(opened), strict=True):
            records = model.history.filter(**filters, history_id__gt=since).exclude(
                history_change_reason=BASELINE_REASON
            )
            for record in records.select_related("history_user").order_by("history_date", "history_id"):
                before = record.prev_record
                action = HISTORY_ACTIONS.get(record.history_type, record.history_type)
                fields = describer.changes(model, record, before) if before and record.history_type == "~" else []
                label = self.label(model, record, describer, main=model is self.model)
                changes.append(RowChange(record, label, action, fields, history_url(model, record.id)))
        changes.sort(key=lambda change: (change.record.history_date, change.record.history_id))
        return changes

    def label(self, model, record, describer, main) -> str:
        if main and model not in PAGE_ROWS:
            return f"{capfirst(model._meta.verbose_name)} “{record.instance}”"
        return describer.label(model, record)

    def conflict(self, pk, opened, current, user) -> str:
        """The message refusing a stale save: who changed what since the form was opened."""
        changes = self.changes_since(pk, opened)
        return render_to_string(
            self.template,
            {
                "what": self.model._meta.verbose_name,
                "changes": changes,
                "only_you": only(user, changes),
                "change_url": reverse(admin_name(self.model, "change"), args=[pk]),
                "history_url": history_url(self.model, pk),
            },
        )


class DiseaseVersions(RowVersions):
    """A disease page's tokens: its version marks the history, since every save of it or its rows raises it."""

    template = "admin/gard/disease/conflict.html"

    def marker(self, pk) -> str:
        return str(Disease.objects.filter(pk=pk).values_list("version", flat=True).first())

    def conflict(self, pk, opened, current, user) -> str:
        opened_version, current_version = opened.rpartition("-")[0], int(current.rpartition("-")[0])
        opened_version = int(opened_version) if opened_version.isdigit() else 0
        revisions = revisions_since(pk, opened_version)
        return render_to_string(
            self.template,
            {
                "opened": opened_version,
                "current": current_version,
                "revisions": revisions,
                "only_you": only(user, revisions),
                "unrecorded": not revisions,
                "change_url": reverse("admin:gard_disease_change", args=[pk]),
                "history_url": reverse("admin:gard_disease_history", args=[pk]),
            },
        )


def only(user, changes) -> bool:
    """Whether every one of these changes (or revisions) was the signed-in editor's own, in another tab."""
    return bool(changes) and user is not None and all(c.user is not None and c.user.pk == user.pk for c in changes)


def admin_name(model, view) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
