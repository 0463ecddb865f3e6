import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from gard.importers.documents import ParseError, parse_encyclopedia, parse_gard, parse_ghr
from gard.importers.fixtures import FIXTURE_NAME, render_fixture

DOCUMENTS = settings.DOCUMENTS_DIR
GARD = "000_3fe831eb7951d649.txt"
ENCYCLOPEDIA = "001_69f96af185ef283c.txt"
GHR = "002_69eb9248aeb78033.txt"


def test_rebuild_is_byte_identical_to_the_committed_fixture(tmp_path):
    output = tmp_path / FIXTURE_NAME
    call_command("build_fixtures", output=output, verbosity=0)
    assert output.read_bytes() == (settings.FIXTURES_DIR / FIXTURE_NAME).read_bytes()


def test_two_builds_are_identical():
    assert render_fixture(DOCUMENTS) == render_fixture(DOCUMENTS)


def test_project_keeps_the_source_documents_byte_for_byte():
    seeds = Path(settings.BASE_DIR).parent / "shared" / "seeds"
    for name in (GARD, ENCYCLOPEDIA, GHR):
        assert (DOCUMENTS / name).exists()
        if (seeds / name).exists():
            assert (DOCUMENTS / name).read_bytes() == (seeds / name).read_bytes()


def _copy_with_line(tmp_path, name, after_line, text) -> Path:
    lines = (DOCUMENTS / name).read_text(encoding="utf-8").splitlines()
    lines.insert(after_line, text)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_unknown_line_in_the_symptom_table_fails_with_file_and_line(tmp_path):
    # After "Ataxia 0001251" (line 24) comes a line that is neither a term nor an ID.
    path = _copy_with_line(tmp_path, GARD, 24, "[ more ]")
    with pytest.raises(ParseError) as error:
        parse_gard(path)
    assert error.value.path.name == GARD
    assert error.value.line == 25
    assert f"{GARD}, line 25" in str(error.value)


def test_unknown_frequency_group_fails(tmp_path):
    path = _copy_with_line(tmp_path, GARD, 52, "33%-66% of people have these symptoms")
    with pytest.raises(ParseError, match="line 53: unknown frequency group '33%-66%'"):
        parse_gard(path)


def test_term_count_must_match_what_the_table_announces(tmp_path):
    path = _copy_with_line(tmp_path, GARD, 54, "Deafness 0000365")
    with pytest.raises(ParseError, match="announces 43 terms but lists 44"):
        parse_gard(path)


def test_unknown_resource_fails(tmp_path):
    path = _copy_with_line(tmp_path, GARD, 130, "  • Some Other Registry keeps a list of things.")
    with pytest.raises(ParseError, match="line 131: unknown resource"):
        parse_gard(path)


def test_text_after_the_references_fails(tmp_path):
    path = _copy_with_line(tmp_path, GARD, 188, "Cookie settings")
    with pytest.raises(ParseError, match="line 189: text after the references"):
        parse_gard(path)


def test_encyclopedia_sentence_without_a_section_fails(tmp_path):
    text = (DOCUMENTS / ENCYCLOPEDIA).read_text(encoding="utf-8").rstrip() + " Its logo is blue.\n"
    path = tmp_path / ENCYCLOPEDIA
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError, match="line 1: no section for the sentence 'Its logo is blue.'"):
        parse_encyclopedia(path)


def test_unknown_question_on_a_genetics_home_reference_page_fails(tmp_path):
    path = _copy_with_line(tmp_path, GHR, 16, "Who funds research on Alström syndrome?")
    with pytest.raises(ParseError, match="line 17: unknown question"):
        parse_ghr(path)


def test_build_command_reports_parse_errors_and_writes_nothing(tmp_path):
    documents = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, documents)
    _copy_with_line(documents, GARD, 24, "[ more ]")
    output = tmp_path / FIXTURE_NAME
    with pytest.raises(CommandError, match=f"{GARD}, line 25"):
        call_command("build_fixtures", documents=documents, output=output, verbosity=0)
    assert not output.exists()
