"""What fails `make audit` (bench/site_audit.py), decided from the tools' reports without running them."""

from bench.site_audit import Page, crawlable, failures, meant_for_search_engines, robots_rules
from gard.discovery.views import ROBOTS_RULES

PERFECT = {"performance": 40, "accessibility": 100, "best-practices": 100, "seo": 100}


def clean_page(**changes) -> Page:
    page = Page(
        "a disease",
        "/diseases/a/",
        answered=200,
        pa11y={"mobile": [], "desktop": []},
        lighthouse={"mobile": dict(PERFECT), "desktop": dict(PERFECT)},
    )
    for name, value in changes.items():
        setattr(page, name, value)
    return page


def test_a_page_with_perfect_gated_scores_passes_whatever_its_performance():
    assert failures(clean_page()) == []


def test_any_nu_error_fails_but_its_info_messages_and_warnings_do_not():
    info = {"type": "info", "subType": "warning", "message": "Consider adding a lang attribute"}
    assert failures(clean_page(nu=[info])) == []
    error = {"type": "error", "message": "Stray end tag div"}
    assert failures(clean_page(nu=[info, error])) == ["1 Nu error(s)"]


def test_any_pa11y_error_fails_but_its_warnings_and_notices_do_not():
    warning = {"type": "warning", "code": "WCAG2AA.Principle1"}
    error = {"type": "error", "code": "color-contrast", "runner": "axe"}
    assert failures(clean_page(pa11y={"mobile": [warning], "desktop": []})) == []
    assert failures(clean_page(pa11y={"mobile": [warning, error], "desktop": []})) == [
        "1 pa11y error(s) (mobile: axe color-contrast x1)"
    ]


def test_pa11y_failing_to_run_on_a_page_fails_it():
    assert failures(clean_page(pa11y={"mobile": {"error": "timed out"}, "desktop": []})) == [
        "1 pa11y error(s) (mobile: pa11y timed out x1)"
    ]


def test_a_gated_lighthouse_category_below_100_or_not_scored_fails():
    lighthouse = {
        "mobile": {**PERFECT, "accessibility": 98, "failing": {"accessibility": ["target-size"]}},
        "desktop": {**PERFECT, "best-practices": None, "error": "NO_NAVSTART"},
    }
    assert failures(clean_page(lighthouse=lighthouse)) == [
        "Lighthouse accessibility 98 (mobile: target-size)",
        "Lighthouse best-practices None (desktop: NO_NAVSTART)",
    ]


def test_seo_below_100_fails_an_indexed_page_only():
    lighthouse = {"mobile": {**PERFECT, "seo": 66}, "desktop": {**PERFECT, "seo": 66}}
    assert failures(clean_page(lighthouse=lighthouse)) == [
        "Lighthouse seo 66 (mobile: not scored)",
        "Lighthouse seo 66 (desktop: not scored)",
    ]
    assert failures(clean_page(lighthouse=lighthouse, indexed=False)) == []


def test_a_page_answering_another_status_than_expected_fails():
    assert failures(clean_page(answered=500)) == ["answered 500, not 200"]
    assert failures(clean_page(status=404, answered=404)) == []


def error_page_scores(console_errors: list, failing: list) -> dict:
    scores = {**PERFECT, "best-practices": 96, "failing": {"best-practices": failing}, "console_errors": console_errors}
    return {"mobile": scores, "desktop": dict(PERFECT)}


def test_the_404_page_is_not_failed_for_chrome_logging_its_own_status_as_a_console_error():
    own = {"source": "network", "url": "http://127.0.0.1:8000/diseases/nope/"}
    page = clean_page(path="/diseases/nope/", status=404, answered=404)
    page.lighthouse = error_page_scores([own], ["errors-in-console"])
    assert failures(page) == []
    # Another console error, or another failing audit, still fails it.
    script = {"source": "javascript", "url": "http://127.0.0.1:8000/static/site.js"}
    page.lighthouse = error_page_scores([own, script], ["errors-in-console"])
    assert failures(page) == ["Lighthouse best-practices 96 (mobile: errors-in-console)"]
    page.lighthouse = error_page_scores([own], ["errors-in-console", "deprecations"])
    assert failures(page) == ["Lighthouse best-practices 96 (mobile: errors-in-console, deprecations)"]


def test_a_page_meant_to_answer_200_is_failed_for_its_own_status_logged_in_the_console():
    own = {"source": "network", "url": "http://127.0.0.1:8000/diseases/a/"}
    page = clean_page(lighthouse=error_page_scores([own], ["errors-in-console"]))
    assert failures(page) == ["Lighthouse best-practices 96 (mobile: errors-in-console)"]


def test_robots_txt_rules_as_search_engines_read_them():
    rules = robots_rules(ROBOTS_RULES)
    assert not crawlable(rules, "/search/?q=alstrom")
    assert not crawlable(rules, "/diseases/renu-syndrome/?q=seizure&frequency=frequent")
    assert crawlable(rules, "/diseases/renu-syndrome/")
    assert not crawlable(rules, "/finder/?term=HP:0001250")
    assert crawlable(rules, "/finder/")
    # The longer Allow wins over the shorter Disallow.
    assert crawlable(rules, "/diseases/letter/A/?page=2")
    # Rules for another crawler only are not the ones every crawler follows.
    assert crawlable(robots_rules("User-agent: OtherBot\nDisallow: /\n"), "/diseases/a/")


def test_a_noindex_tag_or_robots_txt_makes_a_page_not_meant_for_search_engines():
    rules = robots_rules(ROBOTS_RULES)
    assert meant_for_search_engines("<head><title>A</title></head>", rules, "/diseases/a/")
    assert not meant_for_search_engines('<meta name="robots" content="noindex">', rules, "/diseases/nope/")
    assert not meant_for_search_engines("<title>Results</title>", rules, "/search/?q=a")
