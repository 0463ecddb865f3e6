"""The editors' admin: a disease and everything on its page edited in one place."""

from django.contrib import admin

from gard.models import (
    Annotation,
    Disease,
    Identifier,
    Phenotype,
    PhenotypeSynonym,
    Reference,
    Resource,
    Section,
    Source,
    Synonym,
)

admin.site.site_header = "Rare disease information: editors"
admin.site.site_title = "Editors"
admin.site.index_title = "Content"


class IdentifierInline(admin.TabularInline):
    model = Identifier
    extra = 0


class SynonymInline(admin.TabularInline):
    model = Synonym
    extra = 1
    fields = ["name", "source"]


class AnnotationInline(admin.TabularInline):
    model = Annotation
    extra = 1
    autocomplete_fields = ["phenotype"]
    fields = ["phenotype", "frequency", "frequency_raw", "source"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("phenotype", "source")


class ReferenceInline(admin.StackedInline):
    model = Reference
    extra = 0
    fields = [("number", "accessed"), "citation", "url", "source"]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = [("kind", "last_updated", "source"), "body"]


class ResourceInline(admin.StackedInline):
    model = Resource
    extra = 0
    fields = [("kind", "group", "position"), ("name", "url"), "description", "source"]


@admin.register(Disease)
class DiseaseAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "identifier_list"]
    search_fields = ["name", "slug", "synonyms__name", "identifiers__accession"]
    list_filter = ["identifiers__prefix", "sections__source"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [IdentifierInline, SynonymInline, SectionInline, AnnotationInline, ReferenceInline, ResourceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("identifiers")

    @admin.display(description="Identifiers")
    def identifier_list(self, disease):
        return ", ".join(identifier.curie for identifier in disease.identifiers.all())


class PhenotypeSynonymInline(admin.TabularInline):
    model = PhenotypeSynonym
    extra = 1


@admin.register(Phenotype)
class PhenotypeAdmin(admin.ModelAdmin):
    list_display = ["hpo_id", "name"]
    search_fields = ["hpo_id", "name", "synonyms__name"]
    inlines = [PhenotypeSynonymInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "licence", "key"]
    search_fields = ["title", "publisher", "key"]
    list_filter = ["licence"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["disease", "kind", "source", "last_updated"]
    list_filter = ["kind", "source"]
    search_fields = ["disease__name", "body"]
    list_select_related = ["disease", "source"]
    autocomplete_fields = ["disease"]


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["disease", "phenotype", "frequency", "frequency_raw", "source"]
    list_filter = ["frequency", "source"]
    search_fields = ["disease__name", "phenotype__name", "phenotype__hpo_id"]
    list_select_related = ["disease", "phenotype", "source"]
    autocomplete_fields = ["disease", "phenotype"]
