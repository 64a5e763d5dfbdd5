"""Invariants of the real claims database (content/): what a careful reviewer would check by hand.

Where ../shared/ sits beside the repository (a developer's machine and CI), the sources are also
checked against the verified bibliography and the seed articles themselves.
"""

import re

import pytest
import yaml

from conftest import REPO, run_cli
from ldnsite.load import load_database
from ldnsite.model import Role, SourceKind, Status, Verdict

SHARED = REPO.parent / "shared"
BIBLIOGRAPHY = SHARED / "reference" / "bibliography.yaml"
SEEDS = SHARED / "seeds"
needs_shared = pytest.mark.skipif(not BIBLIOGRAPHY.is_file(), reason="../shared/ (verified bibliography and seeds) is not beside the repository")

DB, PROBLEMS = load_database(REPO / "content", REPO)


def test_content_passes_strict_check():
    result = run_cli("check", "--project", REPO, "--strict")
    assert result.exit_code == 0, result.output


def test_every_cited_source_exists_and_every_source_is_cited():
    ids = {s.id for s in DB.sources}
    cited = {c.id for claim in DB.claims for c in claim.sources}
    assert cited - ids == set()
    assert ids - cited == set()


def test_no_low_dose_claim_is_in_the_fda_approved_tier():
    for claim in DB.claims:
        if claim.status is Status.FDA_APPROVED and claim.dose:
            low = float(re.match(r"[0-9.]+", claim.dose).group())
            assert low >= 10, f"{claim.id}: dose {claim.dose} in the FDA-approved tier"
        if claim.status is Status.FDA_APPROVED:
            assert not re.search(r"\bLDN\b|low-dose|low dose", claim.title, re.IGNORECASE), claim.id


def test_fda_approved_claims_are_supported_by_a_label_or_approval():
    for claim in DB.claims:
        if claim.status is Status.FDA_APPROVED:
            kinds = {DB_SOURCES[c.id].kind for c in claim.sources if c.role is Role.SUPPORTS}
            assert kinds & {SourceKind.REGULATORY_LABEL, SourceKind.REGULATORY_APPROVAL}, claim.id
            assert claim.verdict is Verdict.SUPPORTED, claim.id


DB_SOURCES = {s.id: s for s in DB.sources}


def test_the_approved_uses_of_standard_dose_naltrexone_are_covered():
    approved = " ".join(c.title.lower() for c in DB.claims if c.status is Status.FDA_APPROVED)
    for words in ("alcohol", "block", "injection", "relapse", "weight"):
        assert words in approved, words


def test_ldn_has_no_approved_use_and_is_compounded():
    claim = next(c for c in DB.claims if c.id == "ldn-no-fda-approved-use")
    assert claim.status is not Status.FDA_APPROVED
    assert "compounding" in claim.statement


def test_negative_trials_are_cited_against_the_benefit_claims():
    fibro = next(c for c in DB.claims if c.id == "ldn-fibromyalgia-pain")
    roles = {c.id: c.role for c in fibro.sources}
    assert roles["bruun2024"] is Role.CONTRADICTS
    assert roles["painrep2023-fm-crossover"] is Role.CONTRADICTS
    assert roles["rassimariani2024"] is Role.CONTRADICTS
    assert fibro.verdict is not Verdict.SUPPORTED


def test_withdrawal_claim_is_contradicted_by_the_label():
    claim = next(c for c in DB.claims if c.id == "naltrexone-prevents-withdrawal-methadone")
    assert claim.verdict is Verdict.CONTRADICTED
    assert ("label-naltrexone-tablets", Role.CONTRADICTS) in {(c.id, c.role) for c in claim.sources}


@pytest.mark.parametrize("condition", [
    "multiple-sclerosis", "crohns-disease", "lupus", "rheumatoid-arthritis", "fibromyalgia", "crps", "neuropathic-pain",
    "arthritis-pain", "depression", "anxiety", "ptsd", "cancer", "irritable-bowel-syndrome", "alcohol-dependence",
    "opioid-dependence", "weight", "safety", "how-ldn-works",
])
def test_every_condition_named_by_the_seed_articles_has_a_page(condition):
    assert condition in {c.id for c in DB.conditions}


def test_condition_summaries_do_not_overstate_low_certainty():
    for condition in DB.conditions:
        grades = [c.grade for c in DB.claims if DB.claim_condition[c.id] == condition.id and c.status is not Status.FDA_APPROVED]
        if grades and all(g.rank <= 2 for g in grades):
            assert not re.search(r"\b(proven|cures?|definitely)\b", condition.summary, re.IGNORECASE), condition.id


@needs_shared
def test_every_seed_article_is_a_web_article_source_cited_by_claims():
    for seed in sorted(SEEDS.glob("*.txt")):
        sources = [s for s in DB.sources if seed.name in s.verified]
        assert len(sources) == 1, seed.name
        assert sources[0].kind is SourceKind.WEB_ARTICLE
        asserting = [c for c in DB.claims if any(x.id == sources[0].id and x.role is Role.ASSERTS for x in c.sources)]
        assert len(asserting) >= 5, seed.name


@needs_shared
def test_every_quote_from_a_seed_article_is_verbatim():
    texts = {}
    for seed in SEEDS.glob("*.txt"):
        source = next(s for s in DB.sources if seed.name in s.verified)
        texts[source.id] = " ".join(seed.read_text(encoding="utf-8").split())
    for claim in DB.claims:
        for citation in claim.sources:
            if citation.id in texts and citation.quote:
                quote = " ".join(citation.quote.split())
                assert quote in texts[citation.id], f"{claim.id}: quote not found in {citation.id}: {quote[:60]}"


def _bibliography_records() -> dict[str, dict]:
    data = yaml.safe_load(BIBLIOGRAPHY.read_text(encoding="utf-8"))
    records = {}
    for section, items in data.items():
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and "id" in item:
                    records[item["id"]] = item
    return records


@needs_shared
def test_sources_from_the_bibliography_copy_its_identifiers_exactly():
    records = _bibliography_records()
    checked = 0
    for source in DB.sources:
        match = re.match(r"shared/reference/bibliography\.yaml: ([a-z0-9_]+)", source.verified)
        if not match:
            continue
        record = records[match.group(1)]
        checked += 1
        for name in ("pmid", "pmcid", "doi", "dailymed_setid"):
            expected = record.get(name)
            actual = getattr(source, name)
            assert actual == (str(expected) if expected is not None else None), f"{source.id}.{name}"
        if record.get("year") and isinstance(record["year"], int):
            assert (source.year or int(source.date[:4])) == record["year"], source.id
        if record.get("title"):
            assert source.title.rstrip(".") == str(record["title"]).rstrip("."), source.id
    assert checked >= 45


@needs_shared
def test_every_source_says_where_it_was_verified():
    records = _bibliography_records()
    for source in DB.sources:
        match = re.match(r"shared/reference/bibliography\.yaml: ([a-z0-9_]+)", source.verified)
        if match:
            assert match.group(1) in records, source.id
        else:
            assert source.verified.startswith("seed article shared/seeds/"), source.id


def test_every_claim_is_dated_and_cited():
    for claim in DB.claims:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", claim.reviewed)
        assert claim.sources
