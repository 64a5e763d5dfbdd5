"""Each schema.* and load.* problem code, with its exact report line."""

import pytest

from conftest import CONDITION_YAML, OUTCOME_YAML, SOURCE_RCT, check_lines, write_project

CLAIM_FILE = "content/conditions/fibromyalgia.yaml"


def condition_with(old: str, new: str) -> dict[str, str]:
    assert old in CONDITION_YAML
    return {CLAIM_FILE: CONDITION_YAML.replace(old, new)}


def source_with(old: str, new: str) -> dict[str, str]:
    assert old in SOURCE_RCT
    return {"content/sources/trial2020.yaml": SOURCE_RCT.replace(old, new)}


def test_valid_project_has_no_problems(tmp_path):
    assert check_lines(write_project(tmp_path, {})) == []


def test_missing_required_key(tmp_path):
    project = write_project(tmp_path, condition_with("    grade: low\n", ""))
    assert check_lines(project) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain': missing required key 'grade' [schema.required]",
        "    hint: add 'grade:' (GRADE certainty: `high`, `moderate`, `low` or `very-low`. Checked against the designs of the cited sources.)",
    ]


def test_unknown_key_suggests_the_close_one(tmp_path):
    project = write_project(tmp_path, condition_with("    grade: low\n", "    grade: low\n    grdae: low\n"))
    assert check_lines(project) == [
        "content/conditions/fibromyalgia.yaml:12:5: error: claim 'ldn-fibro-pain': unknown key 'grdae' [schema.unknown-key]",
        "    hint: did you mean 'grade'?",
    ]


def test_bad_choice_suggests_the_close_one(tmp_path):
    project = write_project(tmp_path, condition_with("grade: low", "grade: lowx"))
    assert check_lines(project) == [
        "content/conditions/fibromyalgia.yaml:11:12: error: claim 'ldn-fibro-pain': grade 'lowx' is not one of high, moderate, low, very-low [schema.choice]",
        "    hint: did you mean 'low'?",
    ]


def test_wrong_type_for_text(tmp_path):
    project = write_project(tmp_path, condition_with("title: LDN reduces pain", "title: 1984"))
    assert check_lines(project) == [
        "content/conditions/fibromyalgia.yaml:8:12: error: claim 'ldn-fibro-pain': title must be text, found a number (1984) [schema.type]",
        "    hint: put the value in quotes if it is meant as text",
    ]


def test_wrong_type_for_list(tmp_path):
    project = write_project(tmp_path, condition_with("    sources:\n      - id: trial2020\n        role: supports\n", "    sources: trial2020\n"))
    lines = check_lines(project)
    assert lines[0] == ("content/conditions/fibromyalgia.yaml:14:14: error: claim 'ldn-fibro-pain': sources must be a list, "
                        "found text 'trial2020' [schema.type]")


def test_file_that_is_a_list_instead_of_a_mapping(tmp_path):
    project = write_project(tmp_path, {"content/sources/trial2020.yaml": "- id: trial2020\n"})
    assert check_lines(project)[0] == (
        "content/sources/trial2020.yaml:1:1: error: source: expected a mapping of keys to values, found a list [schema.type]")


def test_empty_value(tmp_path):
    project = write_project(tmp_path, condition_with("title: LDN reduces pain", "title:"))
    assert check_lines(project) == [
        "content/conditions/fibromyalgia.yaml:8:11: error: claim 'ldn-fibro-pain': title is empty [schema.empty]",
        "    hint: give a value (short name of the claim, as a reader would ask it.)",
    ]


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("id: ldn-fibro-pain", "id: LDN_Fibro", "content/conditions/fibromyalgia.yaml:7:9: error: claim #1: id 'LDN_Fibro' is not valid: expected lowercase letters, digits and single hyphens, like 'fibromyalgia-pain' [schema.id]"),
        ("id: ldn-fibro-pain", "id: ../../etc", "content/conditions/fibromyalgia.yaml:7:9: error: claim #1: id '../../etc' is not valid: expected lowercase letters, digits and single hyphens, like 'fibromyalgia-pain' [schema.id]"),
        ("id: ldn-fibro-pain", "id: ldn-fіbro", "content/conditions/fibromyalgia.yaml:7:9: error: claim #1: id 'ldn-fіbro' is not valid: expected lowercase letters, digits and single hyphens, like 'fibromyalgia-pain' [schema.id]"),
        ("reviewed: 2024-01-01", "reviewed: 2024-02-30", "content/conditions/fibromyalgia.yaml:17:15: error: claim 'ldn-fibro-pain': reviewed '2024-02-30' is not a real calendar date [schema.date]"),
        ("reviewed: 2024-01-01", "reviewed: 01/02/2024", "content/conditions/fibromyalgia.yaml:17:15: error: claim 'ldn-fibro-pain': reviewed '01/02/2024' is not valid: expected a date written YYYY-MM-DD [schema.date]"),
        ("    reviewed: 2024-01-01", "    reviewed: 2024-01-01\n    dose: four mg", "content/conditions/fibromyalgia.yaml:18:11: error: claim 'ldn-fibro-pain': dose 'four mg' is not valid: expected a number or range then its unit, like '4.5 mg', '1-5 mg' or '50 mg once daily' [schema.dose]"),
        ("statement: A trial found less pain.", "statement: A trial <script>alert(1)</script>", "content/conditions/fibromyalgia.yaml:9:16: error: claim 'ldn-fibro-pain': statement contains HTML '<script>' [schema.raw-html]"),
        ("statement: A trial found less pain.", "statement: TODO", "content/conditions/fibromyalgia.yaml:9:16: error: claim 'ldn-fibro-pain': statement still holds the placeholder 'TODO' [schema.todo]"),
    ],
)
def test_claim_field_formats(tmp_path, old, new, line):
    project = write_project(tmp_path, condition_with(old, new))
    assert check_lines(project)[0] == line


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        ("pmid: 'PMID38258677'", "content/sources/trial2020.yaml:6:7: error: source 'trial2020': pmid 'PMID38258677' is not valid: expected a PubMed id of digits only, like '12345678' [schema.pmid]"),
        ("pmcid: '12345'", "content/sources/trial2020.yaml:6:8: error: source 'trial2020': pmcid '12345' is not valid: expected 'PMC' then digits, like 'PMC5298009' [schema.pmcid]"),
        ("doi: https://doi.org/10.1000/x", "content/sources/trial2020.yaml:6:6: error: source 'trial2020': doi 'https://doi.org/10.1000/x' is not valid: expected a DOI starting with '10.', like '10.1002/art.37734', without 'https://doi.org/' [schema.doi]"),
        ("nct: NCT123", "content/sources/trial2020.yaml:6:6: error: source 'trial2020': nct 'NCT123' is not valid: expected 'NCT' then 8 digits, like 'NCT01234567' [schema.nct]"),
        ("url: javascript:alert(1)", "content/sources/trial2020.yaml:6:6: error: source 'trial2020': url 'javascript:alert(1)' is not valid: expected an http:// or https:// address with no spaces [schema.url]"),
        ("dailymed_setid: F3305F0B", "content/sources/trial2020.yaml:6:17: error: source 'trial2020': dailymed_setid 'F3305F0B' is not valid: expected a lowercase set id like 'f3305f0b-fb9e-4009-b28f-47fe9b1b618b' [schema.uuid]"),
        ("participants: many", "content/sources/trial2020.yaml:6:15: error: source 'trial2020': participants must be a whole number, found text 'many' [schema.type]"),
        ("date: 2020-13-01", "content/sources/trial2020.yaml:6:7: error: source 'trial2020': date '2020-13-01' is not a real calendar date [schema.date]"),
    ],
)
def test_source_identifier_formats(tmp_path, extra, line):
    project = write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT + extra + "\n"})
    assert check_lines(project)[0] == line


def test_pmid_may_be_written_as_a_number(tmp_path):
    project = write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT + "pmid: 38258677\n"})
    assert check_lines(project) == []


def test_implicit_date_where_a_year_is_expected(tmp_path):
    project = write_project(tmp_path, source_with("year: 2020", "year: 2020-05-01"))
    assert check_lines(project) == [
        "content/sources/trial2020.yaml:4:7: error: source 'trial2020': year 2020-05-01 was read as a date; expected a year [yaml.implicit-date]",
        "    hint: give only the year, or use 'date:' for a full date",
    ]


def test_implausible_year(tmp_path):
    project = write_project(tmp_path, source_with("year: 2020", "year: 20"))
    assert check_lines(project)[0] == "content/sources/trial2020.yaml:4:7: error: source 'trial2020': year 20 is not a plausible year [schema.year]"


def test_too_long_quote(tmp_path):
    project = write_project(tmp_path, condition_with("        role: supports\n", "        role: supports\n        quote: " + "x" * 301 + "\n"))
    assert check_lines(project)[0] == (
        "content/conditions/fibromyalgia.yaml:17:16: error: claim 'ldn-fibro-pain', source 'trial2020': quote is 301 characters long; the limit is 300 [schema.too-long]")


def test_every_problem_of_a_file_is_reported_in_one_run(tmp_path):
    broken = CONDITION_YAML.replace("grade: low", "grade: lowx").replace("status: off-label", "status: offlabel")
    project = write_project(tmp_path, {CLAIM_FILE: broken, "content/sources/trial2020.yaml": SOURCE_RCT + "nct: 1\n"})
    codes = [line.rsplit("[", 1)[1] for line in check_lines(project) if "[" in line]
    assert codes == ["schema.choice]", "schema.choice]", "schema.type]"]


def test_missing_site_file(tmp_path):
    project = write_project(tmp_path, {"content/site.yaml": None}, base=False)
    write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT}, base=False)
    assert check_lines(project) == [
        "content/site.yaml: error: site settings file is missing [load.missing-site]",
        "    hint: create content/site.yaml; `ldnsite init NEW-FOLDER --intervention NAME` writes a project with one to copy",
    ]


def test_files_that_are_not_content(tmp_path):
    project = write_project(tmp_path, {"content/notes.txt": "hello", "content/sources/x.yml": "a: 1", "content/extra/y.yaml": "a: 1"})
    assert check_lines(project) == [
        "content/extra: error: folder is not part of the content layout [load.unknown-file]",
        "    hint: content/ holds site.yaml, conditions/ and sources/ only",
        "content/notes.txt: error: file is not part of the content layout [load.unknown-file]",
        "    hint: only YAML files (.yaml) belong in content/; move other files elsewhere",
        "content/sources/x.yml: error: file is not part of the content layout [load.unknown-file]",
        "    hint: rename it to 'x.yaml'",
    ]


def test_symlink_pointing_outside_content(tmp_path):
    project = write_project(tmp_path, {})
    (tmp_path / "secret.yaml").write_text("id: secret\n")
    (project / "content" / "sources" / "secret.yaml").symlink_to(tmp_path / "secret.yaml")
    assert check_lines(project) == [
        "content/sources/secret.yaml: error: symbolic links are not allowed in content/ [load.symlink]",
        "    hint: replace the link with a real file",
    ]


def test_an_item_of_a_list_of_texts_is_reported_at_the_item(tmp_path):
    project = write_project(tmp_path, source_with("year: 2020", "year: 2020\nauthors:\n  - Doe J\n  - [Roe, R]"))
    assert check_lines(project) == [
        "content/sources/trial2020.yaml:7:5: error: source 'trial2020': authors item 2 must be text, found a list [schema.type]",
        "    hint: put the value in quotes if it is meant as text",
    ]


def test_too_long_markdown_is_told_to_be_shortened_without_a_notes_hint(tmp_path):
    notes = "    reviewed: 2024-01-01\n    notes: " + "word " * 1300
    project = write_project(tmp_path, condition_with("    reviewed: 2024-01-01", notes))
    assert check_lines(project) == [
        "content/conditions/fibromyalgia.yaml:18:12: error: claim 'ldn-fibro-pain': notes is 6,499 characters long; "
        "the limit is 6,000 [schema.too-long]",
        "    hint: shorten it",
    ]


def test_a_long_value_is_quoted_in_a_message_cut_at_sixty_characters(tmp_path):
    long = "a-very-long-status-value-that-goes-on-and-on-well-past-sixty-chars"
    project = write_project(tmp_path, condition_with("status: off-label", f"status: {long}"))
    assert check_lines(project)[0] == (
        "content/conditions/fibromyalgia.yaml:10:13: error: claim 'ldn-fibro-pain': status "
        f"'{long[:57]}...' is not one of fda-approved, off-label, anecdotal [schema.choice]")


OUTCOME = OUTCOME_YAML
"""One outcome of the base claim, after its grading (line 18); its interval is on line 24."""


def test_an_implausible_year_is_told_how_to_write_one(tmp_path):
    for year in ("1799", "2101"):
        project = write_project(tmp_path / year, source_with("year: 2020", f"year: {year}"))
        assert check_lines(project) == [
            f"content/sources/trial2020.yaml:4:7: error: source 'trial2020': year {year} is not a plausible year [schema.year]",
            "    hint: write four digits, like 2024",
        ]
    for year in ("1800", "2100"):
        assert check_lines(write_project(tmp_path / year, source_with("year: 2020", f"year: {year}"))) == []


def test_an_interval_is_two_numbers_and_each_bound_is_named(tmp_path):
    short = write_project(tmp_path / "short", {CLAIM_FILE: CONDITION_YAML + OUTCOME.replace("[-1.0, 0.1]", "[-1.0]")})
    assert check_lines(short) == [
        "content/conditions/fibromyalgia.yaml:24:13: error: claim 'ldn-fibro-pain', outcome #1: ci must be two numbers "
        "[low, high], found a list of 1 [schema.type]",
        "    hint: write the 95% confidence interval as [low, high], like [-0.95, 0.27]",
    ]
    quoted = write_project(tmp_path / "quoted", {CLAIM_FILE: CONDITION_YAML + OUTCOME.replace("[-1.0, 0.1]", "[-1.0, '0.1']")})
    assert check_lines(quoted) == [
        "content/conditions/fibromyalgia.yaml:24:20: error: claim 'ldn-fibro-pain', outcome #1: ci high bound must be a number, "
        "found text '0.1' [schema.type]",
        "    hint: write the number without quotes, like -0.34 or 1.5",
    ]


def test_an_empty_list_is_told_to_get_an_item_or_go(tmp_path):
    project = write_project(tmp_path, source_with("year: 2020", "year: 2020\nauthors: []"))
    assert check_lines(project) == [
        "content/sources/trial2020.yaml:5:10: error: source 'trial2020': authors is an empty list [schema.empty]",
        "    hint: add at least one item, or remove the key",
    ]


def test_a_text_of_exactly_the_limit_is_accepted(tmp_path):
    project = write_project(tmp_path, condition_with("        role: supports\n", "        role: supports\n        quote: " + "x" * 300 + "\n"))
    assert not [line for line in check_lines(project) if "[schema.too-long]" in line]


def test_html_is_quoted_in_the_message_up_to_forty_characters(tmp_path):
    tag = '<span class="a-class-name-long-enough-to-be-cut">'
    project = write_project(tmp_path, condition_with("statement: A trial found less pain.", f"statement: A trial {tag}x</span>"))
    assert check_lines(project) == [
        f"content/conditions/fibromyalgia.yaml:9:16: error: claim 'ldn-fibro-pain': statement contains HTML '{tag[:40]}' [schema.raw-html]",
        "    hint: write plain text or Markdown; HTML is not allowed in content",
    ]
