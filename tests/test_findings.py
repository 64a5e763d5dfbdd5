"""Summary of findings and "Why this grade": what the views compute, what the pages show, what the export holds.

The minimal fixture's claim 'ldn-fibromyalgia-pain' has two outcomes (pain, with numbers; adverse events, narrative)
and GRADE inputs that compute low (start high, risk of bias and inconsistency each down one level).
"""

import json

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, TEMPLATES, built_pages, run_cli

from ldnsite.content.load import load_database
from ldnsite.content.model import Grade
from ldnsite.plan.site import plan_site
from ldnsite.plan.views import Link


@pytest.fixture(scope="module")
def pages():
    db, problems = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")
    assert db is not None, [str(p) for p in problems]
    return built_pages(plan_site(db)[0])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("findings") / "build"
    result = run_cli("build", "--project", FIXTURES / "minimal", "--templates", TEMPLATES, "--out", out, "--no-search", "--strict")
    assert result.exit_code == 0, result.output
    return out


def soup(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_an_outcome_row_gives_the_generated_sentence_the_numbers_in_words_and_its_sources(pages):
    pain, events = pages["claims/ldn-fibromyalgia-pain.html"].view.outcomes
    assert (pain.statement, pain.effect, pain.size, pain.sources) == (
        "LDN may result in little or no difference to pain", "MD -0.34 (95% CI -0.95 to 0.27)", "99 (1 study)",
        (Link("Poe 2024", "sources/trial2024.html"),))
    assert (events.statement, events.effect, events.size, events.measure_label) == (
        "The evidence is very uncertain about the effect of LDN on adverse events", "", "31 (1 study)",
        "No pooled number (narrative result)")


def test_a_condition_lists_the_outcomes_of_its_claims_in_claim_order_each_with_its_claim(pages):
    rows = pages["conditions/fibromyalgia.html"].view.outcomes
    assert [(row.outcome.name, row.claim_path) for row in rows] == [
        ("Pain", "claims/ldn-fibromyalgia-pain.html"), ("Adverse events", "claims/ldn-fibromyalgia-pain.html")]
    assert pages["conditions/alcohol-dependence.html"].view.outcomes == ()


def test_why_this_grade_runs_from_the_start_through_every_domain_to_the_computed_result(pages):
    why = pages["claims/ldn-fibromyalgia-pain.html"].view.why_grade
    assert (why.start, why.result, why.differs) == (Grade.HIGH, Grade.LOW, False)
    assert [(step.label, step.change) for step in why.steps] == [
        ("Risk of bias", -1), ("Inconsistency", -1), ("Indirectness", 0), ("Imprecision", 0), ("Publication bias", 0)]


def test_the_claim_page_shows_a_real_accessible_summary_of_findings_table(site):
    page = soup(site, "claims/ldn-fibromyalgia-pain.html")
    table = page.find("table", class_="sof")
    assert table.caption.get_text(strip=True) == "Summary of findings: Low-dose naltrexone reduces fibromyalgia pain"
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == [
        "Outcome", "What the evidence says", "Effect (95% CI)", "Participants (studies)", "Certainty", "Sources"]
    assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))
    rows = table.tbody.find_all("tr")
    assert [row.th.get("scope") for row in rows] == ["row", "row"]
    cells = [" ".join(td.get_text(" ").split()) for td in rows[0].find_all("td")]
    assert cells == ["LDN may result in little or no difference to pain",
                     "MD -0.34 (95% CI -0.95 to 0.27) Mean difference, points on a 0-10 pain scale",
                     "99 (1 study)", "⊕⊕◯◯ Low certainty", "Poe 2024"]
    assert rows[0].find_all("td")[-1].a["href"] == "../sources/trial2024.html"
    assert [tag for tag in table.find_all(True) if tag.has_attr("role")] == []


def test_the_condition_page_table_adds_a_column_linking_each_outcome_to_its_claim(site):
    table = soup(site, "conditions/fibromyalgia.html").find("section", class_="findings").find("table", class_="sof")
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")][:2] == ["Outcome", "Claim"]
    assert [row.find("td").a["href"] for row in table.tbody.find_all("tr")] == ["../claims/ldn-fibromyalgia-pain.html"] * 2
    assert soup(site, "conditions/alcohol-dependence.html").find("table", class_="sof") is None


def test_the_claim_page_says_why_this_grade_step_by_step(site):
    section = soup(site, "claims/ldn-fibromyalgia-pain.html").find("section", class_="why-grade")
    assert section.find(["h2", "h3"]).get_text(strip=True) == "Why this grade"
    steps = [" ".join(li.get_text(" ").split()) for li in section.find_all("li")]
    assert steps == [
        "Start: High (randomized trials, systematic reviews and drug labels start high).",
        "Risk of bias: serious concerns , down one level. The positive trial was small and single-blind.",
        "Inconsistency: serious concerns , down one level. The small trial was positive, the larger one null.",
        "Indirectness: no serious concerns , no change. Adults with fibromyalgia, the usual LDN dose.",
        "Imprecision: no serious concerns , no change. The larger trial's interval excludes a large benefit.",
        "Publication bias: no serious concerns , no change. No sign of missing trials.",
        "Result: ⊕⊕◯◯ Low certainty",
    ]


def test_condition_pages_show_why_this_grade_only_on_the_claims_own_page(site):
    assert soup(site, "conditions/fibromyalgia.html").find("section", class_="why-grade") is None


def test_the_export_holds_each_outcome_with_its_generated_statement_and_the_grading_with_its_result(site):
    claims = {c["id"]: c for c in json.loads((site / "api" / "claims.json").read_text(encoding="utf-8"))}
    pain = claims["ldn-fibromyalgia-pain"]
    first = pain["outcomes"][0]
    assert {key: first[key] for key in ("name", "measure", "estimate", "ci", "participants", "studies", "certainty", "statement")} == {
        "name": "Pain", "measure": "MD", "estimate": -0.34, "ci": [-0.95, 0.27], "participants": 99, "studies": 1,
        "certainty": "low", "statement": "LDN may result in little or no difference to pain"}
    assert pain["outcomes"][1]["estimate"] is None and pain["outcomes"][1]["ci"] is None
    assert (pain["grading"]["start"], pain["grading"]["risk_of_bias"]["rating"], pain["grading"]["computed"]) == ("high", "serious", "low")
    assert claims["naltrexone-alcohol-approved"]["outcomes"] == []
