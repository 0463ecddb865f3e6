"""One disease, one page: the HPO import joins records the open data pairs one-to-one, and the other
address of a merged page leads to it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gard.importers.hpo import import_release, pairs_pending
from gard.models import Disease, DiseaseRedirect, Identifier, Section, SectionKind, Synonym
from tests.factories import MTDPS, SampleRelease

PAIR = [("ORPHA:726", "OMIM:203700")]  # "Alpers-Huttenlocher syndrome" and MTDPS 4A (Alpers type)


def page_of(curie):
    prefix, accession = curie.split(":")
    return Identifier.objects.get(prefix=prefix, accession=accession).disease


def test_without_a_pair_two_names_make_two_pages(db, tmp_path):
    import_release(SampleRelease(tmp_path).read())
    assert page_of("ORPHA:726") != page_of("OMIM:203700")


def test_a_one_to_one_pair_shares_one_page_named_as_orphanet_names_it(db, tmp_path):
    summary = import_release(SampleRelease(tmp_path).read(), same_disease=PAIR)
    page = page_of("ORPHA:726")
    assert page == page_of("OMIM:203700")
    assert page.name == "Alpers-Huttenlocher syndrome"
    assert MTDPS in set(page.synonyms.values_list("name", flat=True))
    assert page.annotations.filter(record__accession="203700").exists()
    assert summary.pairs_used == 1


def test_the_address_the_other_record_would_have_had_leads_to_the_shared_page(client, db, tmp_path):
    import_release(SampleRelease(tmp_path).read(), same_disease=PAIR)
    page = page_of("ORPHA:726")
    old = DiseaseRedirect.objects.get(disease=page).slug
    assert old == "mitochondrial-dna-depletion-syndrome-4a-alpers-type"
    response = client.get(f"/diseases/{old}/?frequency=frequent")
    assert response.status_code == 301
    assert response["Location"] == f"/diseases/{page.slug}/?frequency=frequent"
    assert client.get(f"/diseases/{old}/symptoms.csv")["Location"] == f"/diseases/{page.slug}/symptoms.csv"


def test_pages_made_apart_are_merged_by_a_later_import_and_the_emptied_one_redirects(client, db, tmp_path):
    release = SampleRelease(tmp_path)
    import_release(release.read())
    merged_away = page_of("OMIM:203700")
    summary = import_release(release.read(), same_disease=PAIR)
    page = page_of("ORPHA:726")
    assert page_of("OMIM:203700") == page
    assert not Disease.objects.filter(pk=merged_away.pk).exists()
    assert summary["diseases"].retired == 1
    assert summary["records moved to the page of their disease"].updated == 1
    response = client.get(f"/diseases/{merged_away.slug}/")
    assert response.status_code == 301 and response["Location"] == page.get_absolute_url()


def test_a_page_with_editors_content_is_never_merged_away(db, tmp_path):
    release = SampleRelease(tmp_path)
    import_release(release.read())
    written = page_of("OMIM:203700")
    Section.objects.create(disease=written, kind=SectionKind.TREATMENT, body="An editor's text.")
    summary = import_release(release.read(), same_disease=PAIR)
    # The page an editor wrote on holds the pair: the other record moves to it.
    assert page_of("ORPHA:726") == written == page_of("OMIM:203700")
    assert summary.left_apart == []


def test_two_pages_with_editors_content_are_left_apart_and_listed(db, tmp_path):
    release = SampleRelease(tmp_path)
    import_release(release.read())
    for curie in ("OMIM:203700", "ORPHA:726"):
        Synonym.objects.create(disease=page_of(curie), name=f"Editor's name for {curie}")
    summary = import_release(release.read(), same_disease=PAIR)
    assert page_of("ORPHA:726") != page_of("OMIM:203700")
    assert len(summary.left_apart) == 1 and "editors' or documents' content" in summary.left_apart[0]
    assert pairs_pending(PAIR) == 0  # nothing the import could still do


def test_a_second_import_with_the_same_pairs_writes_nothing(db, tmp_path):
    release = SampleRelease(tmp_path)
    import_release(release.read(), same_disease=PAIR)
    assert pairs_pending(PAIR) == 0
    with CaptureQueriesContext(connection) as queries:
        summary = import_release(release.read(), same_disease=PAIR)
    assert summary.changes == 0
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_skip_current_still_merges_a_pair_not_yet_on_one_page(db, tmp_path, settings):
    from tests.factories import orphanet_record, write_open_data

    release = SampleRelease(tmp_path)
    release.run()
    assert page_of("ORPHA:726") != page_of("OMIM:203700")
    folder = write_open_data(
        tmp_path / "open_data",
        orphanet=[orphanet_record(726, "Alpers-Huttenlocher syndrome", omim=[["203700", "E"]])],
    )
    assert "already imported" in release.run(skip_current=True)  # no open data: nothing pending
    output = release.run(skip_current=True, open_data=folder)
    assert "already imported" not in output
    assert "One-to-one OMIM/Orphanet pairs in the open data: 1 (1 Orphanet E link); 1 join records of" in output
    assert page_of("ORPHA:726") == page_of("OMIM:203700")
