"""`ldnsite import`: a reference manager's export becomes source files that `check` holds until an editor confirms them.

The fixtures in tests/fixtures/imports/ are written as the tools emit them (PubMed's "Citation manager" .nbib,
Zotero's BibTeX and CSL JSON, EndNote's RIS, PubMed's CSL-JSON), for papers of the verified bibliography; their
author lists stop at the authors the bibliography gives.
"""

import re
import shutil
from pathlib import Path

import pytest
from conftest import check_lines, run_cli, write_project

from ldnsite.commands.importer import Reference, guess_kind

IMPORTS = Path(__file__).parent / "fixtures" / "imports"


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path, {})


def run_import(project, name, *extra):
    return run_cli("import", str(IMPORTS / name), "--project", project, *extra)


def test_pubmed_nbib_gives_every_identifier_journal_year_and_a_kind_to_confirm(project):
    result = run_import(project, "pubmed.nbib")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ldnsite: wrote content/sources/bruun2024.yaml",
        "ldnsite: wrote content/sources/bolton2019.yaml",
        "ldnsite: 2 written, 0 skipped as duplicates; confirm each 'kind', fill in 'verified', then run `ldnsite check`.",
    ]
    assert (
        (project / "content/sources/bruun2024.yaml").read_text()
        == """\
# yaml-language-server: $schema=../../schema/source.schema.json
# Imported by `ldnsite import` from pubmed.nbib, record 1 (PMID 38258677). Check every value against the paper.
id: bruun2024
kind: randomized-trial
# A guess: confirm the kind above against the paper (correct it if needed), then delete this line.
kind_guessed_from: "publication type 'Randomized Controlled Trial'"
title: "Naltrexone 6 mg once daily versus placebo in women with fibromyalgia: a randomised, double-blind, \
placebo-controlled trial"
verified: "TODO where you checked this record (imported from pubmed.nbib)"
authors: ["Bruun KD", "Christensen R", "Amris K"]
publisher: "Lancet Rheumatol"
year: 2024
citation: "6(1):e31-e39"
pmid: "38258677"
doi: "10.1016/S2665-9913(23)00278-3"
nct: "NCT04270877"
"""
    )
    bolton = (project / "content/sources/bolton2019.yaml").read_text()
    for line in (
        "kind: systematic-review",
        '''kind_guessed_from: "publication type 'Systematic Review'"''',
        'pmcid: "PMC6332608"',
        'doi: "10.1186/s12916-018-1242-0"',
        'citation: "17(1):10"',
        "year: 2019",
    ):
        assert line in bolton.splitlines()


def test_zotero_bibtex_decodes_latex_and_keeps_et_al(project):
    assert run_import(project, "zotero.bib").exit_code == 0
    younger = (project / "content/sources/younger2013.yaml").read_text().splitlines()
    for line in (
        'authors: ["Younger J", "Noor N", "McCue R", "Mackey S"]',
        'publisher: "Arthritis & Rheumatism"',
        'citation: "65(2):529-538"',
        'pmid: "23359310"',
        'doi: "10.1002/art.37734"',
        'nct: "NCT00568555"',
        '''kind_guessed_from: "the word 'randomized' in the title"''',
        "kind: randomized-trial",
    ):
        assert line in younger
    muller = (project / "content/sources/muller2022.yaml").read_text().splitlines()
    assert 'authors: ["Müller JP", "Smith AB", "et al."]' in muller
    assert (
        "# Imported by `ldnsite import` from zotero.bib, line 22 (muller_low-dose_2022). Check every value against the paper."
        in muller
    )


def test_endnote_ris_reads_pubmed_accession_numbers_and_keeps_et_al(project):
    assert run_import(project, "endnote.ris").exit_code == 0
    mcbride = (project / "content/sources/mcbride2020.yaml").read_text().splitlines()
    for line in (
        'authors: ["McBride M", "Witkoff BM", "Trotter SC"]',
        'publisher: "J Clin Aesthet Dermatol"',
        'pmid: "33282097"',
        'pmcid: "PMC7716739"',
        'citation: "13(11):19-21"',
        "kind: case-report",
    ):
        assert line in mcbride
    bruun = (project / "content/sources/bruun2024.yaml").read_text().splitlines()
    assert 'authors: ["Bruun KD", "Christensen R", "Amris K", "et al."]' in bruun
    assert 'publisher: "Lancet Rheumatol"' in bruun
    assert not any(line.startswith("pmid:") for line in bruun)  # an accession number outside PubMed is no PMID


def test_csl_json_from_pubmed_and_zotero(project):
    assert run_import(project, "pubmed-csl.json").exit_code == 0
    bruun = (project / "content/sources/bruun2024.yaml").read_text().splitlines()
    for line in (
        'authors: ["Bruun KD", "Christensen R", "Amris K", "et al."]',
        'publisher: "Lancet Rheumatol"',
        'citation: "6(1):e31-e39"',
        'pmid: "38258677"',
        "year: 2024",
    ):
        assert line in bruun
    bolton = (project / "content/sources/bolton2019.yaml").read_text().splitlines()
    for line in ('publisher: "BMC Med"', 'pmid: "30642329"', 'pmcid: "PMC6332608"', "year: 2019", "kind: systematic-review"):
        assert line in bolton


def test_a_record_duplicating_a_source_by_doi_or_pmid_is_reported_not_written(project):
    (project / "content/sources/final2024.yaml").write_text(
        "id: final2024\nkind: randomized-trial\ntitle: FINAL\nverified: test\ndoi: 10.1016/s2665-9913(23)00278-3\n"
    )
    result = run_import(project, "pubmed.nbib")
    assert result.output.splitlines()[1] == (
        "ldnsite: skipped pubmed.nbib: record 1 (PMID 38258677): 'Naltrexone 6 mg once daily versus placebo in women with f...' "
        "is already source 'final2024' (content/sources/final2024.yaml); not written"
    )
    assert not (project / "content/sources/bruun2024.yaml").exists()
    assert (project / "content/sources/bolton2019.yaml").exists()
    again = run_import(project, "pubmed-csl.json")  # the PMID of bolton2019, imported just now, is known too
    assert "is already source 'bolton2019' (content/sources/bolton2019.yaml); not written" in again.output
    assert again.output.splitlines()[-1].startswith("ldnsite: 0 written, 2 skipped as duplicates")


def test_check_refuses_an_imported_source_until_its_kind_is_confirmed(project):
    run_import(project, "endnote.ris")
    errors = [line for line in check_lines(project) if "mcbride2020" in line or line.startswith("    hint:")]
    assert (
        "content/sources/mcbride2020.yaml:6:1: error: source 'mcbride2020': kind_guessed_from: the kind was guessed "
        "from publication type 'Case Reports' and is not confirmed yet [schema.kind-unconfirmed]"
    ) in errors
    assert (
        "    hint: check the study design in the paper, correct 'kind' if needed, then delete the 'kind_guessed_from' line"
        in errors
    )
    path = project / "content/sources/mcbride2020.yaml"
    text = re.sub(r"^kind_guessed_from: .*\n", "", path.read_text(), flags=re.MULTILINE)
    path.write_text(
        text.replace('verified: "TODO where you checked this record (imported from endnote.ris)"', "verified: checked on PubMed")
    )
    assert [line for line in check_lines(project) if "mcbride2020" in line and ": error:" in line] == []


def test_the_format_comes_from_the_name_or_the_first_line_or_the_option(project, tmp_path):
    copy = tmp_path / "export.txt"
    shutil.copy(IMPORTS / "pubmed.nbib", copy)
    assert run_cli("import", str(copy), "--project", project).exit_code == 0
    unknown = tmp_path / "notes.txt"
    unknown.write_text("just some notes\n")
    result = run_cli("import", str(unknown), "--project", project)
    assert result.exit_code == 2
    assert "cannot tell the format of notes.txt; pass --format bibtex|ris|nbib|csl-json" in result.output
    result = run_cli("import", str(tmp_path / "missing.ris"), "--project", project)
    assert result.exit_code == 2


def test_a_new_id_never_overwrites_a_source(project):
    (project / "content/sources/bruun2024.yaml").write_text("id: bruun2024\nkind: commentary\ntitle: Other\nverified: x\n")
    assert run_import(project, "pubmed.nbib").exit_code == 0
    assert (project / "content/sources/bruun2024.yaml").read_text().startswith("id: bruun2024\nkind: commentary")
    assert (project / "content/sources/bruun2024b.yaml").read_text().splitlines()[2] == "id: bruun2024b"


@pytest.mark.parametrize(
    "types, title, expected",
    [
        (
            ["Journal Article", "Randomized Controlled Trial"],
            "x",
            ("randomized-trial", "publication type 'Randomized Controlled Trial'"),
        ),
        (["Journal Article", "Meta-Analysis"], "x", ("systematic-review", "publication type 'Meta-Analysis'")),
        (["Clinical Trial, Phase II"], "x", ("non-randomized-study", "publication type 'Clinical Trial, Phase II'")),
        (["Case Reports"], "x", ("case-report", "publication type 'Case Reports'")),
        (["Letter"], "x", ("commentary", "publication type 'Letter'")),
        (["Review"], "x", ("narrative-review", "publication type 'Review'")),
        (["article"], "A protocol for a trial", ("trial-protocol", "the word 'protocol' in the title")),
        (["article"], "A case series of five", ("case-series", "the word 'case series' in the title")),
        (["article"], "Naltrexone in mice", ("preclinical", "the word 'mice' in the title")),
        (["book"], "Goodman and Gilman", ("reference-work", "entry type 'book'")),
        (["webpage"], "LDN: what to know", ("web-article", "entry type 'webpage'")),
        (["article"], "Naltrexone and pain", ("non-randomized-study", "nothing in the record (the default guess)")),
    ],
)
def test_kind_guesses(types, title, expected):
    assert guess_kind(Reference("record 1", title=title, types=types)) == expected
