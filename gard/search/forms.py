from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for a disease or symptom",
        max_length=200,
        required=False,
        help_text="A disease name, another name, an identifier such as ORPHA:64, a gene, a symptom, or an HPO ID.",
    )
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)
    # "Search instead for …": the words as typed, no spelling correction.
    exact = forms.BooleanField(required=False)

    def clean_page(self):
        return self.cleaned_data["page"] or 1
