"""The page of one HPO term: the term, its names, its place in HPO, and the diseases that have it."""

import re

import pytest

from gard.models import Annotation, Aspect, Disease, Frequency, PhenotypeSynonym
from tests.factories import add_diseases, hpo_source, make_annotation, make_term
from tests.html import element_text, page_text
from tests.queries import count_queries

AREFLEXIA = "/symptoms/HP:0001284/"


@pytest.fixture
def areflexia(db):
    """Areflexia with its names, neighbours in HPO, and a few diseases."""
    areflexia = make_term(
        "HP:0001284",
        "Areflexia",
        definition="Absence of neurologic reflexes such as the knee-jerk reaction.",
        comment="The stretch reflexes include the knee-jerk reflex.",
        parents=[make_term("HP:0001315", "Reduced tendon reflexes")],
        categories=[make_term("HP:0000707", "Abnormality of the nervous system")],
        names=[
            ("Absent tendon reflexes", True, "EXACT"),
            ("Absent reflexes", True, "BROAD"),
            ("Absent deep tendon reflexes", False, "EXACT"),
        ],
        alt_ids=["HP:0001314"],
    )
    make_term("HP:0002522", "Areflexia of lower limbs", parents=[areflexia])
    make_term("HP:0012046", "Areflexia of upper limbs", parents=[areflexia])
    return areflexia


@pytest.fixture
def with_diseases(areflexia):
    """Beta is stated twice (occasional, and 3/8 = frequent); NOT rows and an inheritance row too."""
    alpha = Disease.objects.create(name="Alpha syndrome")
    beta = Disease.objects.create(name="Beta syndrome")
    gamma = Disease.objects.create(name="Gamma disease")
    delta = Disease.objects.create(name="Delta disease")
    make_annotation(alpha, areflexia, Frequency.OCCASIONAL, "HP:0040283")
    make_annotation(beta, areflexia, Frequency.OCCASIONAL, "1/6")
    make_annotation(beta, areflexia, Frequency.FREQUENT, "3/8")
    make_annotation(gamma, areflexia, Frequency.FREQUENT, "HP:0040282")
    make_annotation(gamma, areflexia, Frequency.UNKNOWN)
    make_annotation(delta, areflexia, negated=True)
    make_annotation(Disease.objects.create(name="Epsilon disease"), areflexia, aspect=Aspect.INHERITANCE)
    return areflexia


def disease_names(response) -> list[str]:
    table = response.content.decode().split('class="symptom-diseases"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)


def rows_by_disease(response) -> dict[str, str]:
    """Each listed disease with the text of its frequency cell."""
    table = response.content.decode().split('class="symptom-diseases"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>\s*<td>(.*?)</td>', table, flags=re.S)
    return {name: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for name, cell in rows}


# -- the term itself ----------------------------------------------------------------------


def test_page_shows_the_term_name_as_the_only_h1_with_its_id_definition_and_comment(client, areflexia):
    response = client.get(AREFLEXIA)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == ["Areflexia"]
    text = page_text(response)
    assert "HP:0001284" in text
    assert "Absence of neurologic reflexes such as the knee-jerk reaction." in element_text(response, "definition")
    assert "The stretch reflexes include the knee-jerk reflex." in element_text(response, "definition")
    assert "<title>Areflexia (HP:0001284) |" in html


def test_term_url_is_the_page_get_absolute_url_names(areflexia):
    assert areflexia.get_absolute_url() == AREFLEXIA


def test_headings_never_skip_a_level(client, with_diseases):
    html = client.get(AREFLEXIA).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", main)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))


def test_page_has_a_breadcrumb_to_the_home_page(client, areflexia):
    html = client.get(AREFLEXIA).content.decode()
    breadcrumb = html[html.index('aria-label="Breadcrumb"') :].split("</nav>")[0]
    assert 'href="/"' in breadcrumb
    assert f'aria-current="page" href="{AREFLEXIA}"' in breadcrumb


def test_plain_language_names_are_listed_apart_from_other_medical_names(client, areflexia):
    response = client.get(AREFLEXIA)
    plain = element_text(response, "plain-names")
    medical = element_text(response, "medical-names")
    assert "Absent tendon reflexes" in plain and "Absent reflexes" in plain
    assert "Absent deep tendon reflexes" not in plain
    assert "Absent deep tendon reflexes" in medical
    assert "Absent tendon reflexes" not in medical
    assert "Plain-language names" in element_text(response, "other-names")
    assert "Other medical names" in element_text(response, "other-names")


def test_broader_names_say_they_are_broader(client, areflexia):
    assert "Absent reflexes (broader term)" in element_text(client.get(AREFLEXIA), "plain-names")


def test_a_term_without_other_names_has_no_other_names_section(client, db):
    make_term("HP:0000001", "All")
    response = client.get("/symptoms/HP:0000001/")
    assert response.status_code == 200
    assert 'id="other-names"' not in response.content.decode()


def test_parents_children_and_organ_systems_link_to_their_own_pages(client, areflexia):
    response = client.get(AREFLEXIA)
    html = response.content.decode()
    parents = html[html.index('id="parents"') :].split("</ul>")[0]
    children = html[html.index('id="children"') :].split("</ul>")[0]
    assert '<a href="/symptoms/HP:0001315/">Reduced tendon reflexes</a>' in parents
    assert '<a href="/symptoms/HP:0002522/">Areflexia of lower limbs</a>' in children
    assert '<a href="/symptoms/HP:0012046/">Areflexia of upper limbs</a>' in children
    assert "Reduced tendon reflexes" not in children
    assert '<a href="/symptoms/HP:0000707/">Abnormality of the nervous system</a>' in html
    for path in ("/symptoms/HP:0001315/", "/symptoms/HP:0002522/", "/symptoms/HP:0000707/"):
        assert client.get(path).status_code == 200


# -- the diseases that have it ------------------------------------------------------------


def test_each_disease_is_listed_once_with_its_most_frequent_group(client, with_diseases):
    response = client.get(AREFLEXIA)
    assert sorted(disease_names(response)) == ["Alpha syndrome", "Beta syndrome", "Gamma disease"]
    rows = rows_by_disease(response)
    short = Frequency.short_labels()
    assert rows["Beta syndrome"].startswith(short[Frequency.FREQUENT])
    assert rows["Gamma disease"].startswith(short[Frequency.FREQUENT])
    assert rows["Alpha syndrome"].startswith(short[Frequency.OCCASIONAL])
    assert "3 diseases list Areflexia as a symptom" in element_text(response, "disease-count")


def test_diseases_are_listed_most_frequent_first_then_by_name(client, with_diseases):
    zeta = Disease.objects.create(name="Zeta syndrome")
    make_annotation(zeta, with_diseases, Frequency.OBLIGATE, "HP:0040280")
    make_annotation(Disease.objects.create(name="Aardvark disease"), with_diseases, Frequency.UNKNOWN)
    assert disease_names(client.get(AREFLEXIA)) == [
        "Zeta syndrome",
        "Beta syndrome",
        "Gamma disease",
        "Alpha syndrome",
        "Aardvark disease",
    ]


def test_diseases_link_to_their_pages(client, with_diseases):
    html = client.get(AREFLEXIA).content.decode()
    beta = Disease.objects.get(name="Beta syndrome")
    assert f'<a href="{beta.get_absolute_url()}">Beta syndrome</a>' in html


def test_raw_frequency_is_shown_only_when_it_adds_to_the_group(client, with_diseases):
    rows = rows_by_disease(client.get(AREFLEXIA))
    assert "3 of 8 people" in rows["Beta syndrome"]
    assert "1 of 6" not in rows["Beta syndrome"]  # a less frequent statement, not the one shown
    assert "HP:0040282" not in rows["Gamma disease"] and "Reported" not in rows["Gamma disease"]
    assert "Reported" not in rows["Alpha syndrome"]


def test_not_rows_are_kept_out_of_the_list_and_shown_apart(client, with_diseases):
    response = client.get(AREFLEXIA)
    assert "Delta disease" not in disease_names(response)
    not_seen = element_text(response, "not-seen")
    assert "Diseases where it is not seen" in not_seen
    assert "Delta disease" in not_seen
    assert "Beta syndrome" not in not_seen


def test_a_disease_with_both_a_not_row_and_a_positive_row_is_listed_only_as_having_it(client, with_diseases):
    make_annotation(Disease.objects.get(name="Beta syndrome"), with_diseases, negated=True)
    response = client.get(AREFLEXIA)
    assert "Beta syndrome" in disease_names(response)
    assert "Beta syndrome" not in element_text(response, "not-seen")


def test_rows_that_are_not_symptoms_are_not_listed(client, with_diseases):
    assert "Epsilon disease" not in page_text(client.get(AREFLEXIA))


def test_a_term_no_disease_has_says_so(client, areflexia):
    response = client.get(AREFLEXIA)
    assert "No disease lists this term as a symptom" in page_text(response)
    assert 'id="not-seen"' not in response.content.decode()


@pytest.fixture
def many_diseases(areflexia):
    """120 diseases: Disease 000 to 119, all with the same group, so the list is by name."""
    diseases = add_diseases(f"Disease {n:03}" for n in range(120))
    source = hpo_source()
    Annotation.objects.bulk_create(
        Annotation(
            disease=disease,
            phenotype=areflexia,
            frequency=Frequency.FREQUENT,
            source=source,
            import_ref=f"many-{n}-{k}",
        )
        for n, disease in enumerate(diseases)
        for k in range(2)  # each stated twice: still listed once
    )
    return diseases


def test_diseases_are_paginated_fifty_a_page(client, many_diseases):
    first = client.get(AREFLEXIA)
    assert disease_names(first) == [f"Disease {n:03}" for n in range(50)]
    assert "120 diseases list Areflexia as a symptom; showing 1 to 50" in element_text(first, "disease-count")
    assert "Page 1 of 3" in page_text(first)
    assert 'href="?page=2#diseases" rel="next"' in first.content.decode()
    last = client.get(AREFLEXIA, {"page": 3})
    assert disease_names(last) == [f"Disease {n:03}" for n in range(100, 120)]
    assert 'href="?page=2#diseases" rel="prev"' in last.content.decode()


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("abc", "Disease 000"),
        ("-1", "Disease 100"),
        ("0", "Disease 100"),
        ("99999", "Disease 100"),
        ("", "Disease 000"),
    ],
)
def test_bad_page_numbers_give_a_normal_page(client, many_diseases, page, shown):
    response = client.get(AREFLEXIA, {"page": page})
    assert response.status_code == 200
    assert disease_names(response)[0] == shown


# -- other IDs, obsolete terms, unknown IDs -----------------------------------------------


def test_alt_id_redirects_to_the_current_term(client, areflexia):
    response = client.get("/symptoms/HP:0001314/")
    assert response.status_code in (301, 302)
    assert response["Location"] == AREFLEXIA
    assert client.get("/symptoms/HP:0001314/", follow=True).status_code == 200


def test_lower_case_id_redirects_to_the_canonical_url(client, areflexia):
    response = client.get("/symptoms/hp:0001284/")
    assert response.status_code in (301, 302)
    assert response["Location"] == AREFLEXIA


def test_redirect_keeps_the_page_number(client, areflexia):
    assert client.get("/symptoms/hp:0001284/", {"page": "2"})["Location"] == AREFLEXIA + "?page=2"


def test_obsolete_term_says_so_and_links_its_replacement(client, db):
    make_term("HP:0000315", "Abnormality of the orbital region")
    make_term("HP:0000284", "obsolete Abnormality of the ocular region", is_obsolete=True, replaced_by="HP:0000315")
    response = client.get("/symptoms/HP:0000284/")
    assert response.status_code == 200
    notice = element_text(response, "obsolete")
    assert "This term is obsolete" in notice
    assert "Abnormality of the orbital region (HP:0000315)" in notice
    assert 'href="/symptoms/HP:0000315/"' in response.content.decode()


def test_obsolete_term_whose_replacement_is_unknown_names_it_without_a_broken_link(client, db):
    make_term("HP:0000284", "obsolete Abnormality of the ocular region", is_obsolete=True, replaced_by="HP:0000315")
    response = client.get("/symptoms/HP:0000284/")
    assert "HP:0000315" in element_text(response, "obsolete")
    assert 'href="/symptoms/HP:0000315/"' not in response.content.decode()


def test_current_term_does_not_say_obsolete(client, areflexia):
    assert 'id="obsolete"' not in client.get(AREFLEXIA).content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/symptoms/HP:9999999/",
        "/symptoms/nonsense/",
        "/symptoms/HP:123/",
        "/symptoms/HP:00012840/",
        "/symptoms/HP:0001284x/",
        "/symptoms/OMIM:203800/",
        "/symptoms/%3Cscript%3E/",
    ],
)
def test_unknown_and_malformed_ids_give_a_404(client, areflexia, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in page_text(response)


# -- queries ------------------------------------------------------------------------------


def add_diseases_with(phenotype, number: int, prefix: str):
    for n in range(number):
        disease = Disease.objects.create(name=f"{prefix} {n}")
        make_annotation(disease, phenotype, Frequency.values[n % len(Frequency.values)], f"{n % 3}/3")
        make_annotation(disease, phenotype, Frequency.UNKNOWN)
        make_annotation(Disease.objects.create(name=f"{prefix} not {n}"), phenotype, negated=True)
    for n in range(number):
        make_term(f"HP:{9000000 + len(prefix) * 1000 + n:07}", f"{prefix} child {n}", parents=[phenotype])
        PhenotypeSynonym.objects.create(phenotype=phenotype, name=f"{prefix} name {n}", layperson=bool(n % 2))


def test_query_count_does_not_grow_with_diseases_names_or_children(client, db):
    small, large = make_term("HP:0000010", "Small"), make_term("HP:0000020", "Large")
    add_diseases_with(small, 2, "Few")
    add_diseases_with(large, 60, "Many")
    assert count_queries(client, "/symptoms/HP:0000010/") == count_queries(client, "/symptoms/HP:0000020/")


def test_query_count_is_locked(client, with_diseases, django_assert_num_queries):
    add_diseases_with(with_diseases, 30, "More")
    # the content generation (gard/cache.py); the term; its other names, parents, children, organ systems;
    # the number of diseases; one page of diseases by group; their statements (+disease); the diseases where
    # it is not seen.
    with django_assert_num_queries(10):
        client.get(AREFLEXIA)
    with django_assert_num_queries(10):
        client.get(AREFLEXIA, {"page": "2"})
