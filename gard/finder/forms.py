"""The symptom finder's parameters: the chosen present and absent terms, the text of a symptom to add, the page;
and the phenopacket file one can open."""

from django import forms

MAX_VALUE_LENGTH = 100  # longer ``term`` values are shown shortened in their notice


class TermValuesField(forms.Field):
    """Every ``term`` value as sent, in order; gard.finder.terms resolves and reports each one."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        # A value cannot hold a NUL or other control characters for anything it could name; they are
        # removed so that the notice about it can be shown.
        return ["".join(ch for ch in str(item) if ch.isprintable())[: MAX_VALUE_LENGTH * 2] for item in value]


class TermsForm(forms.Form):
    """``term`` the symptoms the patient has, ``not`` those the patient does not have (a keyword in Python,
    so the field is added by name)."""

    term = TermValuesField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["not"] = TermValuesField(required=False)


class FinderForm(TermsForm):
    add = forms.CharField(
        label="Add a symptom",
        max_length=200,
        required=False,
        help_text="A medical term, a plain-language name (such as “small head”) or an HPO ID (such as HP:0001250).",
    )
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as"] = forms.ChoiceField(
            choices=[("present", "The patient has it"), ("absent", "The patient does not have it")],
            required=False,
            widget=forms.RadioSelect,
        )


class PhenopacketForm(forms.Form):
    file = forms.FileField(label="Open a phenopacket", help_text="A GA4GH Phenopacket v2 JSON file, at most 1 MB.")


class FinderSuggestForm(TermsForm):
    """The suggestions endpoint: ``q`` as typed, and the terms already chosen."""

    q = forms.CharField(max_length=200, required=False)
