"""Build a Catalogue from the loaded rules.yaml, checking every reference as it goes.

Each block is checked on its own so one bad question does not hide mistakes elsewhere: the
sections and their questions, groups, named conditions, show-ifs, sources, tests, asks and
flags. Checks on a flag or the file as a whole live in checker.py.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..language.conditions import Condition, Scope, Use, parse_condition, questions_read, walk
from ..language.positions import Pos, did_you_mean, key_pos, value_pos
from ..questionnaire.model import Choice, Question, Section
from . import checker
from .catalogue import AddWhen, Ask, Catalogue, Flag, Meta, Source, Test
from .checker import find_cycle
from .report import Report
from .schema import (
    AskModel,
    FlagModel,
    MetaModel,
    QuestionModel,
    RulesModel,
    SectionModel,
    SourceModel,
    TestModel,
)


class Builder(Report):
    def __init__(self, path: str, data: Any) -> None:
        super().__init__(path, data)
        # Every id this file defines, with where: for the retired-id check and warnings.
        self.defined: dict[str, list[tuple[str, Pos]]] = {
            kind: [] for kind in ("questions", "choices", "flags", "tests", "asks")
        }

    def _check_duplicate(self, seen: dict[str, Pos], ident: str, pos: Pos, what: str) -> None:
        if ident in seen:
            self.err(pos, f'{what} id "{ident}" is used twice (first on line {seen[ident].line})')
        else:
            seen[ident] = pos

    # -- the build -------------------------------------------------------------------------

    def build(self, content_hash: str) -> Catalogue | None:
        if not isinstance(self.data, Mapping):
            self.err(Pos(1, 1), "the file must be a block of settings starting with meta:")
            return None
        if self.validate(RulesModel, ()) is None and not isinstance(
            self.data.get("sections"), list
        ):
            return None
        meta_model = self.validate(MetaModel, ("meta",), "meta") if "meta" in self.data else None
        retired = checker.read_retired(self)
        sections = self._sections()
        questions = {q.id: q for s in sections for q in s.questions}
        groups = self._groups(questions)
        named = self._named_conditions(questions, groups)
        sections = self._show_ifs(sections, questions, groups, named)
        questions = {q.id: q for s in sections for q in s.questions}
        sources = self._sources()
        tests = self._tests(questions, groups, named)
        asks = self._asks()
        flags = self._flags(questions, groups, named, tests, asks, sources, sections)
        order = checker.flag_order(self, flags)
        checker.check_retired_reuse(self, retired, self.defined)
        checker.warn_questions(self, sections, named, dict(self.defined["questions"]))
        if self.errors or meta_model is None:
            return None
        return Catalogue(
            path=self.path,
            content_hash=content_hash,
            meta=Meta(**meta_model.model_dump()),
            sections=tuple(sections),
            groups=groups,
            conditions=named,
            tests=tuple(tests),
            asks=tuple(asks),
            sources=sources,
            flags=tuple(flags),
            evaluation_order=order,
            retired=retired,
            warnings=tuple(sorted(set(self.warnings))),
        )

    def _sections(self) -> list[Section]:
        sections: list[Section] = []
        raw_sections = self.data.get("sections")
        if not isinstance(raw_sections, list):
            return sections
        seen_sections: dict[str, Pos] = {}
        seen_questions: dict[str, Pos] = {}
        index = 0
        for i, _ in enumerate(raw_sections):
            model = self.validate(SectionModel, ("sections", i), f"section {i + 1}")
            if model is None:
                continue
            self._check_duplicate(seen_sections, model.id, self.at("sections", i, "id"), "section")
            built: list[Question] = []
            for j, _ in enumerate(model.questions):
                path = ("sections", i, "questions", j)
                qid = self.raw(*path).get("id") if isinstance(self.raw(*path), Mapping) else None
                q = self.validate(QuestionModel, path, f'question "{qid}"' if qid else "question")
                if q is None:
                    continue
                self._check_duplicate(seen_questions, q.id, self.at(*path, "id"), "question")
                self.defined["questions"].append((q.id, self.at(*path, "id")))
                for k, c in enumerate(q.choices or []):
                    at = self.at(*path, "choices", k, "value")
                    self.defined["choices"].append((f"{q.id}.{c.value}", at))
                question = self._question(q, model.id, index, path, seen_questions)
                if question is not None:
                    built.append(question)
                index += 1
            sections.append(Section(model.id, model.title, tuple(built), model.intro, model.short))
        return sections

    def _question(
        self,
        q: QuestionModel,
        section_id: str,
        index: int,
        path: tuple[Any, ...],
        earlier: Mapping[str, Pos],
    ) -> Question | None:
        where = f'question "{q.id}"'
        at = self.at(*path)
        choices: tuple[Choice, ...] = ()
        if q.type in ("single", "multi"):
            if not q.choices:
                self.err(at, f"{where}: a {q.type} question needs a list of choices")
                return None
            seen: dict[str, Pos] = {}
            for k, c in enumerate(q.choices):
                self._check_duplicate(
                    seen, c.value, self.at(*path, "choices", k, "value"), "choice"
                )
            choices = tuple(Choice(c.value, c.label) for c in q.choices)
        elif q.choices is not None:
            self.err(
                self.at(*path, "choices"),
                f"{where}: a {q.type} question has fixed answers; remove choices",
            )
        maximum: int | None = None
        if q.type == "number":
            if q.min is None or q.max is None:
                self.err(at, f"{where}: a number question needs min and max")
                return None
            maximum = _dt.date.today().year if q.max == "this_year" else int(q.max)
            if q.min > maximum:
                self.err(self.at(*path, "min"), f"{where}: min ({q.min}) is above max ({maximum})")
        else:
            for name in ("min", "max", "unit", "not_above", "under_min_message"):
                if getattr(q, name) is not None:
                    self.err(
                        key_pos(self.raw(*path), name),
                        f'{where}: "{name}" is only for number questions',
                    )
        if q.max_length is not None and q.type != "text":
            self.err(
                key_pos(self.raw(*path), "max_length"), f'{where}: "max_length" is only for text'
            )
        if q.not_above is not None and q.not_above not in earlier:
            self.err(
                self.at(*path, "not_above"),
                f"{where}: not_above must name an earlier number question"
                f"{did_you_mean(q.not_above, earlier)}",
            )
        return Question(
            id=q.id,
            type=q.type,
            label=q.label,
            section_id=section_id,
            index=index,
            hint=q.hint,
            why=q.why,
            short=q.short,
            required=q.required,
            choices=choices,
            min=q.min,
            max=maximum,
            not_above=q.not_above,
            unit=q.unit,
            max_length=q.max_length or 500,
            under_min_message=q.under_min_message,
        )

    def _groups(self, questions: Mapping[str, Question]) -> dict[str, tuple[str, ...]]:
        groups: dict[str, tuple[str, ...]] = {}
        raw = self.data.get("groups") or {}
        if not isinstance(raw, Mapping):
            return groups
        for name, members in raw.items():
            ok = isinstance(members, list) and bool(members)
            if not ok:
                self.err(value_pos(raw, name), f'group "{name}" needs a list of question ids')
                continue
            for k, qid in enumerate(members):
                pos = value_pos(members, k)
                if qid not in questions:
                    self.err(
                        pos,
                        f'group "{name}": unknown question "{qid}"{did_you_mean(qid, questions)}',
                    )
                    ok = False
                elif questions[qid].type != "yesno":
                    self.err(pos, f'group "{name}": "{qid}" is not a yes/no question')
                    ok = False
            if ok:
                groups[str(name)] = tuple(str(m) for m in members)
        return groups

    def _scope(
        self,
        visible: Mapping[str, Question],
        questions: Mapping[str, Question],
        groups: Mapping[str, tuple[str, ...]],
        named: Mapping[str, Any],
        where: str,
        flags: Mapping[str, Any] | None = None,
    ) -> Scope:
        return Scope(visible, questions, groups, named, flags, where, self.errors)

    def _named_conditions(
        self, questions: Mapping[str, Question], groups: Mapping[str, tuple[str, ...]]
    ) -> dict[str, Condition]:
        raw = self.data.get("conditions") or {}
        if not isinstance(raw, Mapping):
            return {}
        names = {str(k): None for k in raw}
        named: dict[str, Condition] = {}
        for name, node in raw.items():
            scope = self._scope(questions, questions, groups, names, "a named condition")
            cond = parse_condition(node, scope, value_pos(raw, name))
            if cond is not None:
                named[str(name)] = cond
        # A named condition may use another, but never itself through a chain.
        for name in named:
            cycle = find_cycle(
                name,
                lambda n: (
                    [u.name for u in walk(named[n]) if isinstance(u, Use)] if n in named else []
                ),
            )
            if cycle:
                self.err(
                    key_pos(raw, name),
                    "named conditions use each other in a circle: " + " → ".join(cycle),
                )
        return named

    def _show_ifs(
        self,
        sections: list[Section],
        questions: Mapping[str, Question],
        groups: Mapping[str, tuple[str, ...]],
        named: Mapping[str, Condition],
    ) -> list[Section]:
        raw_sections = self.data["sections"]
        result: list[Section] = []
        earlier: dict[str, Question] = {}
        for si, section in enumerate(sections):
            raw_qs = raw_sections[si]["questions"] if si < len(raw_sections) else []
            by_id = {q.get("id"): (k, q) for k, q in enumerate(raw_qs) if isinstance(q, Mapping)}
            built: list[Question] = []
            for question in section.questions:
                k, raw_q = by_id.get(question.id, (None, {}))
                if "show_if" in raw_q and raw_q["show_if"] is not None:
                    visible = dict(earlier)

                    def named_ok(
                        name: str,
                        visible: Mapping[str, Question] = visible,
                        question: Question = question,
                    ) -> str | None:
                        later = (
                            sorted(
                                q for q in questions_read(named[name], named) if q not in visible
                            )
                            if name in named
                            else []
                        )
                        if later:
                            return (
                                f'"{name}" uses {", ".join(later)}, which is not asked before '
                                f'"{question.id}"'
                            )
                        return None

                    scope = self._scope(
                        visible, questions, groups, named, f'the show_if of "{question.id}"'
                    )
                    scope.named_ok = named_ok
                    cond = parse_condition(raw_q["show_if"], scope, value_pos(raw_q, "show_if"))
                    if cond is not None:
                        question = replace(question, show_if=cond)
                built.append(question)
                earlier[question.id] = question
            result.append(replace(section, questions=tuple(built)))
        return result

    def _sources(self) -> dict[str, Source]:
        raw = self.data.get("sources") or {}
        sources: dict[str, Source] = {}
        if not isinstance(raw, Mapping):
            return sources
        for tag in raw:
            model = self.validate(SourceModel, ("sources", tag), f'source "{tag}"')
            if model is not None:
                sources[str(tag)] = Source(str(tag), model.citation, model.url, model.note)
        return sources

    def _tests(
        self,
        questions: Mapping[str, Question],
        groups: Mapping[str, tuple[str, ...]],
        named: Mapping[str, Condition],
    ) -> list[Test]:
        tests: list[Test] = []
        seen: dict[str, Pos] = {}
        raw = self.data.get("tests") or []
        for i, _ in enumerate(raw if isinstance(raw, list) else []):
            model = self.validate(TestModel, ("tests", i), "test")
            if model is None:
                continue
            self._check_duplicate(seen, model.id, self.at("tests", i, "id"), "test")
            self.defined["tests"].append((model.id, self.at("tests", i, "id")))
            covered = None
            if model.covered_when is not None:
                scope = self._scope(questions, questions, groups, named, "covered_when")
                covered = parse_condition(
                    raw[i]["covered_when"], scope, value_pos(raw[i], "covered_when")
                )
            tests.append(Test(model.id, model.name, model.why, covered, model.loinc))
        return tests

    def _asks(self) -> list[Ask]:
        asks: list[Ask] = []
        seen: dict[str, Pos] = {}
        raw = self.data.get("asks") or []
        for i, _ in enumerate(raw if isinstance(raw, list) else []):
            model = self.validate(AskModel, ("asks", i), "ask")
            if model is None:
                continue
            self._check_duplicate(seen, model.id, self.at("asks", i, "id"), "ask")
            self.defined["asks"].append((model.id, self.at("asks", i, "id")))
            asks.append(Ask(model.id, model.text))
        return asks

    def _check_ids(
        self, ids: list[str], known: Mapping[str, Any], path: tuple[Any, ...], what: str
    ) -> None:
        for k, ident in enumerate(ids):
            if ident not in known:
                self.err(self.at(*path, k), f'unknown {what} "{ident}"{did_you_mean(ident, known)}')

    def _flags(
        self,
        questions: Mapping[str, Question],
        groups: Mapping[str, tuple[str, ...]],
        named: Mapping[str, Condition],
        tests: list[Test],
        asks: list[Ask],
        sources: Mapping[str, Source],
        sections: list[Section],
    ) -> list[Flag]:
        raw = self.data.get("flags") or []
        if not isinstance(raw, list):
            return []
        links = _FlagLinks(
            questions=questions,
            groups=groups,
            named=named,
            flag_ids={
                str(f["id"]): None
                for f in raw
                if isinstance(f, Mapping) and isinstance(f.get("id"), str)
            },
            tests={t.id: t for t in tests},
            asks={a.id: a for a in asks},
            sources=sources,
            safety_ids={q.id for q in sections[0].questions} if sections else set(),
        )
        seen: dict[str, Pos] = {}
        flags = []
        for i, node in enumerate(raw):
            flag = self._flag(i, node, links, seen)
            if flag is not None:
                flags.append(flag)
        return flags

    def _flag(self, i: int, node: Any, links: _FlagLinks, seen: dict[str, Pos]) -> Flag | None:
        fid = node.get("id") if isinstance(node, Mapping) else None
        where = f'flag "{fid}"' if fid else f"flag {i + 1}"
        path = ("flags", i)
        model, bad = self.validate_partly(FlagModel, path, where)
        if model is None:
            return None
        pos = self.at(*path)

        def ok(*names: str) -> bool:
            return not bad.intersection(names)

        if ok("id"):
            self._check_duplicate(seen, model.id, self.at(*path, "id"), "flag")
            self.defined["flags"].append((model.id, self.at(*path, "id")))
        scope = self._scope(
            links.questions, links.questions, links.groups, links.named, where, links.flag_ids
        )
        when = parse_condition(node["when"], scope, value_pos(node, "when")) if ok("when") else None
        for k, other in enumerate(model.suppressed_by if ok("suppressed_by") else []):
            if other == fid:
                self.err(self.at(*path, "suppressed_by", k), f"{where} cannot suppress itself")
            elif other not in links.flag_ids:
                self.err(
                    self.at(*path, "suppressed_by", k),
                    f'{where}: unknown flag "{other}"{did_you_mean(other, links.flag_ids)}',
                )
        if ok("tests"):
            self._check_ids(model.tests, links.tests, (*path, "tests"), "test")
        if ok("asks"):
            self._check_ids(model.asks, links.asks, (*path, "asks"), "ask")
        if ok("sources"):
            self._check_ids(model.sources, links.sources, (*path, "sources"), "source")
            if not model.sources:
                self.err(pos, f"{where} needs at least one source")
        add_when = self._add_when(model, node, path, where, scope, links) if ok("add_when") else ()
        for name in ("clinician",):
            value = getattr(model, name)
            if ok(name) and value:
                checker.check_placeholders(self, value, self.at(*path, name), links.questions)
        lists_unsure: tuple[str, ...] = ()
        if ok("lists_unsure") and model.lists_unsure is not None:
            if model.lists_unsure in links.groups:
                lists_unsure = links.groups[model.lists_unsure]
            else:
                self.err(
                    self.at(*path, "lists_unsure"),
                    f'{where}: unknown group "{model.lists_unsure}"'
                    f"{did_you_mean(model.lists_unsure, links.groups)}",
                )
        if ok("title", "text", "level", "action", "after", "summary", "priority", "add_when"):
            checker.check_flag_fields(self, model, path, where)
        fires, silent = (
            checker.examples_of(self, model, path, where, links.questions)
            if ok("examples")
            else ((), ())
        )
        if when is not None and ok("level"):
            checker.check_not_sure(self, when, links.named, links.safety_ids, model, where)
        if when is None or bad:
            return None
        return Flag(
            id=model.id,
            level=model.level,
            title=model.title,
            when=when,
            text=model.text,
            index=i,
            action=model.action,
            suppressed_by=tuple(model.suppressed_by),
            add_when=add_when,
            tests=tuple(model.tests),
            asks=tuple(model.asks),
            sources=tuple(model.sources),
            lists_unsure=lists_unsure,
            fires=fires,
            silent=silent,
            pos=pos,
            after=model.after,
            summary=model.summary,
            clinician=model.clinician,
            priority=model.priority or 2,
            pdf_note=model.pdf_note,
            clinician_note=model.clinician_note,
        )

    def _add_when(
        self,
        model: FlagModel,
        node: Mapping[str, Any],
        path: tuple[Any, ...],
        where: str,
        scope: Scope,
        links: _FlagLinks,
    ) -> tuple[AddWhen, ...]:
        built = []
        for k, extra in enumerate(model.add_when):
            apath = (*path, "add_when", k)
            cond = parse_condition(node["add_when"][k]["when"], scope, self.at(*apath, "when"))
            self._check_ids(extra.tests, links.tests, (*apath, "tests"), "test")
            self._check_ids(extra.asks, links.asks, (*apath, "asks"), "ask")
            self._check_ids(extra.sources, links.sources, (*apath, "sources"), "source")
            if extra.text is None and not (extra.tests or extra.asks or extra.clinician):
                self.err(
                    self.at(*apath), f"{where}: add_when needs a text, tests, asks or clinician"
                )
            if extra.in_box and not extra.text:
                self.err(self.at(*apath), f'{where}: an add_when with "in_box" needs a text')
            if extra.clinician:
                checker.check_placeholders(
                    self, extra.clinician, self.at(*apath, "clinician"), links.questions
                )
            if cond is not None:
                built.append(
                    AddWhen(
                        cond,
                        extra.text,
                        tuple(extra.tests),
                        tuple(extra.asks),
                        tuple(extra.sources),
                        extra.in_box,
                        extra.clinician,
                    )
                )
        return tuple(built)


@dataclass(frozen=True)
class _FlagLinks:
    """What a flag may refer to: the catalogue built so far."""

    questions: Mapping[str, Question]
    groups: Mapping[str, tuple[str, ...]]
    named: Mapping[str, Condition]
    flag_ids: Mapping[str, None]
    tests: Mapping[str, Test]
    asks: Mapping[str, Ask]
    sources: Mapping[str, Source]
    safety_ids: set[str]
