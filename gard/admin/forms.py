"""The admin's forms: texts stored with plain line endings, and change forms that refuse a stale save."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

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


class StaleSaveCheckedForm(forms.ModelForm):
    """A change form carrying the version of what it showed, so two editors never overwrite each other.

    ``versions`` (``gard.admin.versions.RowVersions``) and ``request`` are set by the admin's get_form().
    A save from a form whose stored values have changed since it was opened is refused with who changed
    what; the editor's values stay in the form, which from then on stands for the version they have been
    shown, so saving it again applies their values over that version, knowingly.
    """

    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)

    versions = None
    request = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.versions is not None:
            # From the database, not the instance: a revert form's instance is an old version.
            self.fields["opened_version"].initial = self.versions.current(self.instance.pk)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None and self.versions is not None:
            self._check_version(cleaned_data.get("opened_version") or "")
        return cleaned_data

    def _check_version(self, opened):
        """Inside the save's transaction, with the row locked: was it changed since this form was opened?"""
        current = self.versions.current(self.instance.pk, lock=True)
        what = self._meta.model._meta.verbose_name
        if current is None:
            if not opened:
                return  # restoring a deleted row from its history: it is created again
            raise ValidationError(f"This {what} was deleted since you opened this page.", code="deleted")
        if not opened:
            raise ValidationError(
                f"This form did not say which version of the {what} it was opened on. Reload the page and make "
                "your changes again.",
                code="no_version",
            )
        if self.versions.same(opened, current):
            return
        data = self.data.copy()
        data[self.add_prefix("opened_version")] = current
        self.data = data
        user = getattr(self.request, "user", None)
        raise ValidationError(self.versions.conflict(self.instance.pk, opened, current, user), code="conflict")


class DiseaseAdminForm(StaleSaveCheckedForm):
    """The disease form: its fields, and review dates in order."""

    class Meta:
        model = Disease
        fields = ["name", "slug", "summary", "last_reviewed", "next_review_due"]
        help_texts = {
            "last_reviewed": "When an editor last checked the whole page against its sources.",
            "next_review_due": "Pages past this date are listed as overdue for review.",
        }

    def clean(self):
        cleaned_data = super().clean()
        last_reviewed, next_review_due = cleaned_data.get("last_reviewed"), cleaned_data.get("next_review_due")
        if last_reviewed and next_review_due and next_review_due <= last_reviewed:
            self.add_error("next_review_due", "The next review must come after the last one.")
        return cleaned_data
