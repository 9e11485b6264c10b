"""What a patient and a clinician see in the PDF: order, wording, pages, metadata."""

from __future__ import annotations

import io

import pytest
from personas import PERSONA_1, PERSONA_2, PERSONA_3, SEED
from pypdf import PdfReader
from pypdf.generic import NameObject

from screening import AnswersInvalid, render_pdf
from screening.rules import Catalogue
from screening.summary import DONE_RECENTLY, NOT_A_DIAGNOSIS, NOTHING_MATCHED

from .conftest import Pdf, flat, make_pdf


def test_seed_persona_fits_on_three_pages(seed_pdf: Pdf) -> None:
    assert 1 <= len(seed_pdf.reader.pages) <= 3


def test_header_says_not_a_diagnosis_and_rules_version_on_page_one(seed_pdf: Pdf) -> None:
    first = flat(seed_pdf.pages[0])
    assert NOT_A_DIAGNOSIS in first
    assert f"Rules version {seed_pdf.summary.rules_label}" in first.split(NOT_A_DIAGNOSIS)[0]
    created = seed_pdf.summary.created
    assert f"{created:%B} {created.day}, {created.year}" in first


def test_every_urgent_flag_title_and_action_is_on_page_one_even_with_all_yes(
    all_yes_pdf: Pdf,
) -> None:
    summary = all_yes_pdf.summary
    assert len(summary.urgent) > 3  # the compact list at the top is what keeps them on page 1
    first = flat(all_yes_pdf.pages[0])
    for flag in summary.urgent:
        assert f"{summary.action_label(flag)}: {flag.title}" in first


def test_urgent_box_comes_before_everything_else(all_yes_pdf: Pdf) -> None:
    lines = all_yes_pdf.lines
    order = [
        "Get help now",
        "Talk with your doctor about",
        "Good to know",
        "Tests to ask about",
        "Questions to ask your doctor",
        "Your answers",
        "Notes from your clinician",
        "Sources",
    ]
    positions = [lines.index(heading) for heading in order]  # headings stand on their own line
    assert positions == sorted(positions)


def test_single_urgent_flag_is_shown_in_full_with_its_action(rules: Catalogue) -> None:
    pdf = make_pdf(PERSONA_2, rules)
    (flag,) = pdf.summary.urgent
    first = flat(pdf.pages[0])
    assert "Get help now" in pdf.lines
    assert pdf.summary.action_label(flag) == "Call 911 now"
    assert f"{flag.title} Call 911 now {flat(flag.text)}" in first
    assert NOTHING_MATCHED not in pdf.text  # an urgent flag is a match


def test_flag_titles_texts_and_answers_appear(seed_pdf: Pdf) -> None:
    summary = seed_pdf.summary
    assert summary.discuss and summary.info
    for flag in summary.evaluation.flags:
        assert flat(flag.title) in seed_pdf.text
        assert flat(flag.text) in seed_pdf.text
        for extra in flag.extra:
            assert flat(extra) in seed_pdf.text
    for section in summary.sections:
        for item in section.items:
            assert f"{flat(item.name)}: {item.answer}" in seed_pdf.text
    assert "67 years" in seed_pdf.text
    assert "Yes, type 2" in seed_pdf.text


def test_tests_and_questions_to_ask_are_listed(seed_pdf: Pdf) -> None:
    for test in seed_pdf.summary.tests:
        assert f"{flat(test.name)}. {flat(test.why)}" in seed_pdf.text
    for ask in seed_pdf.summary.asks:
        assert flat(ask.text) in seed_pdf.text


def test_sources_appendix_has_citation_and_address(seed_pdf: Pdf) -> None:
    appendix = seed_pdf.text.split("Notes from your clinician")[1]
    squeezed = appendix.replace(" ", "")
    for number, source in enumerate(seed_pdf.summary.sources, start=1):
        # long addresses wrap anywhere, so compare without the spaces added at line ends
        assert f"[{number}]{source.citation}".replace(" ", "") in squeezed
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
    assert "What your answers showed" in pdf.lines


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
    assert reader.metadata.title == f"{seed_pdf.summary.title}: summary for your doctor"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_pdf_is_tagged(seed_pdf: Pdf) -> None:
    root = seed_pdf.reader.trailer["/Root"]
    assert NameObject("/StructTreeRoot") in root
    assert bool(root["/MarkInfo"]["/Marked"])


def test_bookmarks_for_each_part(seed_pdf: Pdf) -> None:
    def titles(outline: list) -> list[str]:
        found: list[str] = []
        for item in outline:
            found.extend(titles(item) if isinstance(item, list) else [item.title])
        return found

    bookmarks = titles(seed_pdf.reader.outline)
    for part in (
        "Talk with your doctor about",
        "Good to know",
        "Tests to ask about",
        "Questions to ask your doctor",
        "Your answers",
        "Notes from your clinician",
        "Sources",
    ):
        assert part in bookmarks
    assert seed_pdf.summary.discuss[0].title in bookmarks


def test_vendored_font_is_embedded(seed_pdf: Pdf) -> None:
    embedded = set()
    for page in seed_pdf.reader.pages:
        for font in page["/Resources"]["/Font"].values():
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
    with pytest.raises(ValueError, match="unknown paper size 'legal'"):
        render_pdf(PERSONA_2, paper="legal")


def test_name_is_printed_only_when_given(rules: Catalogue, seed_pdf: Pdf) -> None:
    named = make_pdf(PERSONA_2, rules, name="  Ann O'Neil-Ruiz  ")
    assert "Prepared for: Ann O'Neil-Ruiz" in flat(named.pages[0])
    assert "Prepared for" not in seed_pdf.text


def test_invalid_answers_are_refused_with_every_problem() -> None:
    with pytest.raises(AnswersInvalid) as info:
        render_pdf({"age": "old", "diabetis": "yes"})
    assert {p.question_id for p in info.value.problems} == {"age", "diabetis"}


def test_long_free_text_wraps_inside_the_page(rules: Catalogue) -> None:
    word = "B" * 300  # one 'word' far wider than the page
    pdf = make_pdf({**SEED, "supp_other": f"Fish oil and {word} daily"}, rules)
    lines = [line for page in pdf.pages for line in page.splitlines() if "BBB" in line]
    assert len(lines) >= 3
    assert sum(line.count("B") for line in lines) == 300
    assert max(len(line.rstrip()) for line in lines) < 160


def test_page_one_has_the_key_answers_at_a_glance(seed_pdf: Pdf) -> None:
    first = flat(seed_pdf.pages[0])
    glance = first.split("At a glance: your answers other than “no”")[1].split("Talk with")[0]
    for expected in (
        "Age: 67 years",
        "Diabetes: Yes, type 2",
        "Years since diabetes was found: 12",
        "Metformin: Yes",
        "Magnesium from supplements: 250 mg a day",
        "Joint replaced: Hip",
    ):
        assert expected in glance
    assert "Burning pain" not in glance  # answered "no": listed only under "Your answers"
    assert "Burning pain: No" in seed_pdf.text
