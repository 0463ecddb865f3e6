from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for a disease or symptom",
        max_length=200,
        required=False,
        help_text="A disease name, another name, an identifier such as ORPHA:64, a symptom, or an HPO ID.",
    )
