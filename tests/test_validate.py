"""Each ref.* and rule.* problem code, with its exact report line: the tiers are enforced, not labelled."""

from conftest import CONDITION_YAML, SOURCE_RCT, check_lines, write_project

CLAIM_FILE = "content/conditions/fibromyalgia.yaml"

LABEL = "id: label2020\nkind: regulatory-label\ntitle: A label\nverified: test\n"
WEB = "id: web2020\nkind: web-article\ntitle: An article\nverified: test\n"
CASE = "id: case2020\nkind: case-report\ntitle: A case\nverified: test\n"
REVIEW = "id: review2020\nkind: systematic-review\ntitle: A review\nverified: test\n"
RCT2 = "id: trial2021\nkind: randomized-trial\ntitle: Another trial\nverified: test\n"


def claim(**changes: str) -> str:
    """Return the base condition file with fields of its one claim replaced (YAML snippets)."""
    text = CONDITION_YAML
    for key, value in changes.items():
        start = text.index(f"    {key}:")
        end = text.index("\n    ", start + 5) if key != "reviewed" else len(text) - 1
        if key == "sources":
            end = text.index("    reviewed:", start) - 1
        text = text[:start] + f"    {key}: {value}" + text[end:]
    return text


def sources(*items: tuple[str, str]) -> str:
    return "\n" + "".join(f"      - id: {sid}\n        role: {role}\n" + (
        "        quote: the claim\n" if role == "asserts" else "") for sid, role in items).rstrip("\n")


def project(tmp_path, condition: str, *extra_sources: str):
    files = {CLAIM_FILE: condition}
    for text in extra_sources:
        files[f"content/sources/{text.split()[1]}.yaml"] = text
    return write_project(tmp_path, files)


def test_unknown_source_with_suggestion_and_no_cascade_into_tier_and_grade(tmp_path):
    p = project(tmp_path, CONDITION_YAML.replace("- id: trial2020", "- id: trial2002"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:15:9: error: claim 'ldn-fibro-pain' cites unknown source 'trial2002' [ref.unknown-source]",
        "    hint: did you mean 'trial2020'? Sources are files in content/sources/",
        "content/sources/trial2020.yaml:1:1: warning: source 'trial2020' is not cited by any claim [ref.unused-source]",
        "    hint: cite it from a claim, or delete the file",
    ]


def test_unused_source_is_a_warning_and_fails_only_in_strict_mode(tmp_path):
    p = project(tmp_path, CONDITION_YAML, REVIEW)
    assert check_lines(p) == [
        "content/sources/review2020.yaml:1:1: warning: source 'review2020' is not cited by any claim [ref.unused-source]",
        "    hint: cite it from a claim, or delete the file",
    ]
    from conftest import run_cli

    assert run_cli("check", "--project", p).exit_code == 0
    strict = run_cli("check", "--project", p, "--strict")
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == (
        "ldnsite: 0 errors, 1 warning in 1 file (warnings count as errors in strict mode).")


def test_duplicate_claim_id_across_files(tmp_path):
    other = CONDITION_YAML.replace("id: fibromyalgia", "id: crps").replace("name: Fibromyalgia", "name: CRPS")
    p = write_project(tmp_path, {"content/conditions/crps.yaml": other})
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim id 'ldn-fibro-pain' is already used at content/conditions/crps.yaml:7:5 [ref.duplicate-id]",
        "    hint: claim ids must be unique across all files; rename one of them",
    ]


def test_duplicate_citation(tmp_path):
    p = project(tmp_path, claim(sources=sources(("trial2020", "supports"), ("trial2020", "contradicts"))))
    assert check_lines(p)[0] == (
        "content/conditions/fibromyalgia.yaml:17:9: error: claim 'ldn-fibro-pain' cites source 'trial2020' twice [ref.duplicate-citation]")


def test_unknown_group(tmp_path):
    p = project(tmp_path, CONDITION_YAML.replace("group: pain", "group: pian"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:2:3: error: condition 'fibromyalgia' names unknown group 'pian' [ref.unknown-group]",
        "    hint: did you mean 'pain'? Groups are listed in content/site.yaml",
    ]


def test_condition_id_must_match_file_name(tmp_path):
    p = write_project(tmp_path, {CLAIM_FILE: None, "content/conditions/fibro.yaml": CONDITION_YAML})
    assert check_lines(p) == [
        "content/conditions/fibro.yaml:2:7: error: condition id 'fibromyalgia' does not match file name 'fibro.yaml' [rule.file-name]",
        "    hint: rename the file to 'fibromyalgia.yaml' or change the id to 'fibro'",
    ]


def test_fda_approved_needs_a_label(tmp_path):
    p = project(tmp_path, claim(status="fda-approved", verdict="supported"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' has status 'fda-approved' but cites no FDA label or approval as support [rule.fda-needs-label]",
        "    hint: cite a source of kind 'regulatory-label' or 'regulatory-approval' with role 'supports', or change the status",
    ]


def test_fda_approved_with_a_label_passes(tmp_path):
    p = project(tmp_path, claim(status="fda-approved", verdict="supported",
                                sources=sources(("label2020", "supports"), ("trial2020", "supports"))), LABEL)
    assert check_lines(p) == []


def test_fda_approved_tier_holds_only_supported_claims(tmp_path):
    p = project(tmp_path, claim(status="fda-approved", verdict="contradicted",
                                sources=sources(("label2020", "supports"), ("trial2020", "contradicts"))), LABEL)
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' has status 'fda-approved' but verdict 'contradicted' [rule.fda-needs-support]",
        "    hint: the FDA-approved tier lists only what the label supports; move a doubtful or wrong claim to 'off-label' or "
        "'anecdotal' and keep the label as its evidence",
    ]


def test_off_label_with_only_anecdotal_sources(tmp_path):
    p = project(tmp_path, claim(grade="very-low", sources=sources(("web2020", "asserts"), ("case2020", "supports"), ("trial2020", "background"))),
                WEB, CASE)
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' has status 'off-label' but cites no study in people as evidence [rule.off-label-needs-study]",
        "    hint: cite a randomized trial, non-randomized study or systematic review with role 'supports' or 'contradicts', or change the status to 'anecdotal'",
    ]


def test_off_label_whose_sources_are_all_anecdotal(tmp_path):
    p = write_project(tmp_path, {CLAIM_FILE: claim(grade="very-low", sources=sources(("web2020", "asserts"), ("case2020", "supports"))),
                                 "content/sources/web2020.yaml": WEB, "content/sources/case2020.yaml": CASE,
                                 "content/sources/trial2020.yaml": None})
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' has status 'off-label' but its sources are only web articles, testimonials or case reports [rule.anecdotal-only]",
        "    hint: change the status to 'anecdotal', or cite a study in people",
    ]


def test_anecdotal_claim_from_a_web_article_passes_at_very_low(tmp_path):
    p = project(tmp_path, claim(status="anecdotal", grade="very-low", sources=sources(("web2020", "asserts"), ("trial2020", "contradicts"))), WEB)
    assert check_lines(p) == []


def test_grade_above_what_one_trial_supports(tmp_path):
    p = project(tmp_path, claim(grade="high"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' is graded 'high' but its evidence supports at most 'moderate' [rule.grade-exceeds-evidence]",
        "    hint: lower the grade to 'moderate', cite stronger evidence, or explain the exception in 'grade_rationale'",
    ]


def test_two_trials_or_a_systematic_review_can_support_high(tmp_path):
    two = project(tmp_path / "a", claim(grade="high", sources=sources(("trial2020", "supports"), ("trial2021", "supports"))), RCT2)
    review = project(tmp_path / "b", claim(grade="high", sources=sources(("trial2020", "supports"), ("review2020", "supports"))), REVIEW)
    assert check_lines(two) == []
    assert check_lines(review) == []


def test_background_and_asserting_sources_do_not_raise_the_ceiling(tmp_path):
    p = project(tmp_path, claim(grade="high", sources=sources(("trial2020", "supports"), ("review2020", "background"))), REVIEW)
    assert "[rule.grade-exceeds-evidence]" in check_lines(p)[0]


def test_grade_rationale_allows_an_exception_and_a_needless_one_is_a_warning(tmp_path):
    allowed = project(tmp_path / "a", claim(grade="high") + "    grade_rationale: The effect is pharmacologically certain.\n")
    needless = project(tmp_path / "b", claim() + "    grade_rationale: Not needed.\n")
    assert check_lines(allowed) == []
    assert check_lines(needless) == [
        "content/conditions/fibromyalgia.yaml:7:5: warning: claim 'ldn-fibro-pain' has a 'grade_rationale' but its grade 'low' needs none [rule.needless-rationale]",
        "    hint: remove 'grade_rationale' so that readers are not told of an exception that is not there",
    ]


def test_contradicted_needs_a_contradicting_source(tmp_path):
    p = project(tmp_path, claim(verdict="contradicted"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' has verdict 'contradicted' but cites no source with role 'contradicts' [rule.contradicted-needs-source]",
        "    hint: cite the source that contradicts the claim",
    ]


def test_asserting_source_needs_a_quote(tmp_path):
    text = claim(sources=sources(("trial2020", "supports"), ("web2020", "asserts"))).replace("        quote: the claim\n", "")
    p = project(tmp_path, text, WEB)
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:17:9: error: claim 'ldn-fibro-pain': source 'web2020' asserts the claim but no 'quote' shows where [rule.asserts-needs-quote]",
        "    hint: add 'quote:' with the source's own words (at most 300 characters)",
    ]


def test_supported_verdict_with_no_benefit_is_a_warning(tmp_path):
    p = project(tmp_path, claim(verdict="supported", direction="no-benefit"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: warning: claim 'ldn-fibro-pain' has verdict 'supported' but direction 'no-benefit' [rule.verdict-direction]",
        "    hint: check both fields: a claim the studies did not confirm is not 'supported'",
    ]


def test_future_review_date(tmp_path):
    p = project(tmp_path, claim(reviewed="2999-01-01"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain': 'reviewed' date 2999-01-01 is in the future [rule.future-date]",
        "    hint: use the date the evidence was actually reviewed",
    ]


def test_a_review_dated_tomorrow_utc_is_accepted_for_editors_ahead_of_utc(tmp_path):
    import datetime as dt

    tomorrow = (dt.datetime.now(tz=dt.timezone.utc).date() + dt.timedelta(days=1)).isoformat()
    assert check_lines(project(tmp_path, claim(reviewed=tomorrow))) == []


def test_source_date_and_year_must_agree(tmp_path):
    p = write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT + "date: '2021-03-04'\n"})
    assert check_lines(p) == [
        "content/sources/trial2020.yaml:1:1: error: source 'trial2020': date 2021-03-04 and year 2020 disagree [rule.date-year]",
        "    hint: keep only 'date', or make the two agree",
    ]


def test_a_broken_source_file_does_not_cascade_into_claim_errors(tmp_path):
    p = write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT.replace("kind: randomized-trial", "kind: rct")})
    assert [line for line in check_lines(p) if not line.startswith("    hint")] == [
        "content/sources/trial2020.yaml:2:7: error: source 'trial2020': kind 'rct' is not one of regulatory-label, regulatory-approval, "
        "regulatory-record, systematic-review, randomized-trial, non-randomized-study, case-series, case-report, narrative-review, "
        "reference-work, trial-protocol, preclinical, commentary, web-article, testimonial [schema.choice]",
    ]


def test_a_claim_added_after_its_review_is_reported_at_the_claim(tmp_path):
    p = project(tmp_path, claim(reviewed="2024-01-01\n    added: 2024-02-01"))
    assert check_lines(p) == [
        "content/conditions/fibromyalgia.yaml:7:5: error: claim 'ldn-fibro-pain' was added (2024-02-01) after it was last "
        "reviewed (2024-01-01) [rule.future-date]",
        "    hint: a claim is reviewed when it is added; set 'reviewed' to the later date",
    ]


def test_a_source_dated_in_the_future_is_reported_at_the_source(tmp_path):
    p = write_project(tmp_path, {"content/sources/trial2020.yaml": SOURCE_RCT.replace("year: 2020", "year: 2099")
                                 + "date: '2099-03-04'\n"})
    assert check_lines(p) == [
        "content/sources/trial2020.yaml:1:1: error: source 'trial2020': date 2099-03-04 is in the future [rule.future-date]",
    ]
