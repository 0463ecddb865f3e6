"""The symptom table's filters: every option is a GET parameter, so a filtered table is a link."""

import django_filters
from django import forms
from django.http import QueryDict

from gard.diseases.page import system_label
from gard.frequency import SHOWN_ORDER, shown_labels, shown_short_labels


class SymptomFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Find a symptom",
        help_text="A medical term, another name, or an HPO ID such as HP:0001251.",
        max_length=100,
    )
    frequency = django_filters.MultipleChoiceFilter(
        method="filter_frequency",  # the page's groups, a small sample in its own
        choices=list(shown_labels().items()),
        widget=forms.CheckboxSelectMultiple,
        label="How often it occurs",
    )
    system = django_filters.ChoiceFilter(
        field_name="phenotype__categories__hpo_id",
        label="Body system",
        empty_label="All body systems",
        choices=[],
    )
    sort = django_filters.ChoiceFilter(
        method="keep",  # rows are sorted after they are grouped by term; see gard.diseases.page.table_rows
        label="Sort within each group",
        choices=[("name", "Name, A to Z"), ("-name", "Name, Z to A"), ("hpo_id", "HPO ID")],
        empty_label=None,
    )
    names = django_filters.ChoiceFilter(
        method="keep",
        label="Show names",
        choices=[("medical", "Medical terms first"), ("plain", "Plain language first")],
        empty_label=None,
        widget=forms.RadioSelect,
    )
    rows = django_filters.ChoiceFilter(
        method="keep",  # a long table folds its long groups (gard.diseases.page.frequency_groups) unless "all"
        label="Rows",
        choices=[("all", "Every row")],
    )

    def __init__(self, data=None, *args, overview=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        if overview is not None:
            # Offer what this disease has, with how many symptoms each option holds.
            short = shown_short_labels()
            counts = overview.group_counts
            self.filters["frequency"].extra["choices"] = [
                (value, f"{short[value]} ({counts[value]:,})") for value in SHOWN_ORDER if counts[value]
            ]
            self.filters["system"].extra["choices"] = sorted(
                (
                    (hpo_id, f"{system_label(overview.category_names[hpo_id])} ({count})")
                    for hpo_id, count in overview.category_counts.items()
                ),
                key=lambda choice: choice[1],
            )

    def filter_frequency(self, queryset, name, value):
        return queryset.in_shown_groups(value) if value else queryset

    def filter_q(self, queryset, name, value):
        return queryset.matching(value)

    def keep(self, queryset, name, value):
        return queryset

    def options(self, name: str) -> list[tuple[str, str, bool]]:
        """(value, label, chosen) for a choice field, as the request chose it."""
        chosen = set(self.data.getlist(name)) if hasattr(self.data, "getlist") else set()
        if not chosen and name in ("sort", "names"):
            chosen = {self.form.fields[name].choices[0][0]}
        return [(str(value), label, str(value) in chosen) for value, label in self.form.fields[name].choices]

    def valid_data(self) -> dict:
        """The values that passed validation; invalid ones are left out (and reported by the form)."""
        self.form.full_clean() if not hasattr(self.form, "cleaned_data") else None
        return self.form.cleaned_data

    def choice(self, name: str, default: str) -> str:
        """A valid display option from the form, or its default."""
        return self.valid_data().get(name) or default

    def query_with(self, **values) -> str:
        """This table's query string with ``values`` set (None removes the parameter)."""
        query = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        for name, value in values.items():
            query.pop(name, None)
            if value is not None:
                query[name] = value
        return query.urlencode()

    @property
    def all_rows_query(self) -> str:
        return self.query_with(rows="all")

    @property
    def folds(self) -> bool:
        """True when a long table may fold its long groups: nothing narrows it and every row was not asked for."""
        return not self.active and self.choice("rows", "") != "all"

    def names_links(self) -> list[tuple[str, str, bool]]:
        """(label, query string, current) for the switch between everyday words and medical terms: the same
        address with every other filter kept, and ``names=plain`` for everyday words (medical terms are the default)."""
        current = self.choice("names", "medical")
        return [
            (label, self.query_with(names=value if value == "plain" else None), value == current)
            for value, label in (("plain", "Everyday words"), ("medical", "Medical terms"))
        ]

    @property
    def active(self):
        """True when any filter narrows the table."""
        data = self.valid_data()
        return bool(data.get("q") or data.get("frequency") or data.get("system"))
