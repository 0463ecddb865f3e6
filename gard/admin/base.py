"""The ModelAdmin classes the content admins build on: history with every save, and rows of a page."""

from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from gard.admin.forms import TEXT_AREAS
from gard.admin.history import Describer, ensure_baseline, raise_version, save_transaction


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin: a History page listing each save with its changes, and revert from any of them."""

    object_history_list_template = "admin/gard/object_history_list.html"
    formfield_overrides = TEXT_AREAS

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
        # Reverting saves like the change form: in one transaction, in which the version check locks the row.
        with save_transaction(request, self.model):
            return super().history_form_view(request, object_id, version_id, extra_context)


class PageRowAdmin(HistoryAdmin):
    """A row of a disease page edited on its own: its save is a new version of the disease (or two, if moved)."""

    def save_model(self, request, obj, form, change):
        diseases = {obj.disease_id}
        if change:
            ensure_baseline(type(obj), obj.pk)
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
