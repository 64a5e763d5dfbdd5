"""Machine-readable exports of the database: build/api/claims.json and sources.json."""

from __future__ import annotations

import json
from typing import Any

from ldnsite.model import Database
from ldnsite.site import ClaimView, SourceView


def export_claims(db: Database, claims: list[ClaimView]) -> str:
    """Return the claims as a JSON list, sorted by id."""
    base = db.site.base_url
    items = [_claim_record(view, base) for view in sorted(claims, key=lambda v: v.claim.id)]
    return _dump(items)


def export_sources(db: Database, sources: list[SourceView]) -> str:
    """Return the sources as a JSON list, sorted by id."""
    base = db.site.base_url
    return _dump([_source_record(view, base) for view in sorted(sources, key=lambda v: v.source.id)])


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
            {"id": c.id, "role": c.role.value, "locator": c.locator, "quote": c.quote, "finding": c.finding}
            for c in claim.sources
        ],
        "reviewed": claim.reviewed,
        "added": claim.added,
        "grade_rationale": claim.grade_rationale,
        "notes": claim.notes,
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
    }


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
