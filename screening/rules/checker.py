"""Checks on rules.yaml beyond its shape: wording, numbers, retired ids, completeness, examples.

The builder (builder.py) turns each block into frozen objects and checks references as it goes
(unknown ids, answer codes, types). What is checked here looks at a flag or the file as a
whole: the wording rules of CONTENT.md (a), "not sure" on urgent flags, examples, flag cycles,
ids an earlier rule set retired, the end-of-file marker, and warnings that do not stop the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..language.conditions import Compare, Condition, Count, FlagFired, Use, questions_read, walk
from ..language.positions import Pos, did_you_mean, key_pos, value_pos
from ..questionnaire.answers import validate_answers
from ..questionnaire.model import Question, Section
from ..questionnaire.pages import split_pages
from .catalogue import Example, Flag, Retired, RetiredId
from .report import Report
from .schema import FlagModel, RetiredModel
from .source import END_LINE, ENDS_EARLY

MAX_TITLE_WORDS = 10
MAX_TEXT_WORDS = 90
MAX_SUMMARY_WORDS = 20
PLACEHOLDERS = ("emergency_number",)

END_KEY = "end"  # the completeness marker's key (source.py: END_LINE)


def words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


# --- numbers in patient text (CONTENT.md a: at most one plain frequency per flag; no odds,
# study years or sample sizes: those belong in pdf_note) --------------------------------------

_NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
FREQUENCY = re.compile(
    rf"\b{_NUMBER_WORD}\s+(?:in|out of)\s+{_NUMBER_WORD}\b"
    r"|\b\d+(?:\.\d+)?\s?%|\bper ?cent\b"
    r"|\b(?:half|a third|a quarter|two[- ]thirds|three[- ]quarters)\s+of\b",
    re.IGNORECASE,
)
STUDY_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
ODDS = re.compile(
    r"\bodds\b|\b(?:hazard|risk) ratio\b|\brelative risk\b|\bconfidence interval\b"
    r"|\b\d+(?:\.\d+)?[- ]?(?:times|fold)\b",
    re.IGNORECASE,
)
SAMPLE_SIZE = re.compile(
    r"\b\d+\s+(?:people|patients|participants|adults|men|women|cases|subjects|dieters)\b",
    re.IGNORECASE,
)


def frequency_figures(text: str) -> list[str]:
    return [m.group(0) for m in FREQUENCY.finditer(text)]


def number_problems(text: str) -> list[str]:
    """What in one patient text breaks the numeracy rules, in an editor's words."""
    problems = []
    figures = frequency_figures(text)
    if len(figures) > 1:
        problems.append(
            f"has {len(figures)} frequency figures ({'; '.join(figures)}); keep at most one "
            "per flag"
        )
    for pattern, what in (
        (STUDY_YEAR, "a study year"),
        (ODDS, "an odds ratio or 'times more likely' figure"),
        (SAMPLE_SIZE, "a study size"),
    ):
        found = pattern.search(text)
        if found:
            problems.append(f'has {what} ("{found.group(0)}"); move it to pdf_note')
    return problems


def patient_texts(flag: Flag, extras: Iterable[str] = ()) -> str:
    """Everything of a flag a patient reads, as one text (for the one-figure rule)."""
    return "\n".join(t for t in (flag.title, flag.summary, flag.text, flag.after, *extras) if t)


# --- placeholders -----------------------------------------------------------------------------


def check_placeholders(
    report: Report, text: str, pos: Pos, questions: Mapping[str, Question] | None = None
) -> None:
    """{emergency_number} everywhere; {answer:question_id} only in clinician lines."""
    for name in re.findall(r"\{([^{}]*)\}", text):
        if name in PLACEHOLDERS:
            continue
        if questions is not None and name.startswith("answer:"):
            qid = name.removeprefix("answer:")
            if qid not in questions:
                report.err(
                    pos, f'unknown question "{qid}" in {{{name}}}{did_you_mean(qid, questions)}'
                )
            continue
        allowed = "{emergency_number}" + (" and {answer:question_id}" if questions else "")
        report.err(
            pos,
            f'unknown placeholder "{{{name}}}"{did_you_mean(name, PLACEHOLDERS)}; '
            f"allowed here: {allowed}",
        )


# --- one flag ---------------------------------------------------------------------------------


def check_flag_fields(report: Report, model: FlagModel, path: tuple[Any, ...], where: str) -> None:
    """Which fields a level may have, word limits and the numeracy rules of the patient text."""
    if model.level == "urgent" and model.action is None:
        report.err(report.at(*path, "level"), f'{where}: an urgent flag needs an "action"')
    if model.level != "urgent":
        for name in ("action", "after"):
            if getattr(model, name) is not None:
                report.err(
                    key_pos(report.raw(*path), name),
                    f'{where}: only urgent flags have "{name}"'
                    + (" (write these facts in text)" if name == "after" else ""),
                )
        for k, extra in enumerate(model.add_when):
            if extra.in_box:
                report.err(
                    report.at(*path, "add_when", k),
                    f'{where}: "in_box" is only for urgent flags (their interrupting box)',
                )
    if model.priority is not None and model.level != "discuss":
        report.err(
            key_pos(report.raw(*path), "priority"),
            f'{where}: "priority" orders the topics to discuss; only discuss flags have it',
        )
    title_words = words(model.title)
    if title_words > MAX_TITLE_WORDS:
        report.err(
            report.at(*path, "title"),
            f"{where}: the title has {title_words} words; keep it to {MAX_TITLE_WORDS}",
        )
    for name, limit in (("text", MAX_TEXT_WORDS), ("after", MAX_TEXT_WORDS)):
        value = getattr(model, name)
        if value and words(value.replace("{emergency_number}", "911")) > limit:
            report.err(
                report.at(*path, name),
                f"{where}: the {name} has {words(value)} words; keep it to {limit}",
            )
    if model.summary and words(model.summary) > MAX_SUMMARY_WORDS:
        report.err(
            report.at(*path, "summary"),
            f"{where}: the summary has {words(model.summary)} words; it is one line: keep it to "
            f"{MAX_SUMMARY_WORDS}",
        )
    for name in ("summary", "clinician"):
        if getattr(model, name) is None:
            report.warn(
                report.at(*path),
                f'{where} has no "{name}": '
                + (
                    "the results page shows only its title above the details"
                    if name == "summary"
                    else "PDF page 1 lists it by its title only"
                ),
            )
    main = "\n".join(t for t in (model.title, model.summary, model.text, model.after) if t)
    main_figures = frequency_figures(main)
    for name in ("title", "summary", "text", "after"):
        value = getattr(model, name)
        if value:
            check_placeholders(report, value, report.at(*path, name))
    for problem in number_problems(main):
        report.err(report.at(*path, "text"), f"{where}: the patient text {problem}")
    for k, extra in enumerate(model.add_when):
        apath = (*path, "add_when", k)
        if extra.text:
            check_placeholders(report, extra.text, report.at(*apath, "text"))
            for problem in number_problems(extra.text):
                report.err(report.at(*apath, "text"), f"{where}: this add_when text {problem}")
            if main_figures and frequency_figures(extra.text):
                report.warn(
                    report.at(*apath, "text"),
                    f"{where}: this add_when text has a frequency figure and so does the main "
                    "text; both show when it applies (move the main figure into an add_when "
                    "that excludes this one)",
                )


def check_not_sure(
    report: Report,
    when: Condition,
    named: Mapping[str, Condition],
    safety_ids: set[str],
    model: FlagModel,
    where: str,
) -> None:
    """ "Not sure" alone never fires an urgent flag, except about the safety-page signs."""
    if model.level != "urgent":
        return
    nodes = list(walk(when))
    for node in list(nodes):
        if isinstance(node, Use) and node.name in named:
            nodes.extend(walk(named[node.name]))
    for node in nodes:
        outside = False
        if isinstance(node, Compare):
            values = node.value if isinstance(node.value, tuple) else (node.value,)
            outside = "not_sure" in values and node.q not in safety_ids
        elif isinstance(node, Count) and node.form == "any_not_sure":
            outside = any(q not in safety_ids for q in node.questions)
        if outside:
            report.err(
                node.pos,
                f'{where}: an urgent flag must not fire on a "not sure" answer outside the '
                "safety page",
            )


def examples_of(
    report: Report,
    model: FlagModel,
    path: tuple[Any, ...],
    where: str,
    questions: Mapping[str, Question],
) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    """The flag's fires/silent examples, each checked as an answers file would be."""
    if model.examples is None:
        report.err(
            report.at(*path),
            f"{where} has no examples: add examples: with fires: and silent: answer sets",
        )
        return (), ()
    found: dict[str, tuple[Example, ...]] = {}
    for kind in ("fires", "silent"):
        items = getattr(model.examples, kind)
        if not items:
            report.err(
                report.at(*path, "examples"),
                f"{where} needs at least one example under {kind}: "
                + ("(answers that must show it)" if kind == "fires" else "(answers that must not)"),
            )
        built: list[Example] = []
        for k, answers in enumerate(items):
            epath = (*path, "examples", kind, k)
            epos = report.at(*epath)
            if not isinstance(answers, Mapping):
                report.err(
                    epos, f"{where}: example {k + 1} under {kind} must be answers like {{age: 70}}"
                )
                continue
            raw_answers = report.raw(*epath)
            for problem in validate_answers(answers, questions):
                at = (
                    value_pos(raw_answers, problem.question_id)
                    if problem.question_id in raw_answers
                    else None
                )
                if problem.kind == "unknown":
                    at = key_pos(raw_answers, problem.question_id)
                report.err(at or epos, f"{where}: example {k + 1} under {kind}: {problem.message}")
            built.append(Example(dict(answers), epos, k + 1))
        found[kind] = tuple(built)
    return found.get("fires", ()), found.get("silent", ())


# --- the flags together -----------------------------------------------------------------------


def find_cycle(start: str, edges: Callable[[str], Iterable[str]]) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    while stack:
        node, trail = stack.pop()
        for nxt in edges(node):
            if nxt == start:
                return [*trail, start]
            if nxt not in trail:
                stack.append((nxt, [*trail, nxt]))
    return None


def flag_order(report: Report, flags: Sequence[Flag]) -> tuple[str, ...]:
    """Flags sorted so that every flag comes after the flags it reads or is suppressed by."""
    deps = {
        f.id: sorted(
            {n.flag for n in walk(f.when) if isinstance(n, FlagFired)}
            | {n.flag for a in f.add_when for n in walk(a.when) if isinstance(n, FlagFired)}
            | set(f.suppressed_by)
        )
        for f in flags
    }
    reported: set[frozenset[str]] = set()
    for f in flags:
        cycle = find_cycle(f.id, lambda n: deps.get(n, []))
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            report.err(
                f.pos,
                "flags depend on each other in a circle (through when or suppressed_by): "
                + " → ".join(cycle),
            )
    order: list[str] = []
    done: set[str] = set()

    def visit(fid: str, trail: frozenset[str]) -> None:
        if fid in done or fid in trail or fid not in deps:
            return
        for d in deps[fid]:
            visit(d, trail | {fid})
        done.add(fid)
        order.append(fid)

    for f in flags:
        visit(f.id, frozenset())
    return tuple(order)


# --- the file as a whole ----------------------------------------------------------------------


def check_complete(report: Report) -> bool:
    """``end: true`` is the file's last top-level setting (source.py checked the last line)."""
    data = report.data
    if END_KEY not in data or data[END_KEY] is not True:
        report.err(value_pos(data, END_KEY), ENDS_EARLY)
        return False
    keys = list(data)
    if keys[-1] != END_KEY:  # pragma: no cover - source.py refuses a file not ending so
        report.err(key_pos(data, keys[-1]), f'"{END_LINE}" must be the last line of the file')
        return False
    return True


def read_retired(report: Report) -> Retired:
    raw = report.data.get("retired")
    if raw is None:
        return Retired()
    model = report.validate(RetiredModel, ("retired",), "retired")
    if model is None:
        return Retired()
    kinds: dict[str, dict[str, RetiredId]] = {}
    for kind in ("questions", "choices", "flags", "tests", "asks"):
        entries: dict[str, RetiredId] = {}
        for k, item in enumerate(getattr(model, kind)):
            entry = (
                RetiredId(item)
                if isinstance(item, str)
                else RetiredId(item.id, item.retired_in, tuple(item.replaced_by))
            )
            if kind == "choices" and entry.id.count(".") != 1:
                report.err(
                    report.at("retired", kind, k),
                    f'retired choice "{entry.id}": write it as question_id.choice',
                )
            if entry.id in entries:
                report.err(
                    report.at("retired", kind, k),
                    f'"{entry.id}" is listed twice under retired.{kind}',
                )
            entries[entry.id] = entry
        kinds[kind] = entries
    return Retired(**kinds)


def check_retired_reuse(
    report: Report,
    retired: Retired,
    defined: Mapping[str, Sequence[tuple[str, Pos]]],
) -> None:
    """A retired id is never used again, in any namespace and with any meaning.

    ``defined`` maps a kind (questions, choices, flags, tests, asks) to the ids this file
    defines, with where.
    """
    ids: dict[str, tuple[str, RetiredId]] = {}  # one namespace for retired ids: never reused
    for kind in ("questions", "flags", "tests", "asks"):
        for ident, entry in getattr(retired, kind).items():
            ids.setdefault(ident, (kind, entry))
    choices = {ident: ("choices", entry) for ident, entry in retired.choices.items()}
    for kind, items in defined.items():
        for ident, pos in items:
            hit = (choices if kind == "choices" else ids).get(ident)
            if hit:
                was, entry = hit
                what = kind.removesuffix("s")
                report.err(
                    pos,
                    f'{what} id "{ident}" was {entry.describe()} and is listed under '
                    f"retired.{was}; a retired id is never used again: choose a new id",
                )


def warn_questions(
    report: Report,
    sections: Sequence[Section],
    named: Mapping[str, Condition],
    positions: Mapping[str, Pos],
) -> None:
    """Questions with no short name, and main questions that end up on a page of their own."""
    for section in sections:
        for q in section.questions:
            if q.short is None and q.type != "confirm":
                report.warn(
                    positions.get(q.id),
                    f'question "{q.id}" has no "short" name: it is left out of the PDF\'s '
                    "answers at a glance and reads as its full label on /rules",
                )
    for page in split_pages(sections, named):
        if page.part == 1:
            continue
        first = page.questions[0]
        if not questions_read_of(first, named) & {q.id for q in page.section.questions}:
            report.warn(
                positions.get(first.id),
                f'question "{first.id}" comes after follow-up questions of section '
                f'"{page.section.id}", so it starts an extra page; move it above them',
            )


def questions_read_of(q: Question, named: Mapping[str, Condition]) -> set[str]:
    return questions_read(q.show_if, named) if q.show_if is not None else set()
