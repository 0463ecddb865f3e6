"""The symptom finder's ranking (gard/finder) on a small hand-made ontology where the right order is known.

The ontology (is_a links)::

    All
    └── Phenotypic abnormality
        ├── Abnormality of the nervous system
        │   ├── Seizure
        │   │   └── Focal-onset seizure
        │   │       └── Focal impaired awareness seizure
        │   └── Global developmental delay
        ├── Abnormality of the eye
        │   └── Cataract
        └── Growth abnormality
            └── Short stature

Each test makes the diseases it needs, plus unrelated filler diseases so that the
information content of the terms (computed by the import's own step) is what the
test describes; then ranks a patient's terms.
"""

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import gard.finder.index
from gard.finder import PARAMETERS, FinderResult, TermMatch, rank
from gard.finder.statistics import store_term_statistics
from gard.importers.hpo import import_release
from gard.models import Annotation, Aspect, Disease, Frequency, Phenotype
from tests.factories import make_annotation, make_term
from tests.queries import written_tables

TERMS = {
    "HP:0000001": ("All", []),
    "HP:0000118": ("Phenotypic abnormality", ["HP:0000001"]),
    "HP:0000707": ("Abnormality of the nervous system", ["HP:0000118"]),
    "HP:0001250": ("Seizure", ["HP:0000707"]),
    "HP:0007359": ("Focal-onset seizure", ["HP:0001250"]),
    "HP:0002384": ("Focal impaired awareness seizure", ["HP:0007359"]),
    "HP:0001263": ("Global developmental delay", ["HP:0000707"]),
    "HP:0000478": ("Abnormality of the eye", ["HP:0000118"]),
    "HP:0000518": ("Cataract", ["HP:0000478"]),
    "HP:0001507": ("Growth abnormality", ["HP:0000118"]),
    "HP:0004322": ("Short stature", ["HP:0001507"]),
}
FILLER_TERM = "HP:0001263"  # what the filler diseases have: developmental delay, a common symptom


@pytest.fixture(autouse=True)
def _fresh_index():
    # The index lives for the process; each test's database is new, so each test starts without one.
    gard.finder.index.INDEX.clear()
    yield
    gard.finder.index.INDEX.clear()


class Catalogue:
    """A hand-made catalogue: the ontology above, diseases added by name, then the import's statistics."""

    def __init__(self):
        self.terms = {}
        for hpo_id, (name, parents) in TERMS.items():  # broader terms first
            self.terms[hpo_id] = make_term(hpo_id, name, parents=[self.terms[parent] for parent in parents])
        self.by_name = {term.name: term for term in self.terms.values()}

    def term(self, name: str) -> Phenotype:
        return self.by_name[name]

    def disease(self, name: str, *symptoms, not_=(), frequency=Frequency.UNKNOWN) -> Disease:
        """A disease with these symptoms (a name, or (name, frequency)) and NOT these."""
        disease = Disease.objects.create(name=name)
        for symptom in symptoms:
            term, how_often = symptom if isinstance(symptom, tuple) else (symptom, frequency)
            make_annotation(disease, self.term(term), how_often, imported=False)
        for term in not_:
            make_annotation(disease, self.term(term), negated=True, imported=False)
        return disease

    def fillers(self, count: int) -> None:
        for number in range(count):
            self.disease(f"Filler disease {number:02}", TERMS[FILLER_TERM][0])

    def finish(self) -> None:
        """The import's precompute step, on these rows."""
        store_term_statistics(Phenotype, Annotation)
        for term in self.terms.values():
            term.refresh_from_db()

    def rank(self, *names, parameters=PARAMETERS):
        return rank([self.term(name) for name in names], parameters)


@pytest.fixture
def catalogue(db):
    return Catalogue()


def scores(ranking) -> dict[str, float]:
    return {result.disease.name: result.score for result in ranking[:]}


def names(ranking) -> list[str]:
    return [result.disease.name for result in ranking[:]]


def expected(similarity: float, more_specific: Phenotype, symptoms: int = 1) -> float:
    """A match's part of the score: its similarity divided by IC ** BETA of the more specific of its
    two terms, and by the disease's number of symptoms ** GAMMA."""
    scale = more_specific.information_content**PARAMETERS.beta if more_specific.information_content else 1
    return similarity / scale / symptoms**PARAMETERS.gamma


UNKNOWN = PARAMETERS.weights()[-1]  # the frequency weight of a row that gives none


def match(ranking, disease: str) -> TermMatch:
    (found,) = [result for result in ranking[:] if result.disease.name == disease]
    (only,) = found.matches
    return only


# -- the rules ---------------------------------------------------------------------


def test_exact_match_beats_broader_and_narrower_ones_which_their_shares_order(catalogue):
    catalogue.disease("Exact", "Focal-onset seizure")
    catalogue.disease("Broader", "Seizure")  # the patient's term is more specific than the disease's
    catalogue.disease("Narrower", "Focal impaired awareness seizure")  # the disease's term is more specific
    # Among 63 diseases all three terms are rare, so their information content is close and the
    # rules themselves decide (broader: ALPHA * IC(Seizure); narrower: DELTA * IC(Focal-onset seizure)).
    catalogue.fillers(60)
    catalogue.finish()

    ranking = catalogue.rank("Focal-onset seizure")
    assert names(ranking)[0] == "Exact"
    assert [match(ranking, name).kind for name in ("Exact", "Broader", "Narrower")] == [
        "exact",
        "broader",
        "narrower",
    ]
    more_broader = catalogue.rank("Focal-onset seizure", parameters=PARAMETERS.but(alpha=0.9, delta=0.6))
    assert names(more_broader) == ["Exact", "Broader", "Narrower"]
    more_narrower = catalogue.rank("Focal-onset seizure", parameters=PARAMETERS.but(alpha=0.6, delta=0.9))
    assert names(more_narrower) == ["Exact", "Narrower", "Broader"]


def test_a_specific_patient_term_supports_a_general_disease_term_by_alpha_and_the_reverse_by_delta(catalogue):
    catalogue.disease("Annotated seizure", "Seizure")
    catalogue.disease("Annotated focal-onset seizure", "Focal-onset seizure")
    catalogue.fillers(10)
    catalogue.finish()

    specific_patient = scores(catalogue.rank("Focal-onset seizure"))["Annotated seizure"]
    general_patient = scores(catalogue.rank("Seizure"))["Annotated focal-onset seizure"]

    assert specific_patient > 0 and general_patient > 0
    seizure, focal = catalogue.term("Seizure"), catalogue.term("Focal-onset seizure")
    # both join the same two terms, each counting its share (< 1) of the general term's information content
    ic = seizure.information_content * UNKNOWN
    assert specific_patient == pytest.approx(expected(PARAMETERS.alpha * ic, focal))
    assert general_patient == pytest.approx(expected(PARAMETERS.delta * ic, focal))
    assert PARAMETERS.alpha < 1 and PARAMETERS.delta < 1


def test_rare_specific_term_weighs_more_than_a_common_broad_one(catalogue):
    catalogue.disease("Has the rare term", "Cataract")
    catalogue.disease("Has the common term", "Global developmental delay")
    catalogue.fillers(10)  # developmental delay in 11 of 12 diseases, cataract in 1
    catalogue.finish()

    ranking = catalogue.rank("Cataract", "Global developmental delay")

    rare, common = catalogue.term("Cataract"), catalogue.term("Global developmental delay")
    assert rare.information_content > common.information_content
    assert names(ranking)[0] == "Has the rare term"
    assert scores(ranking)["Has the rare term"] > scores(ranking)["Has the common term"]


def test_not_annotation_counts_against_the_disease(catalogue):
    catalogue.disease("Seizures only", "Seizure", "Cataract")
    catalogue.disease("Seizures but no short stature", "Seizure", "Cataract", not_=["Short stature"])
    catalogue.disease("No growth abnormality", "Seizure", "Cataract", not_=["Growth abnormality"])
    for number in range(3):
        catalogue.disease(f"Short {number}", "Short stature")
    catalogue.fillers(10)
    catalogue.finish()

    ranking = catalogue.rank("Seizure", "Cataract", "Short stature")
    found = scores(ranking)

    assert names(ranking)[0] == "Seizures only"
    assert found["Seizures but no short stature"] < found["Seizures only"]
    excluded = next(m for r in ranking[:] if r.disease.name == "Seizures but no short stature" for m in r.matches)
    assert excluded.kind != "excluded"  # best first: the seizure match, then the NOT row
    result = next(r for r in ranking[:] if r.disease.name == "Seizures but no short stature")
    against = result.matches[-1]
    assert (against.kind, against.disease_term.name, against.patient_term.name) == (
        "excluded",
        "Short stature",
        "Short stature",
    )
    short = catalogue.term("Short stature")
    assert against.contribution == pytest.approx(expected(-PARAMETERS.penalty * short.information_content, short, 2))
    # NOT a broader term counts against a patient's more specific one.
    broad = next(r for r in ranking[:] if r.disease.name == "No growth abnormality").matches[-1]
    assert (broad.kind, broad.disease_term.name) == ("excluded", "Growth abnormality")


def test_disease_with_only_a_not_match_is_not_listed(catalogue):
    catalogue.disease("Not this", "Cataract", not_=["Short stature"])
    catalogue.fillers(3)
    catalogue.finish()

    assert names(catalogue.rank("Short stature")) == []


def test_more_frequent_annotation_outranks_a_rare_one(catalogue):
    catalogue.disease("Rarely seizures", ("Seizure", Frequency.VERY_RARE))
    catalogue.disease("Always seizures", ("Seizure", Frequency.OBLIGATE))
    catalogue.disease("Often seizures", ("Seizure", Frequency.FREQUENT))
    catalogue.fillers(5)
    catalogue.finish()

    ranking = catalogue.rank("Seizure")

    assert names(ranking) == ["Always seizures", "Often seizures", "Rarely seizures"]
    assert [match(ranking, name).frequency for name in names(ranking)] == [
        Frequency.OBLIGATE,
        Frequency.FREQUENT,
        Frequency.VERY_RARE,
    ]


def test_related_terms_count_through_their_most_informative_common_ancestor(catalogue):
    catalogue.disease("Focal seizures", "Focal-onset seizure")
    catalogue.disease("Cataract", "Cataract")
    catalogue.fillers(5)
    catalogue.finish()
    related = PARAMETERS.but(sigma=0.5)

    ranking = catalogue.rank("Global developmental delay", parameters=related)
    found = match(ranking, "Focal seizures")

    # developmental delay and focal seizures meet at the nervous system; the eye shares only broader terms
    assert (found.kind, found.disease_term.name, found.via.name) == (
        "related",
        "Focal-onset seizure",
        "Abnormality of the nervous system",
    )
    nervous = catalogue.term("Abnormality of the nervous system").information_content
    focal = catalogue.term("Focal-onset seizure")  # more specific than developmental delay here
    assert focal.information_content > catalogue.term("Global developmental delay").information_content
    assert found.contribution == pytest.approx(expected(0.5 * nervous * related.weights()[-1], focal))
    assert "Cataract" not in names(ranking) or scores(ranking)["Cataract"] < found.contribution


def test_ties_go_by_name_and_ranks_count_from_one(catalogue):
    catalogue.disease("Beta syndrome", "Cataract")
    catalogue.disease("Alpha syndrome", "Cataract")
    catalogue.fillers(3)
    catalogue.finish()

    ranking = catalogue.rank("Cataract")

    assert len(ranking) == 2
    assert [(r.rank, r.disease.name) for r in ranking[0:2]] == [(1, "Alpha syndrome"), (2, "Beta syndrome")]
    assert ranking[1].rank == 2
    assert ranking[5:10] == []


# -- the explanation ----------------------------------------------------------------


def test_explanation_says_which_patient_term_matched_which_disease_term(catalogue):
    catalogue.disease("Alpers", ("Focal-onset seizure", Frequency.VERY_FREQUENT), ("Cataract", Frequency.OCCASIONAL))
    catalogue.fillers(4)
    catalogue.finish()

    (result, *_) = catalogue.rank("Focal impaired awareness seizure", "Cataract", "Seizure")

    assert isinstance(result, FinderResult)
    assert (result.rank, result.disease.name) == (1, "Alpers")
    explained = [
        (m.patient_term.name, m.kind, m.disease_term.name, m.frequency, round(m.contribution, 6))
        for m in result.matches
    ]
    term = {
        name: catalogue.term(name)
        for name in ("Focal impaired awareness seizure", "Focal-onset seizure", "Cataract", "Seizure")
    }
    ic = {name: t.information_content for name, t in term.items()}
    w = dict(zip(("obligate", "very_frequent", "frequent", "occasional"), PARAMETERS.weights()[:4], strict=True))
    expected_matches = [
        ("Focal impaired awareness seizure", "broader", "Focal-onset seizure", Frequency.VERY_FREQUENT,
         expected(PARAMETERS.alpha * ic["Focal-onset seizure"] * w["very_frequent"],
                  term["Focal impaired awareness seizure"], 2)),
        ("Cataract", "exact", "Cataract", Frequency.OCCASIONAL,
         expected(ic["Cataract"] * w["occasional"], term["Cataract"], 2)),
        ("Seizure", "narrower", "Focal-onset seizure", Frequency.VERY_FREQUENT,
         expected(PARAMETERS.delta * ic["Seizure"] * w["very_frequent"], term["Focal-onset seizure"], 2)),
    ]  # fmt: skip
    expected_matches = [(*row[:4], round(row[4], 6)) for row in expected_matches]
    assert sorted(explained, key=lambda row: -row[4]) == explained  # best first
    assert sorted(explained) == sorted(expected_matches)
    assert result.score == pytest.approx(sum(row[4] for row in expected_matches))


def test_first_page_takes_a_fixed_number_of_queries(catalogue, django_assert_num_queries):
    for number in range(30):
        catalogue.disease(f"Disease {number:02}", "Focal-onset seizure", "Short stature")
    catalogue.fillers(30)
    catalogue.finish()
    terms = [catalogue.term("Seizure"), catalogue.term("Short stature"), catalogue.term("Cataract")]
    rank(terms)  # builds the index

    # 1. the content generation (is the index current?)
    # 2. the diseases of the slice
    # 3. their matched terms that are not the patient's own (Focal-onset seizure)
    with django_assert_num_queries(3):
        ranking = rank(terms)
        assert len(ranking) == 30
        page = ranking[0:20]
    assert len(page) == 20
    assert {m.disease_term.name for m in page[0].matches} == {"Focal-onset seizure", "Short stature"}


# -- the index and the precomputed values ---------------------------------------------


def test_index_notices_an_annotation_added_after_the_first_query(catalogue):
    catalogue.disease("Has cataract", "Cataract")
    later = catalogue.disease("Cataract added later", "Short stature")
    catalogue.fillers(3)
    catalogue.finish()
    assert names(catalogue.rank("Cataract")) == ["Has cataract"]

    make_annotation(later, catalogue.term("Cataract"), imported=False)  # an editor's new row

    assert set(names(catalogue.rank("Cataract"))) == {"Cataract added later", "Has cataract"}


def test_statistics_hold_ancestors_disease_counts_and_information_content(catalogue):
    catalogue.disease("Focal", "Focal-onset seizure", not_=["Cataract"])
    catalogue.disease("Seizures", "Seizure")
    eye = catalogue.disease("Eye", "Cataract")
    # an inheritance row is not a symptom
    make_annotation(eye, catalogue.term("Short stature"), aspect=Aspect.INHERITANCE, imported=False)
    catalogue.fillers(1)
    catalogue.finish()
    total = 4

    focal, seizure = catalogue.term("Focal-onset seizure"), catalogue.term("Seizure")
    assert focal.ancestors == ["HP:0000001", "HP:0000118", "HP:0000707", "HP:0001250"]
    assert catalogue.term("All").ancestors == []
    assert (focal.disease_count, seizure.disease_count) == (1, 2)
    assert catalogue.term("Abnormality of the nervous system").disease_count == 3  # the filler's delay too
    assert catalogue.term("Cataract").disease_count == 1  # the NOT row does not count
    assert focal.information_content == pytest.approx(math.log(total / 1))
    assert seizure.information_content == pytest.approx(math.log(total / 2))
    assert catalogue.term("Phenotypic abnormality").information_content == 0
    # no disease has it (only an inheritance row): as informative as a term can be
    assert catalogue.term("Short stature").information_content == pytest.approx(math.log(total))
    assert store_term_statistics(Phenotype, Annotation) == (0, len(TERMS))  # nothing left to write


def test_import_stores_the_statistics_and_a_reimport_writes_nothing(db, release):
    summary = import_release(release.read())
    assert summary.term_statistics.updated == 20

    seizure = Phenotype.objects.get(hpo_id="HP:0001250")
    # three diseases have symptoms; all three have seizures
    assert seizure.ancestors == ["HP:0000001", "HP:0000118", "HP:0000707"]
    assert (seizure.disease_count, seizure.information_content) == (3, 0)
    encephalopathy = Phenotype.objects.get(hpo_id="HP:0006789")
    assert encephalopathy.disease_count == 2
    assert encephalopathy.information_content == pytest.approx(math.log(3 / 2))
    assert Phenotype.objects.get(hpo_id="HP:0003074").information_content == pytest.approx(math.log(3))  # NOT only

    with CaptureQueriesContext(connection) as queries:
        again = import_release(release.read())
    assert written_tables(queries) == set()
    assert (again.changes, again.term_statistics.updated) == (0, 0)


def test_catalogue_without_symptoms_ranks_nothing(catalogue):
    catalogue.finish()

    ranking = catalogue.rank("Seizure", "Cataract")

    assert len(ranking) == 0
    assert ranking[0:20] == []
    with pytest.raises(IndexError):
        ranking[0]
