"""The editors' admin: a disease and everything on its page edited in one place.

Rows the HPO import owns (imported identifiers, record names, annotations,
term names) are shown read-only beside the editable inlines, which hold only
what editors and documents wrote: an edit to an imported row would be undone
by the next import, so the admin does not offer one. An imported identifier
can still be moved to another disease from its own page.

History (django-simple-history): every model an editor changes here keeps a record of
each save (who, when, what). Every save of a disease or of one of its rows raises the
disease's version, so two editors who opened the same version cannot overwrite each
other (``gard.admin.versions``), and the disease's history lists, with each version, the
rows changed with it; each row's own history reverts or restores it.
"""

from datetime import timedelta
from functools import partial

from django.contrib import admin
from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from gard.admin.base import ContentAdmin, HistoryAdmin, PageRowAdmin
from gard.admin.forms import TEXT_AREAS, DiseaseAdminForm
from gard.admin.history import attach_row_changes, keep_old_address
from gard.admin.restore import can_restore, restore_page_view
from gard.admin.versions import DiseaseVersions
from gard.models import (
    IMPORTED_TEXT_SOURCES,
    Annotation,
    Disease,
    DiseaseRedirect,
    Gene,
    Identifier,
    Phenotype,
    PhenotypeAltId,
    PhenotypeSynonym,
    Reference,
    Resource,
    Section,
    SectionKind,
    Source,
    Synonym,
)

IMPORTED_ROWS_SHOWN = 300


def _table(headers, rows, total):
    """A small read-only HTML table of imported rows."""
    if not total:
        return "None"
    head = format_html_join("", "<th scope='col'>{}</th>", ((h,) for h in headers))
    body = format_html_join(
        "", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows)
    )
    more = format_html("<p>and {} more</p>", total - IMPORTED_ROWS_SHOWN) if total > IMPORTED_ROWS_SHOWN else ""
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>{}", head, body, more)


# Rows the open-data import wrote (definitions, other names): shown read-only, never in an editable inline.
OPEN_DATA_ROWS = Q(source__key__in=IMPORTED_TEXT_SOURCES)


class OpenDataRowsReadOnly:
    """Rows the open-data import wrote can be viewed, not changed or deleted: the next import owns them."""

    def _open_data(self, obj):
        return obj is not None and obj.source_id is not None and obj.source.key in IMPORTED_TEXT_SOURCES

    def has_change_permission(self, request, obj=None):
        return not self._open_data(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._open_data(obj) and super().has_delete_permission(request, obj)


class EditorRowsInline:
    """An inline holding only the rows editors and documents wrote, not the imported ones."""

    imported_filter = Q(pk__in=[])

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(self.imported_filter)


class IdentifierInline(EditorRowsInline, admin.TabularInline):
    model = Identifier
    imported_filter = Q(imported=True)
    extra = 0
    fields = ["prefix", "accession", "name"]
    verbose_name_plural = "identifiers added by editors or documents"


class SynonymInline(EditorRowsInline, admin.TabularInline):
    model = Synonym
    imported_filter = Q(record__isnull=False) | OPEN_DATA_ROWS
    extra = 1
    fields = ["name", "source"]
    verbose_name_plural = "other names (added by editors or documents)"


class AnnotationInline(EditorRowsInline, admin.TabularInline):
    model = Annotation
    imported_filter = Q(import_ref__isnull=False)
    extra = 1
    autocomplete_fields = ["phenotype"]
    fields = ["phenotype", "frequency", "frequency_raw", "negated", "aspect", "source"]
    verbose_name_plural = "symptoms (added by editors or documents)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("phenotype", "source")


class ReferenceInline(admin.StackedInline):
    formfield_overrides = TEXT_AREAS
    model = Reference
    extra = 0
    fields = [("number", "accessed"), "citation", "url", "source"]


class SectionInline(EditorRowsInline, admin.StackedInline):
    imported_filter = OPEN_DATA_ROWS
    formfield_overrides = TEXT_AREAS
    model = Section
    extra = 0
    fields = [("kind", "last_updated", "source"), "body"]


class ResourceInline(admin.StackedInline):
    formfield_overrides = TEXT_AREAS
    model = Resource
    extra = 0
    fields = [("kind", "group", "position"), ("name", "url"), "description", "source"]


class SummaryFilter(admin.SimpleListFilter):
    title = "summary for families"
    parameter_name = "summary"

    def lookups(self, request, model_admin):
        return [("none_by_editors", "No editor's summary"), ("no_definition", "No definition at all")]

    def queryset(self, request, queryset):
        if self.value() == "none_by_editors":
            return queryset.filter(summary="")
        if self.value() == "no_definition":
            return queryset.without_definition()
        return queryset


class ReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"
    DUE_SOON = timedelta(days=30)

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue for review"),
            ("due_soon", "Due in the next 30 days"),
            ("unscheduled", "No review date set"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.overdue_for_review()
        if self.value() == "due_soon":
            return queryset.filter(next_review_due__gte=today, next_review_due__lte=today + self.DUE_SOON)
        if self.value() == "unscheduled":
            return queryset.filter(next_review_due__isnull=True)
        return queryset


@admin.register(Disease)
class DiseaseAdmin(HistoryAdmin):
    form = DiseaseAdminForm
    list_display = ["name", "slug", "identifier_list", "last_reviewed", "review_due"]
    search_fields = ["name", "slug", "synonyms__name", "identifiers__accession"]
    list_filter = [SummaryFilter, ReviewFilter, "identifiers__prefix", "sections__source"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["imported_definitions", "imported_records", "imported_names", "imported_symptoms"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "opened_version"]}),
        (
            "What the disease is, for families",
            {
                "fields": ["summary", "imported_definitions"],
                "description": "Your summary is shown first on the page. Without one, the page shows the "
                "definition imported below (read-only: the next import keeps it current).",
            },
        ),
        ("Review", {"fields": [("last_reviewed", "next_review_due")]}),
        (
            "From the HPO release (read-only; the next import keeps these current)",
            {"fields": ["imported_records", "imported_names", "imported_symptoms"], "classes": ["collapse"]},
        ),
    ]
    inlines = [IdentifierInline, SynonymInline, SectionInline, AnnotationInline, ReferenceInline, ResourceInline]
    object_history_template = "admin/gard/disease/object_history.html"
    object_history_form_template = "admin/gard/disease/object_history_form.html"
    history_list_display = ["version"]
    versions_class = DiseaseVersions

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("identifiers")

    def save_model(self, request, obj, form, change):
        """Every save is a new version, even one that changes only rows (the form checked it, row locked).
        A new slug keeps the old address working: it leads to the page from now on."""
        old_slug = None
        if change:
            # The row is locked (the admin's get_object), and the form checked it is the version it showed.
            obj.version = Disease.objects.filter(pk=obj.pk).values_list("version", flat=True).get() + 1
            old_slug = Disease.objects.filter(pk=obj.pk).values_list("slug", flat=True).first()
        super().save_model(request, obj, form, change)
        keep_old_address(obj, old_slug)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        if records:
            newer = (
                Disease.history.filter(id=records[0].id, history_date__gt=records[0].history_date)
                .order_by("history_date", "history_id")
                .first()
            )
            attach_row_changes(records, newer=newer)
            if can_restore(request.user):
                for record in records:
                    record.restore_url = reverse("admin:gard_disease_restore_page", args=[record.id, record.history_id])

    def get_urls(self):
        restore = path(
            "<str:object_id>/history/<str:history_id>/restore-page/",
            self.admin_site.admin_view(partial(restore_page_view, self)),
            name="gard_disease_restore_page",
        )
        return [restore, *super().get_urls()]

    @admin.display(description="Next review due", ordering="next_review_due")
    def review_due(self, disease):
        if disease.next_review_due is None:
            return "-"
        if disease.next_review_due < timezone.localdate():
            return format_html('<strong class="overdue">{} (overdue)</strong>', disease.next_review_due.isoformat())
        return disease.next_review_due.isoformat()

    @admin.display(description="Identifiers")
    def identifier_list(self, disease):
        return ", ".join(identifier.curie for identifier in disease.identifiers.all())

    @admin.display(description="Imported definitions")
    def imported_definitions(self, disease):
        sections = disease.sections.filter(OPEN_DATA_ROWS, kind=SectionKind.SUMMARY).select_related("source")
        rows = [
            (section.body, f"{section.source.short_name or section.source.title} {section.source.version}")
            for section in sections
        ]
        return _table(["Text", "Source and version"], rows, len(rows))

    @admin.display(description="Records")
    def imported_records(self, disease):
        records = disease.identifiers.filter(imported=True)
        rows = [
            (
                format_html(
                    '<a href="{}">{}</a>', reverse("admin:gard_identifier_change", args=[record.pk]), record.curie
                ),
                record.name,
            )
            for record in records
        ]
        return _table(["Record (open it to move it to another disease)", "Name in the record"], rows, len(rows))

    @admin.display(description="Other names from records and open data")
    def imported_names(self, disease):
        names = disease.synonyms.filter(Q(record__isnull=False) | OPEN_DATA_ROWS).select_related("record", "source")
        rows = [(s.name, s.record.curie if s.record else s.source.short_name) for s in names]
        return _table(["Name", "From"], rows, len(rows))

    @admin.display(description="Symptoms")
    def imported_symptoms(self, disease):
        imported = disease.annotations.filter(import_ref__isnull=False)
        rows = imported.select_related("phenotype", "record").order_by("phenotype__search_name")[:IMPORTED_ROWS_SHOWN]
        return _table(
            ["Term", "Frequency", "Aspect", "Not seen", "Record"],
            [
                (
                    str(a.phenotype),
                    a.frequency_raw or a.get_frequency_display(),
                    a.get_aspect_display(),
                    "NOT" if a.negated else "",
                    a.record.curie if a.record else "",
                )
                for a in rows
            ],
            imported.count(),
        )


@admin.register(DiseaseRedirect)
class DiseaseRedirectAdmin(HistoryAdmin):
    """Old addresses of pages (merged into another, or renamed), each leading to the page that holds it."""

    list_display = ["slug", "disease"]
    search_fields = ["slug", "disease__name"]
    list_select_related = ["disease"]
    autocomplete_fields = ["disease"]


@admin.register(Identifier)
class IdentifierAdmin(PageRowAdmin):
    """Records of diseases; moving one to another disease moves what the import attached through it."""

    list_display = ["curie", "name", "disease", "imported"]
    list_filter = ["prefix", "imported"]
    search_fields = ["accession", "name", "disease__name"]
    list_select_related = ["disease"]
    autocomplete_fields = ["disease"]
    fields = ["disease", "prefix", "accession", "name", "imported", "genes"]
    readonly_fields = ["imported", "genes"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.imported:
            return ["prefix", "accession", "name", "imported", "genes"]
        return self.readonly_fields

    @admin.display(description="Genes")
    def genes(self, identifier):
        return ", ".join(gene.symbol for gene in identifier.genes.all()) or "None"


class PhenotypeSynonymInline(EditorRowsInline, admin.TabularInline):
    model = PhenotypeSynonym
    imported_filter = Q(imported=True)
    extra = 1
    fields = ["name", "layperson"]
    verbose_name_plural = "other names added by editors or documents"


@admin.register(Phenotype)
class PhenotypeAdmin(HistoryAdmin):
    list_display = ["hpo_id", "name", "is_obsolete"]
    list_filter = ["is_obsolete"]
    search_fields = ["hpo_id", "name", "synonyms__name"]
    fields = ["hpo_id", "name", "definition", "comment", "is_obsolete", "replaced_by", "imported_names"]
    readonly_fields = ["imported_names"]
    inlines = [PhenotypeSynonymInline]

    def get_readonly_fields(self, request, obj=None):
        # The HPO release owns its terms; an existing term's fields are kept current by the import.
        if obj is not None:
            return ["hpo_id", "name", "definition", "comment", "is_obsolete", "replaced_by", "imported_names"]
        return self.readonly_fields

    @admin.display(description="Other names from the HPO release")
    def imported_names(self, phenotype):
        names = phenotype.synonyms.filter(imported=True) if phenotype.pk else []
        rows = [(s.name, "plain language" if s.layperson else s.scope.lower()) for s in names]
        return _table(["Name", "Kind"], rows, len(rows))


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "short_name", "publisher", "licence", "version", "key"]
    search_fields = ["title", "publisher", "key"]
    list_filter = ["licence"]
    readonly_fields = ["key", "version"]


@admin.register(Section)
class SectionAdmin(OpenDataRowsReadOnly, PageRowAdmin):
    list_display = ["disease", "kind", "source", "last_updated"]
    list_filter = ["kind", "source"]
    search_fields = ["disease__name", "body"]
    list_select_related = ["disease", "source"]
    autocomplete_fields = ["disease"]


@admin.register(Synonym)
class SynonymAdmin(OpenDataRowsReadOnly, PageRowAdmin):
    """Other names one by one, each with its history (editors mostly change them on the disease's page)."""

    list_display = ["name", "disease", "record", "source"]
    search_fields = ["name", "disease__name"]
    list_select_related = ["disease", "record", "source"]
    autocomplete_fields = ["disease"]
    fields = ["disease", "name", "source", "record"]
    readonly_fields = ["record"]


@admin.register(Reference)
class ReferenceAdmin(PageRowAdmin):
    list_display = ["disease", "number", "citation", "source"]
    search_fields = ["disease__name", "citation"]
    list_select_related = ["disease", "source"]
    autocomplete_fields = ["disease"]


@admin.register(Resource)
class ResourceAdmin(PageRowAdmin):
    list_display = ["name", "disease", "kind", "group", "source"]
    list_filter = ["kind"]
    search_fields = ["name", "disease__name", "group"]
    list_select_related = ["disease", "source"]
    autocomplete_fields = ["disease"]


@admin.register(Annotation)
class AnnotationAdmin(PageRowAdmin):
    list_display = ["disease", "phenotype", "frequency", "frequency_raw", "aspect", "negated", "record", "source"]
    list_filter = ["frequency", "aspect", "negated", "source"]
    search_fields = ["disease__name", "phenotype__name", "phenotype__hpo_id", "record__accession"]
    list_select_related = ["disease", "phenotype", "source", "record"]
    autocomplete_fields = ["disease", "phenotype"]
    readonly_fields = ["import_ref"]

    def has_change_permission(self, request, obj=None):
        # Imported rows are the release's: viewable, not editable (the next import would undo an edit).
        if obj is not None and obj.import_ref:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.import_ref:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Gene)
class GeneAdmin(ContentAdmin):
    list_display = ["symbol", "ncbi_id"]
    search_fields = ["symbol", "ncbi_id"]

    def has_change_permission(self, request, obj=None):
        return False  # genes come from the release


@admin.register(PhenotypeAltId)
class PhenotypeAltIdAdmin(ContentAdmin):
    list_display = ["alt_id", "phenotype"]
    search_fields = ["alt_id", "phenotype__hpo_id"]
    list_select_related = ["phenotype"]

    def has_change_permission(self, request, obj=None):
        return False  # alternative IDs come from the release
