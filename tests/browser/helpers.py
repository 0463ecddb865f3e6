"""What the browser tests share besides fixtures: the HPO sample's files, the kinds of page to visit,
screenshots for people to look at, and axe-core's verdict on a page."""

from pathlib import Path

from django.conf import settings

HPO_SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "hpo_sample"
OPEN_DATA = Path(settings.BASE_DIR) / "fixtures" / "open_data"
SCREENSHOTS = Path(settings.BASE_DIR) / "build" / "screenshots"

# One page of each kind, with the status it answers: checked with axe-core and at a phone's width.
PAGES = {
    "home": ("/", 200),
    "search results": ("/search/?q=alstrom", 200),
    "A-Z letter": ("/diseases/letter/A/", 200),
    "Alpers syndrome": ("/diseases/alpers-syndrome/", 200),
    "Alström syndrome": ("/diseases/alstrom-syndrome/", 200),
    "Renu syndrome (the largest page)": ("/diseases/renu-syndrome/", 200),
    "Cystic fibrosis (open data at the top)": ("/diseases/cystic-fibrosis/", 200),
    "Ehlers-Danlos syndrome (a group page)": ("/diseases/ehlers-danlos-syndrome/", 200),
    "symptom": ("/symptoms/HP:0001251/", 200),
    "404": ("/diseases/no-such-disease/", 404),
    "symptom finder with terms": ("/finder/?term=HP:0001250&term=HP:0001251&term=HP:0001263", 200),
    "symptom finder with absent terms": ("/finder/?term=HP:0001250&term=HP:0001263&not=HP:0001251", 200),
}


def screenshot(page, name: str):
    """Save a full-page screenshot to build/screenshots/ for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 A and AA violations on the page, one line per rule and element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}: {node['html'][:200]}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]
