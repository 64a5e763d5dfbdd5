"""A corpus of broken and hostile content files, each with the exact line `ldnsite check` must print.

Each case overlays files on the small valid project of conftest.SITE_YAML / SOURCE_RCT / CONDITION_YAML.
EXPECTED holds, for each case, the exact line the report must contain (reviewed by hand when added).
"""

from conftest import CONDITION_YAML, SITE_YAML, SOURCE_RCT

C = "content/conditions/fibromyalgia.yaml"
S = "content/sources/trial2020.yaml"
SITE = "content/site.yaml"


def claim_with(old: str, new: str) -> dict:
    assert old in CONDITION_YAML, old
    return {C: CONDITION_YAML.replace(old, new, 1)}


def source_with(old: str, new: str) -> dict:
    assert old in SOURCE_RCT, old
    return {S: SOURCE_RCT.replace(old, new, 1)}


def site_with(old: str, new: str) -> dict:
    assert old in SITE_YAML, old
    return {SITE: SITE_YAML.replace(old, new, 1)}


OUTCOME = """\
    outcomes:
      - name: Pain
        intervention: LDN
        measure: MD
        estimate: -0.5
        ci: [-1.0, 0.1]
        participants: 40
        studies: 1
        sources: [trial2020]
        effect: reduces-slightly
        certainty: low
"""


def outcome_with(old: str, new: str) -> dict:
    assert old in OUTCOME, old
    return {C: CONDITION_YAML + OUTCOME.replace(old, new, 1)}


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))

CASES = {
    # YAML syntax: every kind of error PyYAML raises
    "syntax-mapping-in-value": (source_with("title: A trial", "title: A: trial")),
    "syntax-unclosed-flow-sequence": (source_with("title: A trial", "title: [A trial")),
    "syntax-unclosed-flow-mapping": (source_with("title: A trial", "title: {a: trial")),
    "syntax-unclosed-double-quote": (source_with("title: A trial", 'title: "A trial')),
    "syntax-unclosed-single-quote": (source_with("title: A trial", "title: 'A trial")),
    "syntax-bad-indentation": (source_with("year: 2020", "year: 2020\n  extra: 1")),
    "syntax-sequence-after-mapping": (source_with("year: 2020", "year: 2020\n- item")),
    "syntax-undefined-alias": (source_with("title: A trial", "title: *nowhere")),
    "syntax-reserved-character": (source_with("title: A trial", "title: @trial")),
    "syntax-invalid-escape": (source_with("title: A trial", 'title: "A \\q trial"')),
    "syntax-two-documents": (source_with("verified: test", "verified: test\n---\nid: again")),
    "syntax-duplicate-anchor": (source_with("title: A trial", "title: &a one\ndesign: &a two")),
    "syntax-block-end-expected": ({C: CONDITION_YAML.replace("    title: LDN reduces pain", "    title: LDN reduces pain\n   bad: indent")}),
    "syntax-missing-space-after-colon": (source_with("title: A trial", "title:A trial")),
    "syntax-claim-without-dash": ({C: CONDITION_YAML + "  id: ldn-fibro-sleep\n    title: LDN helps sleep\n"}),
    "syntax-author-without-dash": (source_with("verified: test", "verified: test\nauthors:\n  - Smith A\n  Jones B")),
    "syntax-colon-in-claim-title": (claim_with("title: LDN reduces pain", "title: Pain: LDN helps")),
    "tab-indentation": (source_with("title: A trial", "title:\n\tA trial")),
    # duplicate keys at every level
    "duplicate-key-source": (source_with("year: 2020", "year: 2020\nyear: 2021")),
    "duplicate-key-site": (site_with("language: en", "language: en\nlanguage: fr")),
    "duplicate-key-condition": (claim_with("  name: Fibromyalgia", "  name: Fibromyalgia\n  name: FM")),
    "duplicate-key-claim": (claim_with("    grade: low", "    grade: low\n    grade: high")),
    "duplicate-key-citation": (claim_with("        role: supports", "        role: supports\n        role: contradicts")),
    "duplicate-key-group": (site_with("    name: Pain", "    name: Pain\n    name: Pains")),
    # wrong types
    "type-site-title-number": (site_with("title: Test Evidence", "title: 42")),
    "type-site-base-url-list": (site_with("base_url: https://example.org/ldn/", "base_url: [https://example.org/]")),
    "type-site-groups-mapping": (site_with("condition_groups:\n  - id: pain\n    name: Pain", "condition_groups:\n  pain: Pain")),
    "type-condition-name-bool": (claim_with("name: Fibromyalgia", "name: yes")),
    "type-condition-summary-list": (claim_with("summary: LDN may help.", "summary: [LDN, may, help]")),
    "type-also-known-as-text": (claim_with("  summary: LDN may help.", "  summary: LDN may help.\n  also_known_as: FM")),
    "type-statement-number": (claim_with("statement: A trial found less pain.", "statement: 3.5")),
    "type-status-number": (claim_with("status: off-label", "status: 1")),
    "type-sources-text": (claim_with("    sources:\n      - id: trial2020\n        role: supports", "    sources: trial2020")),
    "type-role-list": (claim_with("role: supports", "role: [supports]")),
    "type-quote-number": (claim_with("        role: supports", "        role: supports\n        quote: 12")),
    "type-dose-number": (claim_with("    reviewed: 2024-01-01", "    reviewed: 2024-01-01\n    dose: 4.5")),
    "type-participants-text": (source_with("year: 2020", "year: 2020\nparticipants: ninety")),
    "type-year-quoted": (source_with("year: 2020", "year: '2020'")),
    "type-authors-text": (source_with("year: 2020", "year: 2020\nauthors: Doe J")),
    "type-kind-mapping": (source_with("kind: randomized-trial", "kind: {design: rct}")),
    "type-participants-negative": (source_with("year: 2020", "year: 2020\nparticipants: -5")),
    # missing required fields
    "missing-site-disclaimer": (site_with("disclaimer: Not medical advice.\n", "")),
    "missing-condition-mapping": ({C: CONDITION_YAML.split("claims:")[0].replace("condition:", "conditions:") + "claims:" + CONDITION_YAML.split("claims:")[1]}),
    "missing-claim-reviewed": (claim_with("    reviewed: 2024-01-01\n", "")),
    "missing-citation-role": (claim_with("        role: supports\n", "")),
    "missing-source-title": (source_with("title: A trial\n", "")),
    "empty-required-value": (source_with("title: A trial", "title: ''")),
    # unknown keys
    "unknown-key-source": (source_with("year: 2020", "year: 2020\npublished: 2020")),
    "unknown-key-claim": (claim_with("    grade: low", "    grade: low\n    strength: weak")),
    "unknown-key-citation": (claim_with("        role: supports", "        role: supports\n        page: 4")),
    "unknown-key-site": (site_with("language: en", "language: en\ntheme: dark")),
    # empty, wrong-shape, and unreadable files
    "empty-source-file": ({S: ""}),
    "whitespace-only-file": ({S: "   \n\n"}),
    "empty-site-file": ({SITE: "# settings\n"}),
    "file-is-a-list": ({C: "- condition: fibromyalgia\n"}),
    "file-is-a-scalar": ({S: "just some text\n"}),
    "non-utf8-bytes": ({S: SOURCE_RCT.encode().replace(b"A trial", b"A tri\xe0l")}),
    "byte-order-mark": ({S: b"\xef\xbb\xbf" + SOURCE_RCT.encode()}),
    "very-long-line": (source_with("title: A trial", "title: " + "x" * 20000)),
    "too-long-title": (source_with("title: A trial", "title: " + "x" * 700)),
    "control-character": (source_with("title: A trial", "title: A \x1b[31mtrial")),
    "null-byte": ({S: SOURCE_RCT.encode().replace(b"A trial", b"A\x00trial")}),
    "huge-file": ({S: SOURCE_RCT + "notes: |\n" + ("  " + "y" * 900 + "\n") * 1300}),
    # resource exhaustion
    "alias-bomb": ({S: BOMB}),
    "deep-nesting": ({S: "id: trial2020\ntitle: " + "[" * 300 + "]" * 300 + "\n"}),
    "deep-block-nesting": ({S: "id: trial2020\n" + "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n"}),
    # tags
    "python-object-tag": (source_with("title: A trial", "title: !!python/object/apply:os.system ['id']")),
    "python-name-tag": (source_with("title: A trial", "title: !!python/name:os.system")),
    "custom-local-tag": (source_with("title: A trial", "title: !include secrets.yaml")),
    "binary-tag": (source_with("title: A trial", "title: !!binary aGVsbG8=")),
    "merge-key": (source_with("year: 2020", "year: 2020\n<<: {doi: 10.1000/x}")),
    "complex-key": (source_with("year: 2020", "year: 2020\n? [a, b]\n: c")),
    # ids
    "id-path-traversal": (claim_with("id: ldn-fibro-pain", "id: ../../../etc/passwd")),
    "id-with-slash": (claim_with("id: ldn-fibro-pain", "id: ldn/fibro")),
    "id-uppercase": (claim_with("id: ldn-fibro-pain", "id: LDN-Fibro-Pain")),
    "id-unicode-lookalike": (claim_with("id: ldn-fibro-pain", "id: ldn-fіbro-pain")),
    "id-fullwidth": (claim_with("id: ldn-fibro-pain", "id: ｌｄｎ")),
    "id-double-hyphen": (claim_with("id: ldn-fibro-pain", "id: ldn--fibro")),
    "id-too-long": (claim_with("id: ldn-fibro-pain", "id: " + "a" * 70)),
    "source-id-traversal": ({S: SOURCE_RCT.replace("id: trial2020", "id: ../trial2020")}),
    "source-file-name-mismatch": ({S: None, "content/sources/trial-2020.yaml": SOURCE_RCT}),
    "condition-file-name-mismatch": ({C: None, "content/conditions/fibro.yaml": CONDITION_YAML}),
    "duplicate-claim-id-across-files": ({"content/conditions/crps.yaml": CONDITION_YAML.replace("id: fibromyalgia", "id: crps")}),
    "duplicate-claim-id-same-file": (claim_with("claims:\n", "claims:\n" + CONDITION_YAML.split("claims:\n")[1])),
    "duplicate-citation": (claim_with("        role: supports", "        role: supports\n      - id: trial2020\n        role: background")),
    # references and rules
    "unknown-source": (claim_with("- id: trial2020", "- id: trial2021")),
    "unknown-group": (claim_with("group: pain", "group: painn")),
    "unused-source-strict": ({"content/sources/extra2020.yaml": SOURCE_RCT.replace("trial2020", "extra2020")}),
    "tier-fda-without-label": (claim_with("status: off-label\n    grade: low\n    direction: benefit\n    verdict: uncertain", "status: fda-approved\n    grade: low\n    direction: benefit\n    verdict: supported")),
    "tier-off-label-without-study": (source_with("kind: randomized-trial", "kind: preclinical")),
    "grade-too-high": (claim_with("grade: low", "grade: high")),
    "contradicted-without-source": (claim_with("verdict: uncertain", "verdict: contradicted")),
    "supported-without-support": (claim_with("verdict: uncertain\n    sources:\n      - id: trial2020\n        role: supports",
                                             "verdict: supported\n    sources:\n      - id: trial2020\n        role: background")),
    "verdict-direction-supported-mixed": (claim_with("direction: benefit\n    verdict: uncertain", "direction: mixed\n    verdict: supported")),
    "duplicate-identifier": ({S: SOURCE_RCT + "doi: 10.1000/Trial\n",
                              "content/sources/trial2021.yaml": SOURCE_RCT.replace("trial2020", "trial2021") + "doi: 10.1000/TRIAL\n"}),
    "registration-as-evidence": ({S: SOURCE_RCT.replace("kind: randomized-trial", "kind: trial-registration")
                                  + "nct: NCT01234567\nregistration_status: completed\nresults_posted: false\n"}),
    "unknown-label-section": (claim_with("        role: supports", "        role: supports\n        section: overdose")),
    "unknown-registration-condition": ({"content/sources/nct01234567.yaml": "id: nct01234567\nkind: trial-registration\ntitle: A trial\n"
                                        "nct: NCT01234567\nregistration_status: recruiting\nresults_posted: false\n"
                                        "conditions: [fibromyalgia, crsp]\nverified: test\n"}),
    "label-sections-on-a-trial": (source_with("year: 2020", "year: 2020\nsections:\n  - id: results\n    topic: warnings\n"
                                              "    heading: Results\n    locator: Table 2\n    quote: Less pain.")),
    "results-posted-not-bool": ({S: SOURCE_RCT.replace("kind: randomized-trial", "kind: trial-registration")
                                 + "nct: NCT01234567\nregistration_status: completed\nresults_posted: 'no'\n"}),
    # site.yaml decides the topic: dose units, example content, replaced wording
    "dose-unit-not-in-site": (claim_with("    reviewed: 2024-01-01", "    dose: 800 IU\n    reviewed: 2024-01-01")),
    "example-content-in-a-real-project": (source_with("year: 2020", "year: 2020\nexample: true")),
    "unknown-wording-key": (site_with("condition_groups:", "wording:\n  - key: page.condition.titel\n    text: '{condition}'\ncondition_groups:")),
    "wording-placeholder": (site_with("condition_groups:", "wording:\n  - key: page.condition.title\n    text: '{conditon} evidence'\ncondition_groups:")),
    # identifiers, URLs, dates
    "pmid-with-prefix": (source_with("year: 2020", "year: 2020\npmid: PMID:123")),
    "pmid-leading-zero": (source_with("year: 2020", "year: 2020\npmid: '0123'")),
    "doi-url": (source_with("year: 2020", "year: 2020\ndoi: https://doi.org/10.1/x")),
    "doi-no-prefix": (source_with("year: 2020", "year: 2020\ndoi: 11.1000/x")),
    "url-javascript": (source_with("year: 2020", "year: 2020\nurl: javascript:alert(document.cookie)")),
    "url-data": (source_with("year: 2020", "year: 2020\nurl: data:text/html;base64,PHNjcmlwdD4=")),
    "url-with-space": (source_with("year: 2020", "year: 2020\nurl: https://example.org/a b")),
    "url-with-quote": (source_with("year: 2020", "year: 2020\nurl: 'https://example.org/\"onmouseover=\"alert(1)'")),
    "date-impossible": (claim_with("reviewed: 2024-01-01", "reviewed: 2024-02-30")),
    "date-wrong-format": (claim_with("reviewed: 2024-01-01", "reviewed: 1 Jan 2024")),
    "date-future": (claim_with("reviewed: 2024-01-01", "reviewed: 2999-12-31")),
    "year-read-as-date": (source_with("year: 2020", "year: 2020-06-01")),
    "nct-malformed": (source_with("year: 2020", "year: 2020\nnct: NCT-0427")),
    # the content folder itself
    "non-yaml-file": ({"content/README.md": "# notes\n"}),
    "yml-extension": ({"content/sources/extra.yml": "id: extra\n"}),
    "nested-folder": ({"content/conditions/old/x.yaml": "id: x\n"}),
    # injection attempts that must be rejected at validation
    "html-script-in-statement": (claim_with("statement: A trial found less pain.", "statement: Less pain <script>alert(1)</script>")),
    "html-event-handler-in-title": (claim_with("title: LDN reduces pain", "title: 'LDN <img src=x onerror=alert(1)>'")),
    "todo-placeholder": (claim_with("title: LDN reduces pain", "title: TODO")),
    # GRADE inputs and outcomes
    "grade-mismatch": (claim_with("grade: low", "grade: moderate")),
    "grade-missing-inputs-strict": (claim_with("    grading: " + CONDITION_YAML.split("    grading: ")[1], "")),
    "grade-start-above-design": (source_with("kind: randomized-trial", "kind: case-report")),
    "grade-upgrade-not-low": (claim_with("None suspected.}}", "None suspected.}, dose_response: {rating: present, reason: A gradient.}}")),
    "grade-rating-misspelt": (claim_with("{rating: serious, reason: Few", "{rating: severe, reason: Few")),
    "grade-domain-missing": (claim_with(", publication_bias: {rating: none, reason: None suspected.}", "")),
    "outcome-ci-order": (outcome_with("ci: [-1.0, 0.1]", "ci: [0.1, -1.0]")),
    "outcome-estimate-outside-ci": (outcome_with("estimate: -0.5", "estimate: 0.5")),
    "outcome-ratio-negative": (outcome_with("measure: MD\n        estimate: -0.5", "measure: RR\n        estimate: -0.5")),
    "outcome-missing-estimate": (outcome_with("        estimate: -0.5\n", "")),
    "outcome-narrative-without-result": (outcome_with("measure: MD\n        estimate: -0.5\n        ci: [-1.0, 0.1]", "measure: narrative")),
    "outcome-narrative-with-estimate": (outcome_with("measure: MD", "measure: narrative\n        result: Less pain.")),
    "outcome-uncited-source": (outcome_with("sources: [trial2020]", "sources: [trial2021]")),
    "outcome-too-many-participants": ({**outcome_with("participants: 40", "participants: 400"), **source_with("year: 2020", "year: 2020\nparticipants: 99")}),
    "outcome-certainty-too-high": (outcome_with("certainty: low", "certainty: high")),
    "outcome-ci-three-numbers": (outcome_with("ci: [-1.0, 0.1]", "ci: [-1.0, 0.1, 0.2]")),
    "outcome-estimate-text": (outcome_with("estimate: -0.5", "estimate: about half a point")),
    "outcome-participants-zero": (outcome_with("participants: 40", "participants: 0")),
    "outcome-measure-unknown": (outcome_with("measure: MD", "measure: HR")),
}

EXPECTED = {
    'wording-placeholder': "content/site.yaml:7:5: error: site wording 'page.condition.title' uses '{conditon}', which it cannot fill [rule.wording-placeholder]",
    'dose-unit-not-in-site': "content/conditions/fibromyalgia.yaml:17:5: error: claim 'ldn-fibro-pain': dose '800 IU' is in 'IU', not in 'mg' [rule.dose-unit]",
    'example-content-in-a-real-project': "content/sources/trial2020.yaml:5:1: error: source 'trial2020' is invented example content, and this project is not an example [rule.example-content]",
    'unknown-wording-key': "content/site.yaml:7:5: error: site wording: 'page.condition.titel' is not a key of the locale file [rule.unknown-wording]",
    'syntax-mapping-in-value': "content/sources/trial2020.yaml:3:9: error: the value of 'title' contains ': ', which YAML reads as the start of another key [yaml.colon-in-value]",
    'syntax-unclosed-flow-sequence': "content/sources/trial2020.yaml:4:5: error: did not find expected ',' or ']' [yaml.syntax]",
    'syntax-unclosed-flow-mapping': "content/sources/trial2020.yaml:4:5: error: did not find expected ',' or '}' [yaml.syntax]",
    'syntax-unclosed-double-quote': 'content/sources/trial2020.yaml:3:8: error: the value of \'title\' opens a quote (") that is never closed [yaml.unclosed-quote]',
    'syntax-unclosed-single-quote': "content/sources/trial2020.yaml:3:8: error: the value of 'title' opens a quote (') that is never closed [yaml.unclosed-quote]",
    'syntax-bad-indentation': 'content/sources/trial2020.yaml:5:3: error: this line is indented 2 spaces; the lines above are not indented [yaml.indentation]',
    'syntax-sequence-after-mapping': 'content/sources/trial2020.yaml:5:1: error: did not find expected key [yaml.syntax]',
    'syntax-undefined-alias': 'content/sources/trial2020.yaml:3:8: error: found undefined alias [yaml.syntax]',
    'syntax-reserved-character': 'content/sources/trial2020.yaml:3:8: error: found character that cannot start any token [yaml.syntax]',
    'syntax-invalid-escape': 'content/sources/trial2020.yaml:3:11: error: found unknown escape character [yaml.syntax]',
    'syntax-two-documents': 'content/sources/trial2020.yaml:6:1: error: but found another document [yaml.syntax]',
    'syntax-duplicate-anchor': 'content/sources/trial2020.yaml:4:9: error: duplicate anchor (first used at line 3) [yaml.syntax]',
    'syntax-block-end-expected': 'content/conditions/fibromyalgia.yaml:9:4: error: this line is indented 3 spaces; the lines above use 4 [yaml.indentation]',
    'syntax-missing-space-after-colon': "content/sources/trial2020.yaml:3:6: error: no space after the colon in 'title:A trial' [yaml.colon-space]",
    'syntax-claim-without-dash': "content/conditions/fibromyalgia.yaml:18:3: error: this line is in a list but does not start with '- ' [yaml.missing-dash]",
    'syntax-author-without-dash': "content/sources/trial2020.yaml:8:3: error: this line is in a list but does not start with '- ' [yaml.missing-dash]",
    'syntax-colon-in-claim-title': "content/conditions/fibromyalgia.yaml:8:16: error: the value of 'title' contains ': ', which YAML reads as the start of another key [yaml.colon-in-value]",
    'tab-indentation': 'content/sources/trial2020.yaml:4:1: error: tab character used for indentation [yaml.tab]',
    'duplicate-key-source': "content/sources/trial2020.yaml:5:1: error: duplicate key 'year' (first set at line 4) [yaml.duplicate-key]",
    'duplicate-key-site': "content/site.yaml:5:1: error: duplicate key 'language' (first set at line 4) [yaml.duplicate-key]",
    'duplicate-key-condition': "content/conditions/fibromyalgia.yaml:4:3: error: duplicate key 'name' (first set at line 3) [yaml.duplicate-key]",
    'duplicate-key-claim': "content/conditions/fibromyalgia.yaml:12:5: error: duplicate key 'grade' (first set at line 11) [yaml.duplicate-key]",
    'duplicate-key-citation': "content/conditions/fibromyalgia.yaml:17:9: error: duplicate key 'role' (first set at line 16) [yaml.duplicate-key]",
    'duplicate-key-group': "content/site.yaml:9:5: error: duplicate key 'name' (first set at line 8) [yaml.duplicate-key]",
    'type-site-title-number': 'content/site.yaml:1:8: error: site settings: title must be text, found a number (42) [schema.type]',
    'type-site-base-url-list': 'content/site.yaml:3:11: error: site settings: base_url must be text, found a list [schema.type]',
    'type-site-groups-mapping': 'content/site.yaml:7:3: error: site settings: condition_groups must be a list, found a mapping [schema.type]',
    'type-condition-name-bool': "content/conditions/fibromyalgia.yaml:3:9: error: condition 'fibromyalgia': name must be text, found true/false (true) [schema.type]",
    'type-condition-summary-list': "content/conditions/fibromyalgia.yaml:5:12: error: condition 'fibromyalgia': summary must be text, found a list [schema.type]",
    'type-also-known-as-text': "content/conditions/fibromyalgia.yaml:6:18: error: condition 'fibromyalgia': also_known_as must be a list, found text 'FM' [schema.type]",
    'type-statement-number': "content/conditions/fibromyalgia.yaml:9:16: error: claim 'ldn-fibro-pain': statement must be text, found a number (3.5) [schema.type]",
    'type-status-number': "content/conditions/fibromyalgia.yaml:10:13: error: claim 'ldn-fibro-pain': status must be one of fda-approved, off-label, anecdotal, found a number (1) [schema.choice]",
    'type-sources-text': "content/conditions/fibromyalgia.yaml:14:14: error: claim 'ldn-fibro-pain': sources must be a list, found text 'trial2020' [schema.type]",
    'type-role-list': "content/conditions/fibromyalgia.yaml:16:15: error: claim 'ldn-fibro-pain', source 'trial2020': role must be one of asserts, supports, contradicts, background, found a list [schema.choice]",
    'type-quote-number': "content/conditions/fibromyalgia.yaml:17:16: error: claim 'ldn-fibro-pain', source 'trial2020': quote must be text, found a number (12) [schema.type]",
    'type-dose-number': "content/conditions/fibromyalgia.yaml:18:11: error: claim 'ldn-fibro-pain': dose must be text, found a number (4.5) [schema.type]",
    'type-participants-text': "content/sources/trial2020.yaml:5:15: error: source 'trial2020': participants must be a whole number, found text 'ninety' [schema.type]",
    'type-year-quoted': "content/sources/trial2020.yaml:4:7: error: source 'trial2020': year must be a whole number, found text '2020' [schema.type]",
    'type-authors-text': "content/sources/trial2020.yaml:5:10: error: source 'trial2020': authors must be a list, found text 'Doe J' [schema.type]",
    'type-kind-mapping': "content/sources/trial2020.yaml:2:7: error: source 'trial2020': kind must be one of regulatory-label, regulatory-approval, regulatory-record, systematic-review, randomized-trial, non-randomized-study, case-series, case-report, narrative-review, reference-work, trial-protocol, trial-registration, preclinical, commentary, web-article, testimonial, found a mapping [schema.choice]",
    'type-participants-negative': "content/sources/trial2020.yaml:5:15: error: source 'trial2020': participants must not be negative, found -5 [schema.type]",
    'missing-site-disclaimer': "content/site.yaml:1:1: error: site settings: missing required key 'disclaimer' [schema.required]",
    'missing-condition-mapping': "content/conditions/fibromyalgia.yaml:1:1: error: missing required key 'condition' [schema.required]",
    'missing-claim-reviewed': "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain': missing required key 'reviewed' [schema.required]",
    'missing-citation-role': "content/conditions/fibromyalgia.yaml:15:9: error: claim 'ldn-fibro-pain', source 'trial2020': missing required key 'role' [schema.required]",
    'missing-source-title': "content/sources/trial2020.yaml:1:1: error: source 'trial2020': missing required key 'title' [schema.required]",
    'empty-required-value': "content/sources/trial2020.yaml:3:8: error: source 'trial2020': title is empty [schema.empty]",
    'unknown-key-source': "content/sources/trial2020.yaml:5:1: error: source 'trial2020': unknown key 'published' [schema.unknown-key]",
    'unknown-key-claim': "content/conditions/fibromyalgia.yaml:12:5: error: claim 'ldn-fibro-pain': unknown key 'strength' [schema.unknown-key]",
    'unknown-key-citation': "content/conditions/fibromyalgia.yaml:17:9: error: claim 'ldn-fibro-pain', source 'trial2020': unknown key 'page' [schema.unknown-key]",
    'unknown-key-site': "content/site.yaml:5:1: error: site settings: unknown key 'theme' [schema.unknown-key]",
    'empty-source-file': 'content/sources/trial2020.yaml:1:1: error: file is empty [yaml.empty]',
    'whitespace-only-file': 'content/sources/trial2020.yaml:1:1: error: file is empty [yaml.empty]',
    'empty-site-file': 'content/site.yaml:1:1: error: file is empty [yaml.empty]',
    'file-is-a-list': 'content/conditions/fibromyalgia.yaml:1:1: error: expected a mapping of keys to values, found a list [schema.type]',
    'file-is-a-scalar': "content/sources/trial2020.yaml:1:1: error: source: expected a mapping of keys to values, found text 'just some text' [schema.type]",
    'non-utf8-bytes': 'content/sources/trial2020.yaml:3:13: error: byte 0xe0 is not valid UTF-8 [yaml.encoding]',
    'byte-order-mark': 'content/sources/trial2020.yaml:1:1: error: file starts with a byte-order mark [yaml.byte-order-mark]',
    'very-long-line': 'content/sources/trial2020.yaml:3:10001: error: line is 20,007 characters long; the limit is 10,000 [yaml.line-too-long]',
    'too-long-title': "content/sources/trial2020.yaml:3:8: error: source 'trial2020': title is 700 characters long; the limit is 600 [schema.too-long]",
    'control-character': 'content/sources/trial2020.yaml:3:10: error: control character U+001B is not allowed [yaml.control-character]',
    'null-byte': 'content/sources/trial2020.yaml:3:9: error: control character U+0000 is not allowed [yaml.control-character]',
    'huge-file': 'content/sources/trial2020.yaml:1:1: error: file is 1,173,987 bytes; the limit is 1,048,576 [yaml.too-large]',
    'alias-bomb': 'content/sources/trial2020.yaml:1:4: error: anchors and aliases (& and *) are not supported [yaml.alias]',
    'deep-nesting': 'content/sources/trial2020.yaml:2:28: error: values are nested more than 20 levels deep [yaml.too-deep]',
    'deep-block-nesting': 'content/sources/trial2020.yaml:23:43: error: values are nested more than 20 levels deep [yaml.too-deep]',
    'python-object-tag': "content/sources/trial2020.yaml:3:8: error: tag '!!python/object/apply:os.system' is not allowed [yaml.tag]",
    'python-name-tag': "content/sources/trial2020.yaml:3:8: error: tag '!!python/name:os.system' is not allowed [yaml.tag]",
    'custom-local-tag': "content/sources/trial2020.yaml:3:8: error: tag '!include' is not allowed [yaml.tag]",
    'binary-tag': "content/sources/trial2020.yaml:3:8: error: tag '!!binary' is not allowed [yaml.tag]",
    'merge-key': "content/sources/trial2020.yaml:5:1: error: merge keys ('<<') are not supported [yaml.merge-key]",
    'complex-key': 'content/sources/trial2020.yaml:5:3: error: a key must be a plain word, not a list, mapping or tagged value [yaml.key-type]',
    'id-path-traversal': "content/conditions/fibromyalgia.yaml:7:9: error: claim #1: id '../../../etc/passwd' is not valid: expected lowercase letters, digits and single hyphens, like 'fibromyalgia-pain' [schema.id]",
    'id-with-slash': "content/conditions/fibromyalgia.yaml:7:9: error: claim #1: id 'ldn/fibro' is not valid: expected lowercase letters, digits and single hyphens, like 'fibromyalgia-pain' [schema.id]",
    'id-uppercase': "content/conditions/fibromyalgia.yaml:7:9: error: claim #1: id 'LDN-Fibro-Pain' is not valid: expected lowercase letters, digits and single hyphens, like 'fibromyalgia-pain' [schema.id]",
    'id-unicode-lookalike': "content/conditions/fibromyalgia.yaml:7:9: error: claim #1: id 'ldn-fіbro-pain' is not valid: expected lowercase letters, digits and single hyphens, like 'fibromyalgia-pain' [schema.id]",
    'id-fullwidth': "content/conditions/fibromyalgia.yaml:7:9: error: claim #1: id 'ｌｄｎ' is not valid: expected lowercase letters, digits and single hyphens, like 'fibromyalgia-pain' [schema.id]",
    'id-double-hyphen': "content/conditions/fibromyalgia.yaml:7:9: error: claim #1: id 'ldn--fibro' is not valid: expected lowercase letters, digits and single hyphens, like 'fibromyalgia-pain' [schema.id]",
    'id-too-long': "content/conditions/fibromyalgia.yaml:7:9: error: claim #1: id 'aaaaaaaaaaaaaaaaaaaa...' is longer than 64 characters [schema.id]",
    'source-id-traversal': "content/sources/trial2020.yaml:1:5: error: source: id '../trial2020' is not valid: expected lowercase letters, digits and single hyphens, like 'fibromyalgia-pain' [schema.id]",
    'source-file-name-mismatch': "content/sources/trial-2020.yaml:1:5: error: source id 'trial2020' does not match file name 'trial-2020.yaml' [rule.file-name]",
    'condition-file-name-mismatch': "content/conditions/fibro.yaml:2:7: error: condition id 'fibromyalgia' does not match file name 'fibro.yaml' [rule.file-name]",
    'duplicate-claim-id-across-files': "content/conditions/fibromyalgia.yaml:7:5: error: claim id 'ldn-fibro-pain' is already used at content/conditions/crps.yaml:7:5 [ref.duplicate-id]",
    'duplicate-claim-id-same-file': "content/conditions/fibromyalgia.yaml:19:5: error: claim id 'ldn-fibro-pain' is already used at content/conditions/fibromyalgia.yaml:7:5 [ref.duplicate-id]",
    'duplicate-citation': "content/conditions/fibromyalgia.yaml:17:9: error: claim 'ldn-fibro-pain' cites source 'trial2020' twice [ref.duplicate-citation]",
    'unknown-source': "content/conditions/fibromyalgia.yaml:15:9: error: claim 'ldn-fibro-pain' cites unknown source 'trial2021' [ref.unknown-source]",
    'unknown-group': "content/conditions/fibromyalgia.yaml:4:3: error: condition 'fibromyalgia' names unknown group 'painn' [ref.unknown-group]",
    'unused-source-strict': "content/sources/extra2020.yaml:1:1: warning: source 'extra2020' is not cited by any claim [ref.unused-source]",
    'tier-fda-without-label': "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' has status 'fda-approved' but cites no FDA label or approval as support [rule.fda-needs-label]",
    'tier-off-label-without-study': "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' has status 'off-label' but cites no study in people as evidence [rule.off-label-needs-study]",
    'grade-too-high': "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' is graded 'high' but its evidence supports at most 'moderate' [rule.grade-exceeds-evidence]",
    'supported-without-support': "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' has verdict 'supported' but cites no study in people or label with role 'supports' [rule.supported-without-support]",
    'verdict-direction-supported-mixed': "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' has verdict 'supported' but direction 'mixed'; with 'supported' the direction is one of benefit, harm, no-harm, not-applicable [rule.verdict-direction]",
    'duplicate-identifier': "content/sources/trial2021.yaml:1:1: error: source 'trial2021' has the same DOI '10.1000/TRIAL' as source 'trial2020' (content/sources/trial2020.yaml) [ref.duplicate-identifier]",
    'registration-as-evidence': "content/conditions/fibromyalgia.yaml:15:9: error: claim 'ldn-fibro-pain' cites registered trial (trial registry record) 'trial2020' with role 'supports'; a trial without published results is not evidence [rule.registration-as-evidence]",
    'unknown-label-section': "content/conditions/fibromyalgia.yaml:15:9: error: claim 'ldn-fibro-pain' cites section 'overdose' of source 'trial2020', which has no 'sections' [ref.unknown-section]",
    'unknown-registration-condition': "content/sources/nct01234567.yaml:1:1: error: source 'nct01234567' names unknown condition 'crsp' in 'conditions' [ref.unknown-condition]",
    'label-sections-on-a-trial': "content/sources/trial2020.yaml:1:1: error: source 'trial2020' of kind 'randomized-trial' has 'sections', which only a 'regulatory-label' has [rule.kind-field]",
    'results-posted-not-bool': "content/sources/trial2020.yaml:8:17: error: source 'trial2020': results_posted must be true or false, found text 'no' [schema.type]",
    'contradicted-without-source': "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' has verdict 'contradicted' but cites no source with role 'contradicts' [rule.contradicted-needs-source]",
    'pmid-with-prefix': "content/sources/trial2020.yaml:5:7: error: source 'trial2020': pmid 'PMID:123' is not valid: expected a PubMed id of digits only, like '38258677' [schema.pmid]",
    'pmid-leading-zero': "content/sources/trial2020.yaml:5:7: error: source 'trial2020': pmid '0123' is not valid: expected a PubMed id of digits only, like '38258677' [schema.pmid]",
    'doi-url': "content/sources/trial2020.yaml:5:6: error: source 'trial2020': doi 'https://doi.org/10.1/x' is not valid: expected a DOI starting with '10.', like '10.1002/art.37734', without 'https://doi.org/' [schema.doi]",
    'doi-no-prefix': "content/sources/trial2020.yaml:5:6: error: source 'trial2020': doi '11.1000/x' is not valid: expected a DOI starting with '10.', like '10.1002/art.37734', without 'https://doi.org/' [schema.doi]",
    'url-javascript': "content/sources/trial2020.yaml:5:6: error: source 'trial2020': url 'javascript:alert(document.cookie)' is not valid: expected an http:// or https:// address with no spaces [schema.url]",
    'url-data': "content/sources/trial2020.yaml:5:6: error: source 'trial2020': url 'data:text/html;base64,PHNjcmlwdD4=' is not valid: expected an http:// or https:// address with no spaces [schema.url]",
    'url-with-space': "content/sources/trial2020.yaml:5:6: error: source 'trial2020': url 'https://example.org/a b' is not valid: expected an http:// or https:// address with no spaces [schema.url]",
    'url-with-quote': 'content/sources/trial2020.yaml:5:6: error: source \'trial2020\': url \'https://example.org/"onmouseover="alert(1)\' is not valid: expected an http:// or https:// address with no spaces [schema.url]',
    'date-impossible': "content/conditions/fibromyalgia.yaml:17:15: error: claim 'ldn-fibro-pain': reviewed '2024-02-30' is not a real calendar date [schema.date]",
    'date-wrong-format': "content/conditions/fibromyalgia.yaml:17:15: error: claim 'ldn-fibro-pain': reviewed '1 Jan 2024' is not valid: expected a date written YYYY-MM-DD [schema.date]",
    'date-future': "content/conditions/fibromyalgia.yaml:17:5: error: claim 'ldn-fibro-pain': 'reviewed' date 2999-12-31 is in the future [rule.future-date]",
    'year-read-as-date': "content/sources/trial2020.yaml:4:7: error: source 'trial2020': year 2020-06-01 was read as a date; expected a year [yaml.implicit-date]",
    'nct-malformed': "content/sources/trial2020.yaml:5:6: error: source 'trial2020': nct 'NCT-0427' is not valid: expected 'NCT' then 8 digits, like 'NCT04270877' [schema.nct]",
    'non-yaml-file': 'content/README.md: error: file is not part of the content layout [load.unknown-file]',
    'yml-extension': 'content/sources/extra.yml: error: file is not part of the content layout [load.unknown-file]',
    'nested-folder': 'content/conditions/old: error: folder is not part of the content layout [load.unknown-file]',
    'html-script-in-statement': "content/conditions/fibromyalgia.yaml:9:16: error: claim 'ldn-fibro-pain': statement contains HTML '<script>' [schema.raw-html]",
    'html-event-handler-in-title': "content/conditions/fibromyalgia.yaml:8:12: error: claim 'ldn-fibro-pain': title contains HTML '<img src=x onerror=alert(1)>' [schema.raw-html]",
    'todo-placeholder': "content/conditions/fibromyalgia.yaml:8:12: error: claim 'ldn-fibro-pain': title still holds the placeholder 'TODO' [schema.todo]",
    'grade-mismatch': "content/conditions/fibromyalgia.yaml:11:12: error: claim 'ldn-fibro-pain' is graded 'moderate' but its grading computes 'low' (start high, risk of bias -1, imprecision -1) [grade.mismatch]",
    'grade-missing-inputs-strict': "content/conditions/fibromyalgia.yaml:11:12: warning: claim 'ldn-fibro-pain' is graded 'low' but does not record GRADE's inputs ('grading') [grade.missing-inputs]",
    'grade-start-above-design': "content/conditions/fibromyalgia.yaml:18:22: error: claim 'ldn-fibro-pain': grading starts at 'high' but the best design it cites as evidence (case report) starts at 'very-low' [grade.start-exceeds-design]",
    'grade-upgrade-not-low': "content/conditions/fibromyalgia.yaml:18:334: error: claim 'ldn-fibro-pain': grading raises the certainty for dose-response gradient, but it starts at 'high'; only evidence that starts 'low' (observational studies) can be raised [grade.upgrade-not-low]",
    'grade-rating-misspelt': "content/conditions/fibromyalgia.yaml:18:223: error: claim 'ldn-fibro-pain', grading, imprecision: rating 'severe' is not one of none, serious, very-serious [schema.choice]",
    'grade-domain-missing': "content/conditions/fibromyalgia.yaml:18:14: error: claim 'ldn-fibro-pain', grading: missing required key 'publication_bias' [schema.required]",
    'outcome-ci-order': "content/conditions/fibromyalgia.yaml:24:13: error: claim 'ldn-fibro-pain', outcome 'Pain': 95% CI [0.1, -1] is not in order: low must be below high [outcome.ci-order]",
    'outcome-estimate-outside-ci': "content/conditions/fibromyalgia.yaml:23:19: error: claim 'ldn-fibro-pain', outcome 'Pain': estimate 0.5 lies outside its 95% CI [-1, 0.1] [outcome.ci-excludes-estimate]",
    'outcome-ratio-negative': "content/conditions/fibromyalgia.yaml:23:19: error: claim 'ldn-fibro-pain', outcome 'Pain': measure 'RR' is a ratio, but the estimate -0.5 is not above 0 [outcome.ratio-not-positive]",
    'outcome-missing-estimate': "content/conditions/fibromyalgia.yaml:22:18: error: claim 'ldn-fibro-pain', outcome 'Pain': measure 'MD' needs an 'estimate' [outcome.missing-estimate]",
    'outcome-narrative-without-result': "content/conditions/fibromyalgia.yaml:22:18: error: claim 'ldn-fibro-pain', outcome 'Pain': measure is 'narrative' but no 'result' says what was found [outcome.missing-result]",
    'outcome-narrative-with-estimate': "content/conditions/fibromyalgia.yaml:24:19: error: claim 'ldn-fibro-pain', outcome 'Pain': measure is 'narrative' but the outcome gives an estimate [outcome.narrative-estimate]",
    'outcome-uncited-source': "content/conditions/fibromyalgia.yaml:27:18: error: claim 'ldn-fibro-pain', outcome 'Pain': source 'trial2021' is not cited by the claim [outcome.uncited-source]",
    'outcome-too-many-participants': "content/conditions/fibromyalgia.yaml:25:23: error: claim 'ldn-fibro-pain', outcome 'Pain': 400 participants is more than its sources studied (99: trial2020 99) [outcome.participants-exceed-sources]",
    'outcome-certainty-too-high': "content/conditions/fibromyalgia.yaml:29:20: error: claim 'ldn-fibro-pain', outcome 'Pain': certainty 'high' is above what its sources' designs support ('moderate') [outcome.certainty-exceeds-evidence]",
    'outcome-ci-three-numbers': "content/conditions/fibromyalgia.yaml:24:13: error: claim 'ldn-fibro-pain', outcome #1: ci must be two numbers [low, high], found a list of 3 [schema.type]",
    'outcome-estimate-text': "content/conditions/fibromyalgia.yaml:23:19: error: claim 'ldn-fibro-pain', outcome #1: estimate must be a number, found text 'about half a point' [schema.type]",
    'outcome-participants-zero': "content/conditions/fibromyalgia.yaml:25:23: error: claim 'ldn-fibro-pain', outcome #1: participants must be at least 1, found 0 [schema.type]",
    'outcome-measure-unknown': "content/conditions/fibromyalgia.yaml:22:18: error: claim 'ldn-fibro-pain', outcome #1: measure 'HR' is not one of MD, SMD, RR, OR, RD, narrative [schema.choice]",
}
