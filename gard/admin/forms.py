"""The admin's forms: texts stored with plain line endings, and the disease form that refuses a stale save."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse

from gard.admin.history import locked, revisions_since
from gard.models import Disease


class TextareaField(forms.CharField):
    """A textarea's text with the line endings the site stores (browsers submit CRLF).

    Without this, saving a form rewrites every text it shows, and the history records
    each as changed although nobody touched it.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


# For ModelAdmin.formfield_overrides.
TEXT_AREAS = {models.TextField: {"form_class": TextareaField}}


class DiseaseAdminForm(forms.ModelForm):
    """The disease form, carrying the version it was opened on so two editors never overwrite each other."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Disease
        fields = ["name", "slug", "summary", "last_reviewed", "next_review_due"]
        help_texts = {
            "last_reviewed": "When an editor last checked the whole page against its sources.",
            "next_review_due": "Pages past this date are listed as overdue for review.",
        }

    request = None  # set by the admin's get_form(), for naming the editor in a conflict message

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_version = None
        if self.instance.pk is not None:
            # From the database, not the instance: a revert form's instance is an old version.
            current = Disease.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            self.fields["opened_version"].initial = current if current is not None else self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        last_reviewed, next_review_due = cleaned_data.get("last_reviewed"), cleaned_data.get("next_review_due")
        if last_reviewed and next_review_due and next_review_due <= last_reviewed:
            self.add_error("next_review_due", "The next review must come after the last one.")
        if self.instance.pk is not None:
            self._check_version(cleaned_data.get("opened_version"))
        return cleaned_data

    def _check_version(self, opened):
        """Inside the save's transaction, with the disease row locked: was it saved since this form was opened?"""
        current = locked(Disease.objects.filter(pk=self.instance.pk)).values_list("version", flat=True).first()
        if current is None:
            raise ValidationError("This disease was deleted since you opened this page.", code="deleted")
        if opened == current:
            self.current_version = current
            return
        if opened is None:
            raise ValidationError(
                "This form did not say which version of the page it was opened on. Reload the page and make "
                "your changes again.",
                code="no_version",
            )
        revisions = revisions_since(self.instance.pk, opened)
        # The editor's values stay in the form; from now on it stands for the version they have been shown,
        # so saving it again applies their values over that version, knowingly.
        data = self.data.copy()
        data[self.add_prefix("opened_version")] = str(current)
        self.data = data
        user = getattr(self.request, "user", None)
        message = render_to_string(
            "admin/gard/disease/conflict.html",
            {
                "opened": opened,
                "current": current,
                "revisions": revisions,
                "only_you": bool(revisions)
                and user is not None
                and all(r.user is not None and r.user.pk == user.pk for r in revisions),
                "user": user,
                "change_url": reverse("admin:gard_disease_change", args=[self.instance.pk]),
                "history_url": reverse("admin:gard_disease_history", args=[self.instance.pk]),
            },
        )
        raise ValidationError(message, code="conflict")
