"""Every outcome's numbers in content/ come from its cited sources: the estimate and both CI bounds appear in the
source record's `finding` or in the claim's citation `finding` for that source (the content format, section 2).

Numbers are compared as values, not as text, so '1.10' in a finding matches 1.1 in an outcome, and the sign is left
to the wording ('0.34 points lower' gives -0.34).
"""

import re

import pytest
from conftest import FIXTURES, REPO

from ldnsite.content.load import load_database
from ldnsite.content.model import Citation, Claim, Effect, Grade, Measure, Outcome, Role, Source, SourceKind

_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")


def numbers_in(text: str) -> set[float]:
    """Return every number written in ``text``, as a value."""
    return {float(match) for match in _NUMBER.findall(text)}


def unsourced_numbers(claim: Claim, sources: dict[str, Source]) -> list[str]:
    """Return, for each outcome of ``claim``, every estimate or CI bound that none of its sources' findings states."""
    findings = {c.id: c.finding or "" for c in claim.sources}
    missing = []
    for outcome in claim.outcomes:
        if outcome.estimate is None:
            continue
        written = set().union(*(numbers_in(f"{sources[sid].finding or ''} {findings.get(sid, '')}") for sid in outcome.sources))
        for name, value in (("estimate", outcome.estimate), ("CI low", outcome.ci[0]), ("CI high", outcome.ci[1])):
            if abs(value) not in written:
                missing.append(f"{claim.id}: outcome '{outcome.name}': {name} {value} is in no finding of {', '.join(outcome.sources)}")
    return missing


@pytest.mark.parametrize("project", [REPO, FIXTURES / "minimal"], ids=["content", "minimal"])
def test_every_outcome_number_is_written_in_a_finding_of_its_sources(project):
    db, problems = load_database(project / "content", project)
    assert db is not None, [str(p) for p in problems]
    sources = {s.id: s for s in db.sources}
    assert [line for claim in db.claims for line in unsourced_numbers(claim, sources)] == []


def test_a_number_that_no_finding_states_is_reported():
    source = Source(id="trial2020", kind=SourceKind.RANDOMIZED_TRIAL, title="A trial", verified="test",
                    finding="Pain fell by 0.34 points more than on placebo (95% CI 0.95 lower to 0.27 higher).")
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
