"""What a patient and a clinician see in the PDF: order, wording, pages, metadata."""

from __future__ import annotations

import io
from typing import Any

import pytest
from personas import PERSONA_1, PERSONA_2, PERSONA_3, SEED
from pypdf import PdfReader
from pypdf.generic import NameObject

from screening import AnswersInvalid, render_pdf
from screening.rules import Catalogue
from screening.summary import DONE_RECENTLY, NOTHING_MATCHED

from .conftest import Pdf, flat, make_pdf


def test_seed_persona_fits_on_three_pages(seed_man_pdf: Pdf, seed_pdf: Pdf) -> None:
    assert len(seed_man_pdf.reader.pages) <= 3  # with the QR code and his own words
    assert seed_man_pdf.summary.own_words and "Scan to open" in seed_man_pdf.pages[0]
    assert len(seed_pdf.reader.pages) <= 3


def test_all_yes_fits_on_six_pages(all_yes_pdf: Pdf) -> None:
    assert len(all_yes_pdf.reader.pages) <= 6


def test_page_one_is_for_the_clinician_and_says_what_it_is(seed_pdf: Pdf) -> None:
    first = flat(seed_pdf.pages[0])
    assert first.startswith(f"{seed_pdf.summary.title}: summary for the clinician")
    assert f"Rules {seed_pdf.summary.rules_label}" in first
    assert "Not a diagnosis and not a validated instrument" in first
    created = seed_pdf.summary.created
    assert f"{created:%B} {created.day}, {created.year}" in first
    assert "For you: what your answers mean" not in first  # the patient's part starts on page 2
    assert flat(seed_pdf.pages[1]).startswith("For you: what your answers mean")


def test_page_one_alone_carries_the_key_facts_topics_and_tests(seed_pdf: Pdf) -> None:
    summary = seed_pdf.summary
    first = flat(seed_pdf.pages[0])
    assert summary.key_facts
    for fact in summary.key_facts:
        assert flat(fact.text) in first
    for flag in summary.discuss + summary.info:
        assert flat(flag.clinician) in first
    for test in summary.tests:
        assert flat(test.name) in first
    assert summary.who and summary.who in first


def test_page_one_names_every_positive_answer_outside_the_safety_page(
    rules: Catalogue, seed_pdf: Pdf
) -> None:
    first = flat(seed_pdf.pages[0])
    shown = seed_pdf.summary.evaluation.answers
    for q in rules.ordered_questions():
        if q.section_id == rules.sections[0].id or q.id in ("age", "sex"):
            continue
        if q.type == "yesno" and shown.get(q.id) == "yes":
            assert flat(q.name[:1].upper() + q.name[1:]) in first, q.id
        elif q.type == "number" and shown.get(q.id):
            assert flat(q.answer_text(shown[q.id])) in first, q.id


def test_every_urgent_flag_is_on_page_one_with_what_the_patient_was_told(
    all_yes_pdf: Pdf,
) -> None:
    summary = all_yes_pdf.summary
    assert len(summary.urgent) > 3
    first = flat(all_yes_pdf.pages[0])
    assert "Urgent: the patient was told" in first
    for flag in summary.urgent:
        assert f"{summary.action_label(flag)} — {flat(flag.clinician)}" in first


def test_parts_come_in_order(all_yes_pdf: Pdf) -> None:
    lines = all_yes_pdf.lines
    order = [
        "Urgent: the patient was told",
        "Key facts reported",
        "Topics to discuss, most important first",
        "Tests to consider",
        "Clinician notes",
        "For you: what your answers mean",
        "Get help now",
        "Talk with your doctor about",
        "Good to know",
        "Tests to ask about",
        "Questions to ask your doctor",
        "All answers",
        "Sources",
    ]
    positions = [lines.index(heading) for heading in order]  # headings stand on their own line
    assert positions == sorted(positions)


def test_single_urgent_flag_is_shown_with_its_action(rules: Catalogue) -> None:
    pdf = make_pdf(PERSONA_2, rules)
    (flag,) = pdf.summary.urgent
    assert pdf.summary.action_label(flag) == "Call 911 now"
    assert f"Call 911 now — {flat(flag.clinician)}" in flat(pdf.pages[0])
    assert f"Call 911 now: {flag.title}" in pdf.text and flat(flag.text) in pdf.text
    assert NOTHING_MATCHED not in pdf.text  # an urgent flag is a match


def test_skipped_questions_are_counted_with_the_ones_that_matter(seed_pdf: Pdf) -> None:
    gaps = seed_pdf.summary.gaps
    first = flat(seed_pdf.pages[0])
    if gaps.skipped:
        assert f"{gaps.skipped} question" in first
    for name in gaps.skipped_that_matter[:3]:
        assert flat(name) in first


def test_flag_titles_texts_and_answers_appear(seed_pdf: Pdf) -> None:
    summary = seed_pdf.summary
    assert summary.discuss and summary.info
    for flag in summary.evaluation.flags:
        assert flat(flag.title) in seed_pdf.text
        assert flat(flag.text) in seed_pdf.text
        for extra in flag.extra:
            assert flat(extra) in seed_pdf.text
    squeezed = seed_pdf.text.replace(" ", "")
    for section in summary.sections:
        for item in section.not_no:
            assert f"{flat(item.name)}: {flat(item.answer)}" in seed_pdf.text
        if section.answered_no:  # a section's plain "no" answers come together, after "No:"
            names = "; ".join(item.name for item in section.answered_no)
            assert f"No:{names}".replace(" ", "") in squeezed, section.id


def test_tests_and_questions_to_ask_are_listed(seed_pdf: Pdf) -> None:
    for test in seed_pdf.summary.tests:
        assert f"{flat(test.name)}. {flat(test.why)}" in seed_pdf.text
    for ask in seed_pdf.summary.asks:
        assert flat(ask.text) in seed_pdf.text


def test_sources_appendix_has_citation_and_address(seed_pdf: Pdf) -> None:
    appendix = seed_pdf.text.split("Clinician notes")[1]
    squeezed = appendix.replace(" ", "")
    for number, source in enumerate(seed_pdf.summary.sources, start=1):
        # long addresses wrap anywhere, so compare without the spaces added at line ends
        # citations are cut at a word to about a line and a half; the link finds the rest
        start = source.citation[:60].rsplit(" ", 1)[0]
        assert f"[{number}]{start}".replace(" ", "") in squeezed
        assert source.url.replace(" ", "") in squeezed


def test_unanswered_question_is_not_printed(rules: Catalogue, seed_pdf: Pdf) -> None:
    celiac = rules.questions["gut_celiac"]
    assert "gut_celiac" not in SEED
    assert celiac.short and celiac.short.capitalize() not in seed_pdf.text
    assert celiac.label.split("?")[0] not in seed_pdf.text


def test_answers_to_hidden_questions_are_not_printed(rules: Catalogue) -> None:
    # PERSONA_1 says no magnesium, so the amount question is never asked: a stale amount
    # left in the answers must not reach the doctor.
    pdf = make_pdf({**PERSONA_1, "supp_magnesium_mg": 400}, rules)
    amount = rules.questions["supp_magnesium_mg"]
    assert amount.short and amount.short.capitalize() not in pdf.text
    assert "400 mg" not in pdf.text


def test_nothing_matched_shows_the_neutral_message(rules: Catalogue) -> None:
    pdf = make_pdf(PERSONA_1, rules)
    assert NOTHING_MATCHED in pdf.text
    assert "Talk with your doctor about" not in pdf.lines
    assert "Get help now" not in pdf.lines
    assert "No topic was matched. Nerve damage can be silent" in flat(pdf.pages[0])


def test_test_done_recently_says_ask_what_it_showed(rules: Catalogue) -> None:
    pdf = make_pdf(PERSONA_3, rules)
    done = [t for t in pdf.summary.tests if t.done_recently]
    assert done
    for test in done:
        assert f"{flat(test.why)} {DONE_RECENTLY}" in pdf.text


def test_rules_version_and_page_number_on_every_page(all_yes_pdf: Pdf) -> None:
    total = len(all_yes_pdf.pages)
    assert total > 3
    label = all_yes_pdf.summary.rules_label
    for number, page in enumerate(all_yes_pdf.pages, start=1):
        assert f"Rules version {label} · Page {number} of {total}" in flat(page)


def test_metadata_title_and_language(seed_pdf: Pdf) -> None:
    reader = seed_pdf.reader
    assert reader.metadata is not None
    assert reader.metadata.title == f"{seed_pdf.summary.title}: summary for the clinician"
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "en"


def test_pdf_is_tagged(seed_pdf: Pdf) -> None:
    root: Any = seed_pdf.reader.trailer["/Root"]
    assert NameObject("/StructTreeRoot") in root
    assert bool(root["/MarkInfo"]["/Marked"])


def test_bookmarks_for_each_part(seed_pdf: Pdf) -> None:
    def titles(outline: list[Any]) -> list[str]:
        found: list[str] = []
        for item in outline:
            found.extend(titles(item) if isinstance(item, list) else [item.title])
        return found

    bookmarks = titles(seed_pdf.reader.outline)
    for part in (
        "Key facts reported",
        "Topics to discuss, most important first",
        "Tests to consider",
        "For you: what your answers mean",
        "Talk with your doctor about",
        "Good to know",
        "Tests to ask about",
        "Questions to ask your doctor",
        "All answers",
        "Clinician notes",
        "Sources",
    ):
        assert part in bookmarks
    assert seed_pdf.summary.discuss[0].title in bookmarks


def test_vendored_font_is_embedded(seed_pdf: Pdf) -> None:
    embedded = set()
    for page in seed_pdf.reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor or "/FontFile3" in descriptor:
                    embedded.add(str(descriptor["/FontName"]))
    assert any("Atkinson-Hyperlegible" in name and "Bold" not in name for name in embedded)
    assert any("Atkinson-Hyperlegible-Bold" in name for name in embedded)


@pytest.mark.parametrize(
    ("paper", "size"), [("letter", (612, 792)), ("a4", (595.28, 841.89)), ("A4", (595.28, 841.89))]
)
def test_paper_size(paper: str, size: tuple[float, float]) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(PERSONA_2, paper=paper)))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.01)


def test_unknown_paper_is_refused() -> None:
    with pytest.raises(ValueError, match="paper size must be letter or a4"):
        render_pdf(PERSONA_2, paper="legal")


def test_name_is_printed_only_when_given(rules: Catalogue, seed_pdf: Pdf) -> None:
    named = make_pdf(PERSONA_2, rules, name="  Ann O'Neil-Ruiz  ")
    assert "Patient: Ann O'Neil-Ruiz" in flat(named.pages[0])
    assert "Patient:" not in seed_pdf.text


def test_invalid_answers_are_refused_with_every_problem() -> None:
    with pytest.raises(AnswersInvalid) as info:
        render_pdf({"age": "old", "diabetis": "yes"})
    assert {p.question_id for p in info.value.problems} == {"age", "diabetis"}


def test_long_free_text_wraps_inside_the_page(rules: Catalogue) -> None:
    word = "B" * 300  # one 'word' far wider than the page
    pdf = make_pdf({**SEED, "supp_other": f"Fish oil and {word} daily"}, rules)
    lines = [line for page in pdf.pages for line in page.splitlines() if "BBB" in line]
    assert len(lines) >= 3  # wrapped, on page 1 (key facts) and under all answers
    assert "".join(pdf.pages).count("B" * 300) == 0  # never on one line
    assert "Fish oil and" in pdf.pages[0]  # key facts on page 1
    assert "B" * 300 in pdf.text.replace(" ", "")  # printed whole under all answers
    assert max(len(line.rstrip()) for line in lines) < 160
