"""The symptom table's filters: every option is a GET parameter, so a filtered table is a link."""

import django_filters
from django import forms

from gard.models import Frequency


class SymptomFilter(django_filters.FilterSet):
    SORTS = {
        "name": ("phenotype__search_name", "phenotype__hpo_id"),
        "-name": ("-phenotype__search_name", "phenotype__hpo_id"),
        "hpo_id": ("phenotype__hpo_id",),
    }

    q = django_filters.CharFilter(
        method="filter_q",
        label="Find a symptom",
        help_text="A medical term, another name, or an HPO ID such as HP:0001251.",
        max_length=100,
    )
    frequency = django_filters.MultipleChoiceFilter(
        choices=Frequency.choices,
        widget=forms.CheckboxSelectMultiple,
        label="How often it occurs",
    )
    sort = django_filters.ChoiceFilter(
        method="filter_sort",
        label="Sort within each group",
        choices=[("name", "Medical term, A to Z"), ("-name", "Medical term, Z to A"), ("hpo_id", "HPO ID")],
        empty_label=None,
    )

    def __init__(self, data=None, *args, group_counts=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        if group_counts is not None:
            # Offer the groups this disease has, with how many symptoms each holds.
            short = Frequency.short_labels()
            self.filters["frequency"].extra["choices"] = [
                (value, f"{short[value]} ({group_counts[value]})")
                for value in Frequency.values
                if value in group_counts
            ]

    def filter_q(self, queryset, name, value):
        return queryset.matching(value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by("frequency_rank", *self.SORTS[value])

    @property
    def active(self):
        """True when any filter narrows the table."""
        return bool(
            self.form.is_valid() and (self.form.cleaned_data.get("q") or self.form.cleaned_data.get("frequency"))
        )
