"""Search: what Pagefind indexes, and that two builds write the same bundle byte for byte."""

import gzip
import json
import os

import pytest

from conftest import FIXTURES, TEMPLATES, run_cli, tree
from ldnsite.output.pagefind_bundle import SIGNATURE, BundleFormatError, decode, encode, pagefind_hash, stabilize_bundle

IN_CI = os.environ.get("CI") == "true"


def require_pagefind():
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    if get_executable is None or get_executable() is None:
        if IN_CI:
            pytest.fail("Pagefind (pagefind[bin]) is missing; CI must run the search tests")
        pytest.skip("Pagefind is not installed: pip install -e '.[search]' to run the search tests")


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    require_pagefind()
    outs = []
    for name in ("one", "elsewhere/two"):
        out = tmp_path_factory.mktemp("search") / name / "build"
        result = run_cli("build", "--project", FIXTURES / "minimal", "--templates", TEMPLATES, "--out", out,
                         "--search", "--strict")
        assert result.exit_code == 0, result.output
        outs.append(out)
    return outs


def fragments(out):
    for path in sorted((out / "pagefind" / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE)
        yield json.loads(data[len(SIGNATURE):])


def test_two_builds_with_search_are_byte_identical(two_builds):
    first, second = (tree(out) for out in two_builds)
    assert [p for p in first if p.startswith("pagefind/")], "no search bundle was written"
    assert sorted(first) == sorted(second)
    assert [p for p in first if first[p] != second[p]] == []


def test_only_conditions_claims_sources_and_the_method_are_indexed(two_builds):
    urls = sorted(f["url"] for f in fragments(two_builds[0]))
    assert urls == [
        "/claims/ldn-fibromyalgia-cure.html", "/claims/ldn-fibromyalgia-pain.html", "/claims/naltrexone-alcohol-approved.html",
        "/conditions/alcohol-dependence.html", "/conditions/fibromyalgia.html", "/labels/label-tablets.html", "/methodology.html",
        "/sources/case2020.html", "/sources/label-tablets.html", "/sources/nct00000001.html", "/sources/trial2013.html",
        "/sources/trial2024.html", "/sources/web-article.html",
    ]


def test_repeated_navigation_disclaimer_and_citation_text_are_not_indexed(two_builds):
    for fragment in fragments(two_builds[0]):
        for phrase in ("Not medical advice", "Skip to main content", "Evidence map", "Cite this page", "Suggest a correction"):
            assert phrase not in fragment["content"], (fragment["url"], phrase)


def test_a_claim_result_carries_its_type_condition_tier_and_grade(two_builds):
    claim = next(f for f in fragments(two_builds[0]) if f["url"] == "/claims/ldn-fibromyalgia-pain.html")
    assert claim["meta"] == {"title": "Low-dose naltrexone reduces fibromyalgia pain", "type": "Claim",
                             "condition": "Fibromyalgia", "tier": "Tier 2: Off-label, studied in humans",
                             "grade": "⊕⊕◯◯ Low certainty"}
    assert claim["filters"] == {"type": ["Claim"], "tier": ["Off-label, studied in humans"]}
    assert claim["content"].startswith("Low-dose naltrexone reduces fibromyalgia pain. A small crossover trial found less pain")


def test_the_bundle_names_its_files_after_their_content(two_builds):
    bundle = two_builds[0] / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    meta_hash = entry["languages"]["en"]["hash"]
    meta_body = gzip.decompress((bundle / f"pagefind.{meta_hash}.pf_meta").read_bytes())[len(SIGNATURE):]
    assert meta_hash == "en_" + pagefind_hash(meta_body)[:10]
    meta, _ = decode(meta_body)
    assert [name for name, _ in meta[3]] == ["tier", "type"]
    for name, file_hash in meta[3]:
        body = gzip.decompress((bundle / "filter" / f"{file_hash}.pf_filter").read_bytes())[len(SIGNATURE):]
        assert file_hash == "en_" + pagefind_hash(body)[:7]
        filter_name, values = decode(body)[0]
        assert filter_name == name and [v for v, _ in values] == sorted(v for v, _ in values)


@pytest.mark.parametrize(("value", "encoded"), [
    (0, b"\x00"), (23, b"\x17"), (24, b"\x18\x18"), (255, b"\x18\xff"), (256, b"\x19\x01\x00"), (70000, b"\x1a\x00\x01\x11\x70"),
    (-1, b"\x20"), (-26, b"\x38\x19"), ("", b"\x60"), ("tier", b"\x64tier"), ("⊕", b"\x63\xe2\x8a\x95"),
    ([], b"\x80"), (["a", [1, 2]], b"\x82\x61a\x82\x01\x02"),
])
def test_cbor_encoding_is_minimal_and_round_trips(value, encoded):
    assert encode(value) == encoded
    assert decode(encoded) == (value, len(encoded))


def test_unknown_cbor_is_refused_rather_than_guessed():
    with pytest.raises(BundleFormatError, match="unsupported CBOR major type 5"):
        decode(b"\xa1\x01\x02")  # a map
    with pytest.raises(BundleFormatError, match="cannot encode"):
        encode({"a": 1})


def write(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(SIGNATURE + encode(value), mtime=0))


def test_stabilize_sorts_filter_values_and_filters_and_renames_files(tmp_path):
    bundle = tmp_path / "pagefind"
    write(bundle / "filter" / "en_aaaaaaa.pf_filter", ["type", [["Source", [3, 2]], ["Claim", [0, 1]]]])
    write(bundle / "filter" / "en_bbbbbbb.pf_filter", ["tier", [["b", [1]], ["a", [0]]]])
    filters = [["type", "en_aaaaaaa"], ["tier", "en_bbbbbbb"]]
    write(bundle / "pagefind.en_0000000000.pf_meta", ["1.5.2", [["en_x", 10]], [], filters, [], ["title"]])
    entry = '{"version":"1.5.2","languages":{"en":{"hash":"en_0000000000","wasm":"en","page_count":1}}}'
    (bundle / "pagefind-entry.json").write_text(entry)
    stabilize_bundle(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    meta_path = bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    meta, _ = decode(gzip.decompress(meta_path.read_bytes())[len(SIGNATURE):])
    assert [name for name, _ in meta[3]] == ["tier", "type"]
    files = {name: decode(gzip.decompress((bundle / "filter" / f"{h}.pf_filter").read_bytes())[len(SIGNATURE):])[0]
             for name, h in meta[3]}
    assert files == {"tier": ["tier", [["a", [0]], ["b", [1]]]], "type": ["type", [["Claim", [0, 1]], ["Source", [2, 3]]]]}
    assert sorted(p.name for p in bundle.rglob("*") if p.is_file()) == sorted(
        ["pagefind-entry.json", meta_path.name, *(f"{h}.pf_filter" for _, h in meta[3])])
    before = {p: p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    stabilize_bundle(bundle)
    assert {p: p.read_bytes() for p in bundle.rglob("*") if p.is_file()} == before


def test_when_pagefind_is_killed_the_error_names_the_signal_and_the_way_out():
    from ldnsite.output.search import stop_report

    message = stop_report("", -9)

    assert "killed by SIGKILL" in message
    assert "out-of-memory" in message
    assert message.endswith("build with --no-search to skip the search index")


def test_when_pagefind_exits_its_own_words_come_first():
    from ldnsite.output.search import stop_report

    assert stop_report("Error: disk full", 1).startswith("Error: disk full; it exited with status 1.")
