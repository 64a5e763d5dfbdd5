"""Bibliography exports (BibTeX, RIS, CSL-JSON) and "cite this page", checked to the byte."""

import json

import pytest

from ldnsite.content.model import Source, SourceKind
from ldnsite.plan.citations import (
    BIBLIOGRAPHY_EXPORTS,
    Name,
    Parts,
    bibtex,
    csl_json,
    page_citation,
    parse_author,
    parse_citation,
    ris,
)

TRIAL = Source(
    id="bruun2024", kind=SourceKind.RANDOMIZED_TRIAL,
    title="Naltrexone 6 mg once daily versus placebo in women with fibromyalgia: a randomised trial",
    verified="test", authors=("Bruun KD", "Christensen R", "et al."), publisher="Lancet Rheumatol", year=2024,
    citation="6(1):e31-e39", pmid="38258677", doi="10.1016/S2665-9913(23)00278-3", nct="NCT04270877",
)
LABEL = Source(
    id="label-vivitrol", kind=SourceKind.REGULATORY_LABEL, title="VIVITROL prescribing information", verified="test",
    publisher="Alkermes", dailymed_setid="cd11c435-b0f0-4bb9-ae78-60f101f3703f",
)
HOSTILE = Source(
    id="web-odd", kind=SourceKind.WEB_ARTICLE, title="50% off {LDN} & co: $5 #1 a_b ~ c^2 \\ end", verified="test",
    authors=("Naltrexone Usage Study Group", "O'Kelly B", "Vatvani"), publisher="Blog\nwith a break", date="2023-05-28",
    url="https://blog.example.com/a b{c}",
)


@pytest.mark.parametrize(("text", "name"), [
    ("Bruun KD", Name(family="Bruun", initials=("K", "D"))),
    ("Beaudette-Zlatanova B", Name(family="Beaudette-Zlatanova", initials=("B",))),
    ("O'Kelly B", Name(family="O'Kelly", initials=("B",))),
    ("Vatvani", Name(family="Vatvani")),
    ("NIDDK LiverTox", Name(literal="NIDDK LiverTox")),
    ("Naltrexone Usage Study Group", Name(literal="Naltrexone Usage Study Group")),
    ("et al.", None),
])
def test_authors_are_read_as_people_organisations_or_a_shortened_list(text, name):
    assert parse_author(text) == name


@pytest.mark.parametrize(("text", "parts"), [
    ("6(1):e31-e39", Parts("6", "1", "e31-e39")),
    ("17:10", Parts("17", None, "10")),
    ("76(12)", Parts("76", "12", None)),
    ("243(17-18):1323-1330", Parts("243", "17-18", "1323-1330")),
    ("Suppl 2, p. 4 (abstract)", Parts(unparsed="Suppl 2, p. 4 (abstract)")),
    (None, Parts()),
])
def test_volume_issue_and_pages_are_split_or_kept_whole(text, parts):
    assert parse_citation(text) == parts


def test_bibtex_entries_are_sorted_escaped_and_leave_out_what_is_unknown():
    assert bibtex([LABEL, TRIAL, HOSTILE]) == """\
% Encoding: UTF-8

@article{bruun2024,
  author = {Bruun, K. D. and Christensen, R. and others},
  title = {{Naltrexone 6 mg once daily versus placebo in women with fibromyalgia: a randomised trial}},
  journal = {Lancet Rheumatol},
  year = {2024},
  volume = {6},
  number = {1},
  pages = {e31--e39},
  doi = {10.1016/S2665-9913(23)00278-3},
  pmid = {38258677},
  url = {https://pubmed.ncbi.nlm.nih.gov/38258677/},
  note = {ClinicalTrials.gov: NCT04270877}
}

@misc{label-vivitrol,
  title = {{VIVITROL prescribing information}},
  howpublished = {Alkermes},
  url = {https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=cd11c435-b0f0-4bb9-ae78-60f101f3703f}
}

@misc{web-odd,
  author = {{Naltrexone Usage Study Group} and O'Kelly, B. and Vatvani},
  title = {{50\\% off \\{LDN\\} \\& co: \\$5 \\#1 a\\_b \\~{} c\\^{}2 \\textbackslash{} end}},
  howpublished = {Blog with a break},
  year = {2023},
  date = {2023-05-28},
  url = {https://blog.example.com/a%20b%7Bc%7D}
}
"""


def test_bibtex_braces_always_balance():
    for entry in bibtex([LABEL, TRIAL, HOSTILE]).split("\n@")[1:]:
        unescaped = entry.replace("\\{", "").replace("\\}", "")
        assert unescaped.count("{") == unescaped.count("}"), entry


def test_ris_records_have_one_tag_per_line_and_crlf_line_ends():
    assert ris([TRIAL, HOSTILE]).split("\r\n") == [
        "TY  - JOUR", "ID  - bruun2024", "AU  - Bruun, K.D.", "AU  - Christensen, R.", "AU  - et al.",
        "TI  - Naltrexone 6 mg once daily versus placebo in women with fibromyalgia: a randomised trial",
        "T2  - Lancet Rheumatol", "PY  - 2024", "DA  - 2024///", "VL  - 6", "IS  - 1", "SP  - e31", "EP  - e39",
        "DO  - 10.1016/S2665-9913(23)00278-3", "UR  - https://pubmed.ncbi.nlm.nih.gov/38258677/", "AN  - 38258677",
        "DB  - PubMed", "N1  - ClinicalTrials.gov: NCT04270877", "ER  - ", "",
        "TY  - ELEC", "ID  - web-odd", "AU  - Naltrexone Usage Study Group", "AU  - O'Kelly, B.", "AU  - Vatvani",
        "TI  - 50% off {LDN} & co: $5 #1 a_b ~ c^2 \\ end", "T2  - Blog with a break", "PY  - 2023",
        "DA  - 2023/05/28/", "UR  - https://blog.example.com/a b{c}", "ER  - ", "", "",
    ]
    assert "\n" not in ris([TRIAL, HOSTILE]).replace("\r\n", "")


def test_csl_json_is_valid_json_with_typed_names_and_date_parts():
    assert json.loads(csl_json([TRIAL, LABEL, HOSTILE])) == [
        {"id": "bruun2024", "type": "article-journal",
         "title": "Naltrexone 6 mg once daily versus placebo in women with fibromyalgia: a randomised trial",
         "author": [{"family": "Bruun", "given": "K. D."}, {"family": "Christensen", "given": "R."}, {"literal": "et al."}],
         "container-title": "Lancet Rheumatol", "issued": {"date-parts": [[2024]]}, "volume": "6", "issue": "1",
         "page": "e31-e39", "DOI": "10.1016/S2665-9913(23)00278-3", "PMID": "38258677",
         "URL": "https://pubmed.ncbi.nlm.nih.gov/38258677/", "note": "ClinicalTrials.gov: NCT04270877"},
        {"id": "label-vivitrol", "type": "document", "title": "VIVITROL prescribing information", "publisher": "Alkermes",
         "URL": "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=cd11c435-b0f0-4bb9-ae78-60f101f3703f"},
        {"id": "web-odd", "type": "webpage", "title": "50% off {LDN} & co: $5 #1 a_b ~ c^2 \\ end",
         "author": [{"literal": "Naltrexone Usage Study Group"}, {"family": "O'Kelly", "given": "B."}, {"family": "Vatvani"}],
         "container-title": "Blog\nwith a break", "issued": {"date-parts": [[2023, 5, 28]]},
         "URL": "https://blog.example.com/a b{c}"},
    ]


def test_exports_do_not_depend_on_input_order():
    for _, export in BIBLIOGRAPHY_EXPORTS.values():
        assert export([TRIAL, LABEL, HOSTILE]) == export([HOSTILE, LABEL, TRIAL])


def test_page_citation_ends_each_part_once():
    assert page_citation("Does LDN help?", "LDN Evidence", "2026-11-22", "https://e.org/x.html") == (
        "Does LDN help? LDN Evidence. Evidence last reviewed 2026-11-22. Available at: https://e.org/x.html")
    assert page_citation("Sources.", "Site", None, "https://e.org/") == "Sources. Site. Available at: https://e.org/"
