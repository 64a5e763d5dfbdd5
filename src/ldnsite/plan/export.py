"""Machine-readable exports of the database: build/api/claims.json and sources.json."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ldnsite.content.grading import computed_certainty
from ldnsite.content.model import DOWNGRADE_DOMAINS, UPGRADE_DOMAINS, Database, Grading
from ldnsite.memo import call
from ldnsite.plan.jsontext import indented_json
from ldnsite.plan.site import ClaimView, SourceView
from ldnsite.plan.views import OutcomeRow


def claims_json(db: Database, claims: list[ClaimView], memo: Callable = call) -> Iterator[str]:
    """Yield the claims export in pieces, each encoded when it is written (160 MB at 100,000 claims).

    Each record is encoded on its own, so that the incremental builder's ``memo`` encodes only the
    records of changed claims again; the pieces make, byte for byte, the document of one ``json.dumps``.
    """
    base = sys.intern(db.site.base_url)
    return _list_pieces(memo(_claim_json, view, base) for view in sorted(claims, key=lambda v: v.claim.id))


def sources_json(db: Database, sources: list[SourceView], memo: Callable = call) -> Iterator[str]:
    """Yield the sources export in pieces (records encoded one by one, as the claims are)."""
    base = sys.intern(db.site.base_url)
    return _list_pieces(memo(_source_json, view, base) for view in sorted(sources, key=lambda v: v.source.id))


def _claim_json(view: ClaimView, base: str) -> str:
    return _dump_item(_claim_record(view, base))


def _source_json(view: SourceView, base: str) -> str:
    return _dump_item(_source_record(view, base))


def _claim_record(view: ClaimView, base: str) -> dict[str, Any]:
    claim = view.claim
    return {
        "id": claim.id,
        "url": base + view.path,
        "title": claim.title,
        "condition": view.condition.name,
        "condition_id": view.condition.id,
        "statement": claim.statement,
        "status": claim.status.value,
        "grade": claim.grade.value,
        "direction": claim.direction.value,
        "verdict": claim.verdict.value,
        "dose": claim.dose,
        "sources": [c.id for c in claim.sources],
        "citations": [
            {"id": c.id, "role": c.role.value, "locator": c.locator, "quote": c.quote, "finding": c.finding, "section": c.section}
            for c in claim.sources
        ],
        "reviewed": claim.reviewed,
        "added": claim.added,
        "grade_rationale": claim.grade_rationale,
        "notes": claim.notes,
        "grading": _grading_record(claim.grading),
        "outcomes": [_outcome_record(row) for row in view.outcomes],
    }


def _grading_record(grading: Grading | None) -> dict[str, Any] | None:
    """GRADE's inputs as written, and the certainty they compute."""
    if grading is None:
        return None
    record: dict[str, Any] = {"start": grading.start.value}
    for name, _ in (*DOWNGRADE_DOMAINS, *UPGRADE_DOMAINS):
        domain = getattr(grading, name)
        record[name] = None if domain is None else {"rating": domain.rating.value, "reason": domain.reason}
    record["computed"] = computed_certainty(grading).value
    return record


def _outcome_record(row: OutcomeRow) -> dict[str, Any]:
    o = row.outcome
    return {
        "name": o.name,
        "intervention": o.intervention,
        "measure": o.measure.value,
        "scale": o.scale,
        "estimate": o.estimate,
        "ci": list(o.ci) if o.ci is not None else None,
        "participants": o.participants,
        "studies": o.studies,
        "sources": list(o.sources),
        "effect": o.effect.value,
        "certainty": o.certainty.value,
        "statement": row.statement,
        "result": o.result,
        "follow_up": o.follow_up,
        "grading": _grading_record(o.grading),
    }


def _source_record(view: SourceView, base: str) -> dict[str, Any]:
    s = view.source
    return {
        "id": s.id,
        "url": base + view.path,
        "kind": s.kind.value,
        "title": s.title,
        "authors": list(s.authors),
        "publisher": s.publisher,
        "year": s.year,
        "date": s.date,
        "citation": s.citation,
        "pmid": s.pmid,
        "pmcid": s.pmcid,
        "doi": s.doi,
        "nct": s.nct,
        "registration": s.registration,
        "dailymed_setid": s.dailymed_setid,
        "link": s.url,
        "design": s.design,
        "participants": s.participants,
        "participants_detail": s.participants_detail,
        "finding": s.finding,
        "caveats": s.caveats,
        "verified": s.verified,
        "cited_by": sorted({c.claim.claim.id for c in view.citing}),
        **_label_and_registration(view, base),
    }


def _label_and_registration(view: SourceView, base: str) -> dict[str, Any]:
    """A label's version, page and sections; a registration's status, results and conditions (null or empty elsewhere)."""
    s = view.source
    return {
        "label_version": s.label_version,
        "label_url": base + view.label_path if view.label_path else None,
        "sections": [
            {
                "id": x.id,
                "topic": x.topic.value,
                "heading": x.heading,
                "locator": x.locator,
                "quote": x.quote,
                "url": f"{base}{view.label_path}#{x.id}",
            }
            for x in s.sections
        ],
        "registration_status": s.registration_status.value if s.registration_status else None,
        "results_posted": s.results_posted,
        "conditions": list(s.conditions),
    }


def _dump_item(record: dict[str, Any]) -> str:
    """Return ``json.dumps(record, ensure_ascii=False, indent=2)`` one level deep: every line after the first indented.

    An item of the top-level list sits one level deep, so its lines get one more indent. The text is the
    very same (``tests/test_memo.py`` compares them on generated records), made without the json module's
    indenting encoder, which is written in Python as generators and took half of the exports' time.
    """
    return indented_json(record, "\n  ")


def _list_pieces(items: Iterable[str]) -> Iterator[str]:
    separator = "[\n  "
    for item in items:
        yield separator
        yield item
        separator = ",\n  "
    yield "[]\n" if separator == "[\n  " else "\n]\n"
