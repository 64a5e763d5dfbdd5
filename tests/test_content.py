"""Invariants of the real claims database (content/): what a careful reviewer would check by hand.

Where ../shared/ sits beside the repository (a developer's machine and CI), the sources are also
checked against the verified bibliography and the seed articles themselves.
"""

import re

import pytest
import yaml

from conftest import REPO, run_cli
from ldnsite.content.load import load_database
from ldnsite.content.model import Role, SourceKind, Status, Verdict

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
    listed = {s.id for s in DB.sources if s.kind.is_registration and s.conditions}  # shown under 'Research under way'
    assert cited - ids == set()
    assert ids - cited - listed == set()


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


SEED_SOURCES = {
    "000": "web-naltrexone-450mg-explained",
    "001": "eck2023",
    "002": "web-naltrexone-for-pain",
    "003": "web-ldn-promising-treatment",
    "004": "ross-ldn-basics",
}
"""Which source record each seed article in ../shared/seeds/ is (by the number its file name starts with)."""


@needs_shared
def test_every_quote_from_a_seed_article_is_verbatim():
    texts = {}
    for seed in SEEDS.glob("*.txt"):
        source_id = SEED_SOURCES[seed.name[:3]]
        texts[source_id] = " ".join(seed.read_text(encoding="utf-8").split())
    assert len(texts) == len(SEED_SOURCES)
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


def _bibliography_record(records: dict[str, dict], source) -> dict | None:
    """The bibliography entry of a source: its id with '_' for '-' (painrep2023-fm-crossover -> painrep2023_fm_crossover)."""
    return records.get(source.id.replace("-", "_"))


@needs_shared
def test_sources_from_the_bibliography_copy_its_identifiers_exactly():
    records = _bibliography_records()
    checked = 0
    for source in DB.sources:
        record = _bibliography_record(records, source)
        if record is None:
            continue
        checked += 1
        for name in ("pmid", "pmcid", "doi", "dailymed_setid"):
            expected = record.get(name)
            actual = getattr(source, name)
            if expected is None and actual is not None:
                # not verified for the bibliography: allowed only when `verified` says where this value was checked
                assert actual in source.verified, f"{source.id}.{name}: {actual} is not in the bibliography and verified does not say where it was seen"
                continue
            assert actual == (str(expected) if expected is not None else None), f"{source.id}.{name}"
        if record.get("year") and isinstance(record["year"], int):
            assert (source.year or int(source.date[:4])) == record["year"], source.id
        if record.get("title"):
            assert source.title.rstrip(".") == str(record["title"]).rstrip("."), source.id
    assert checked >= 45


PUBLIC_RECORD = re.compile(
    r"PubMed|PMC\d|DailyMed|openFDA|api\.fda\.gov|Cochrane|DOI|NCBI|ClinicalTrials\.gov|"
    r"\b[a-z0-9-]+\.(?:org|com|gov|net|edu|ie|uk|io|info|bio|it|de|fr|ca|au|ac|cn)\b|^seed article shared/seeds/|\bseed \d{3}_[0-9a-f]{16}\.txt\b"
)


def test_every_source_names_the_public_record_where_it_was_verified():
    """A reader of the repository can follow `verified`: it names PubMed, DailyMed, a DOI or the page read, never a
    file outside the repository (issue 13, spec section 6)."""
    for source in DB.sources:
        assert "bibliography.yaml" not in source.verified, f"{source.id}: verified points at a file outside the repository"
        assert PUBLIC_RECORD.search(source.verified), f"{source.id}: verified names no public record: {source.verified[:80]}"


def test_every_claim_is_dated_and_cited():
    for claim in DB.claims:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", claim.reviewed)
        assert claim.sources


def test_a_supported_verdict_rests_on_a_study_in_people_or_a_label():
    people = {SourceKind.RANDOMIZED_TRIAL, SourceKind.SYSTEMATIC_REVIEW, SourceKind.NON_RANDOMIZED_STUDY,
              SourceKind.CASE_SERIES, SourceKind.CASE_REPORT, SourceKind.REGULATORY_LABEL, SourceKind.REGULATORY_APPROVAL}
    for claim in DB.claims:
        if claim.verdict is Verdict.SUPPORTED:
            kinds = {DB_SOURCES[c.id].kind for c in claim.sources if c.role is Role.SUPPORTS}
            assert kinds & people, f"{claim.id}: 'supported' with no study in people or label cited as support"


# --- Starting naltrexone after opioids, or stopping it (review findings C1 and C2) ---------------------------------
# The content files are read as plain YAML so that these checks see every field, including a citation's `section`.

CONDITION_FILES = sorted((REPO / "content" / "conditions").glob("*.yaml"))

SPEAKS_OF_STARTING = re.compile(
    r"methadone|buprenorphine|opioid-free|free of (?:all )?opioids|precipitat|"
    r"(?:before|when|after) starting naltrexone|start(?:ing)? (?:naltrexone|ldn) after",
    re.IGNORECASE,
)
SPEAKS_OF_STOPPING = re.compile(
    r"\bstopping (?:naltrexone|ldn|it|the (?:tablets?|injection|treatment)|treatment)|after (?:you )?stop|on stopping|"
    r"\bdiscontinu|\bstop (?:taking )?(?:naltrexone|ldn|the tablets?|the injection)\b(?! and (?:see|seek|get|call))",
    re.IGNORECASE,
)
INTERVAL_WORDING = (
    re.compile(r"7\s*(?:-|–|to)\s*10 days", re.IGNORECASE),              # after short-acting opioids
    re.compile(r"\b(?:two|2) weeks\b|\b14 days\b", re.IGNORECASE),       # after methadone or buprenorphine
    re.compile(r"tramadol", re.IGNORECASE),                                # tramadol counts as an opioid
)
OVERDOSE_WORDING = re.compile(r"overdose", re.IGNORECASE)


def _claims_as_yaml():
    for path in CONDITION_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        yield path.name, data["condition"], data.get("claims") or []


def _speaks_of_starting_or_stopping(text: str) -> bool:
    text = " ".join(text.split())
    return bool(SPEAKS_OF_STARTING.search(text) or SPEAKS_OF_STOPPING.search(text))


def _missing_wording(text: str) -> list[str]:
    text = " ".join(text.split())  # a line break inside "two weeks" is still two weeks
    missing = [pattern.pattern for pattern in INTERVAL_WORDING if not pattern.search(text)]
    if not OVERDOSE_WORDING.search(text):
        missing.append("overdose")
    return missing


def _missing_label_sections(claim: dict) -> list[str]:
    """A claim that speaks of starting or stopping cites the tablet label and the labels' opioid-free interval (section
    `precipitated-withdrawal`, of the tablet or the injection label). A claim whose title is about stopping or overdose
    also cites the tablet label's overdose warning (section `overdose`). One citation names one section, so a claim
    that needs its tablet-label citation for another section (the contraindications, the pregnancy text) states the
    overdose warning in its own words, which the wording check requires of every such claim."""
    citations = claim.get("sources") or []
    sections = {(c.get("id"), c.get("section")) for c in citations}
    missing = []
    if not any(source == "label-naltrexone-tablets" and section for source, section in sections):
        missing.append("a citation of label-naltrexone-tablets with a section")
    if not any(section == "precipitated-withdrawal" for _source, section in sections):
        missing.append("section precipitated-withdrawal")
    if re.search(r"overdose|stop", claim.get("title") or "", re.IGNORECASE) and (
            ("label-naltrexone-tablets", "overdose") not in sections):
        missing.append("section overdose of label-naltrexone-tablets")
    return missing


def test_the_patterns_recognise_talk_of_starting_or_stopping():
    assert _speaks_of_starting_or_stopping("People on methadone must wait before taking it.")
    assert _speaks_of_starting_or_stopping("LDN causes no withdrawal on stopping.")
    assert _speaks_of_starting_or_stopping("After stopping naltrexone, tolerance is lost.")
    assert _speaks_of_starting_or_stopping("Be opioid-free before the first dose.")
    assert not _speaks_of_starting_or_stopping("2 of 38 people stopped LDN because of new diarrhoea.")
    assert not _speaks_of_starting_or_stopping("If you notice such symptoms, stop naltrexone and see a doctor at once.")
    assert _missing_wording("Wait 7-10 days.") == [INTERVAL_WORDING[1].pattern, INTERVAL_WORDING[2].pattern, "overdose"]
    assert _missing_wording("7-10\n days, up to two\n weeks, tramadol, overdose") == []


def test_claims_that_speak_of_starting_or_stopping_naltrexone_give_the_interval_and_the_overdose_risk():
    """Issue 13: every claim that speaks of starting naltrexone after opioids, or of stopping it, states the label's
    opioid-free interval (7-10 days after short-acting opioids, up to two weeks after methadone or buprenorphine,
    tramadol included) and the overdose risk after stopping, and cites the label sections that say so."""
    problems = []
    for file_name, _condition, claims in _claims_as_yaml():
        for claim in claims:
            text = " ".join(str(claim.get(key) or "") for key in ("title", "statement", "notes"))
            if not _speaks_of_starting_or_stopping(text):
                continue
            missing = _missing_wording(" ".join(str(claim.get(key) or "") for key in ("statement", "notes")))
            missing += _missing_label_sections(claim)
            if missing:
                problems.append(f"{file_name}: {claim['id']}: missing {', '.join(missing)}")
    assert problems == []


def test_summaries_that_speak_of_starting_or_stopping_naltrexone_give_the_interval_and_the_overdose_risk():
    problems = []
    for file_name, condition, _claims in _claims_as_yaml():
        summary = condition.get("summary") or ""
        if _speaks_of_starting_or_stopping(summary) and (missing := _missing_wording(summary)):
            problems.append(f"{file_name}: summary: missing {', '.join(missing)}")
    assert problems == []


# --- Text a reader sees: no word broken by a line fold ---------------------------------------------------------------

FOLDED_HYPHEN = re.compile(r"\b[A-Za-z]+-\s+(?!and\b|or\b|to\b)[a-z]+")
"""'low-' at the end of one YAML line and 'dose' at the start of the next read as 'low- dose' on the page."""


def _texts(value, where):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, value


def test_no_hyphenated_word_is_split_by_a_line_fold():
    broken = [f"{where}: {match.group()!r}"
              for path in sorted((REPO / "content").rglob("*.yaml"))
              for where, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
              for match in FOLDED_HYPHEN.finditer(text)]
    assert broken == []
    assert FOLDED_HYPHEN.search("results for low-\ndose naltrexone")
    assert not FOLDED_HYPHEN.search("short- and long-term use")
