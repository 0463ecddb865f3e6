"""The ModelAdmin classes the content admins build on: history with every save, no stale save, rows of a page."""

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import _get_foreign_key
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from gard.admin.forms import TEXT_AREAS, StaleSaveCheckedForm
from gard.admin.history import Describer, ensure_baseline, locked, raise_version, save_transaction
from gard.admin.versions import Rows, RowVersions
from gard.models import Disease


def valid_id(field, value):
    """``value`` read as ``field`` reads it (a primary key from an address), or 404."""
    try:
        return field.to_python(unquote(value))
    except (ValidationError, ValueError, TypeError):
        raise Http404(f"No such {field.model._meta.verbose_name}.") from None


class ContentAdmin(admin.ModelAdmin):
    """An admin of rows editors may only view: Django's history page, answering 404 for an unknown row."""

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404(f"No such {self.opts.verbose_name}.")
        return super().history_view(request, object_id, extra_context)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin: a History page listing each save with its changes, and revert from any of them.

    Every change form refuses a stale save (``gard.admin.versions``): it carries ``opened_version``,
    checked inside the save's transaction with the row locked.
    """

    object_history_list_template = "admin/gard/object_history_list.html"
    formfield_overrides = TEXT_AREAS
    form = StaleSaveCheckedForm
    versions_class = RowVersions

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        versions = self.versions_class(self.model, list(form.base_fields), self.inline_rows())
        return type(form.__name__, (form,), {"request": request, "versions": versions})

    def inline_rows(self) -> list[Rows]:
        """The rows the change form's inlines edit, whose stored values are part of its version."""
        rows = []
        for inline in self.inlines:
            fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            rows.append(Rows(inline.model, fk, getattr(inline, "imported_filter", None)))
        return rows

    def get_fieldsets(self, request, obj=None):
        """The change form's fieldsets, with the version it was opened on among them (a hidden input)."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or "opened_version" in flatten_fieldsets(fieldsets):
            return fieldsets
        if not self.has_change_permission(request, obj):
            return fieldsets  # a page to view only saves nothing
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "opened_version"]}), *rest]

    def get_object(self, request, object_id, from_field=None):
        """The row, read after locking it when saving, so what the save writes beside the form is current."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            self.lock_for_save(obj)
            obj.refresh_from_db()
        return obj

    def lock_for_save(self, obj) -> None:
        locked(self.model._default_manager.filter(pk=obj.pk)).values_list("pk").first()

    def save_model(self, request, obj, form, change):
        if change:
            ensure_baseline(type(obj), obj.pk)  # so the change shows as a diff in the history
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # Rows loaded before history was kept get a record of their state first, so the change shows as a diff.
        for row_form in formset.initial_forms:
            if row_form.instance.pk is not None and row_form.has_changed():
                ensure_baseline(formset.model, row_form.instance.pk)
        super().save_formset(request, form, formset, change)

    def history_view(self, request, object_id, extra_context=None):
        valid_id(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history's own calls select_related() with no names for a model without foreign keys.
        records = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        related = [f.name for f in history_manager.model.tracked_fields if isinstance(f, models.ForeignKey)]
        return records.select_related(*related) if related else records

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each record's changes from the one before, in words (choices by label, related rows by name)."""
        records = list(historical_records)
        if not records:
            return
        describer = Describer()
        older = [*records[1:], records[-1].prev_record]  # the oldest on a page has its predecessor on the next
        for record, before in zip(records, older, strict=True):
            record.history_delta_changes = describer.changes(self.model, record, before) if before else []

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with save_transaction(request, self.model):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with save_transaction(request, self.model):
            return super().delete_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        pk = valid_id(self.model._meta.pk, object_id)
        valid_id(self.model.history.model._meta.pk, version_id)
        # Reverting saves like the change form: in one transaction, with the rows locked in the same order.
        with save_transaction(request, self.model):
            current = self.model._default_manager.filter(pk=pk).first()
            if current is not None and request.method == "POST":
                self.lock_for_save(current)
            return super().history_form_view(request, object_id, version_id, extra_context)


class PageRowAdmin(HistoryAdmin):
    """A row of a disease page edited on its own: its save is a new version of the disease (or two, if moved)."""

    def lock_for_save(self, obj) -> None:
        # The disease first, as the disease's own form and every other save of its rows lock them.
        locked(Disease.objects.filter(pk=obj.disease_id)).values_list("pk").first()
        super().lock_for_save(obj)

    def save_model(self, request, obj, form, change):
        diseases = {obj.disease_id}
        if change:
            diseases.add(type(obj)._default_manager.filter(pk=obj.pk).values_list("disease_id", flat=True).first())
        for disease_pk in sorted(pk for pk in diseases if pk is not None):
            raise_version(disease_pk, request.user)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        raise_version(obj.disease_id, request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for disease_pk in sorted(set(queryset.values_list("disease_id", flat=True))):
            raise_version(disease_pk, request.user)
        super().delete_queryset(request, queryset)
