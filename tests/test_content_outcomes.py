"""Every outcome's numbers in content/ come from its cited sources: the estimate and both CI bounds appear in the
source record's `finding` or in the claim's citation `finding` for that source (the content format, section 2).

A number is matched as it is written (0.9 as 0.9 or 0.90), with its sign: -3.89 needs a hyphen or minus sign before
it, and 0.83 does not match inside 10.83.
"""

import re

import pytest
from conftest import FIXTURES, REPO

from ldnsite.content.load import load_database
from ldnsite.content.model import Citation, Claim, Effect, Grade, Measure, Outcome, Role, Source, SourceKind

def number_in(text: str, value: float) -> bool:
    """Whether ``value`` is written in ``text`` (0.9 as 0.9 or 0.90; -3.89 with a hyphen or a minus sign)."""
    forms = {f"{abs(value)}", f"{abs(value):.1f}", f"{abs(value):.2f}", f"{abs(value):.3f}", f"{abs(value):g}"}
    end = r"(?![\d]|\.\d)"
    if value < 0:
        return any(re.search(rf"(?:-|−|–)\s?{re.escape(form)}{end}", text) for form in forms)
    return any(re.search(rf"(?<![-−–\d])(?<![\d.]){re.escape(form)}{end}", text) for form in forms)


def test_number_in_reads_numbers_as_written():
    assert number_in("RR 0.83 (95% CI 0.76 to 0.90)", 0.9)
    assert number_in("MD -3.89 (95% CI −5.75 to -2.04)", -5.75)
    assert not number_in("RR 0.96 (95% CI 0.92 to 1.00)", 0.9)
    assert not number_in("MD -3.89", 3.89)
    assert not number_in("RR 10.83", 0.83)
    assert not number_in("RR 1.06", 1.0)
    assert number_in("RR 0.96 (95% CI 0.92 to 1.00)", 1.0)


def unsourced_numbers(claim: Claim, sources: dict[str, Source]) -> list[str]:
    """Return, for each outcome of ``claim``, every estimate or CI bound that none of its sources' findings states."""
    findings = {c.id: c.finding or "" for c in claim.sources}
    missing = []
    for outcome in claim.outcomes:
        if outcome.estimate is None:
            continue
        written = " | ".join(f"{sources[sid].finding or ''} | {findings.get(sid, '')}" for sid in outcome.sources)
        for name, value in (("estimate", outcome.estimate), ("CI low", outcome.ci[0]), ("CI high", outcome.ci[1])):
            if not number_in(written, value):
                missing.append(f"{claim.id}: outcome '{outcome.name}': {name} {value} is in no finding of {', '.join(outcome.sources)}")
    return missing


@pytest.mark.parametrize("project", [REPO, FIXTURES / "minimal"], ids=["content", "minimal"])
def test_every_outcome_number_is_written_in_a_finding_of_its_sources(project):
    db, problems = load_database(project / "content", project)
    assert db is not None, [str(p) for p in problems]
    sources = {s.id: s for s in db.sources}
    assert [line for claim in db.claims for line in unsourced_numbers(claim, sources)] == []
    assert sum(1 for claim in db.claims for outcome in claim.outcomes if outcome.estimate is not None) >= 1


def test_a_number_that_no_finding_states_is_reported():
    source = Source(id="trial2020", kind=SourceKind.RANDOMIZED_TRIAL, title="A trial", verified="test",
                    finding="Pain fell by 0.34 points more than on placebo (MD -0.34, 95% CI -0.95 to 0.27).")
    outcome = Outcome(name="Pain", intervention="LDN", measure=Measure.MD, participants=99, studies=1, sources=("trial2020",),
                      effect=Effect.LITTLE_OR_NO_DIFFERENCE, certainty=Grade.LOW, estimate=-0.34, ci=(-0.95, 0.72))
    claim = Claim(id="c", title="t", statement="s", status="off-label", grade=Grade.LOW, direction="mixed", verdict="uncertain",
                  sources=(Citation(id="trial2020", role=Role.SUPPORTS),), reviewed="2024-01-01", outcomes=(outcome,))
    assert unsourced_numbers(claim, {"trial2020": source}) == [
        "c: outcome 'Pain': CI high 0.72 is in no finding of trial2020"]
    cited = Claim(**{**{f: getattr(claim, f) for f in ("id", "title", "statement", "status", "grade", "direction", "verdict",
                                                          "reviewed", "outcomes")},
                     "sources": (Citation(id="trial2020", role=Role.SUPPORTS, finding="CI -0.95 to 0.72"),)})
    assert unsourced_numbers(cited, {"trial2020": source}) == []
