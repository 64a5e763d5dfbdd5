"""The bibliography exports read back in the parsers reference managers use (rispy for RIS, citeproc-py for
CSL-JSON) keep what the sources say: a shortened author list still ends in 'et al.' (issue 16)."""

import json
import warnings

import pytest
import yaml

from conftest import REPO, TEMPLATES, run_cli

rispy = pytest.importorskip("rispy")
citeproc = pytest.importorskip("citeproc")
from citeproc.source.json import CiteProcJSON  # noqa: E402

SHORTENED = sorted(p.stem for p in (REPO / "content/sources").glob("*.yaml")
                   if (yaml.safe_load(p.read_text(encoding="utf-8")).get("authors") or [""])[-1] == "et al.")


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports") / "build"
    result = run_cli("build", "--project", REPO, "--templates", TEMPLATES, "--out", out, "--no-search")
    assert result.exit_code == 0, result.output
    return out / "api"


def test_the_real_content_has_shortened_author_lists_to_check():
    assert len(SHORTENED) >= 18


def test_rispy_reads_et_al_at_the_end_of_every_shortened_author_list(api):
    records = {r["id"]: r for r in rispy.loads((api / "bibliography.ris").read_text(encoding="utf-8"))}
    assert [sid for sid in SHORTENED if records[sid]["authors"][-1] != "et al."] == []
    assert [sid for sid, r in records.items() if "et al." in r.get("authors", []) and sid not in SHORTENED] == []


def test_citeproc_reads_and_prints_et_al_for_every_shortened_author_list(api):
    data = json.loads((api / "bibliography.json").read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL fields it does not know, such as PMID
        source = CiteProcJSON(data)
        style = citeproc.CitationStylesStyle("harvard-cite-them-right", validate=False)
        lost = []
        for sid in SHORTENED:
            if source[sid]["author"][-1].get("literal") != "et al.":
                lost.append(sid)
        bibliography = citeproc.CitationStylesBibliography(style, source, citeproc.formatter.plain)
        for sid in SHORTENED:
            bibliography.register(citeproc.Citation([citeproc.CitationItem(sid)]))
        printed = [str(entry) for entry in bibliography.bibliography()]
    assert lost == []
    assert len(printed) == len(SHORTENED) and all("et al." in entry for entry in printed)
