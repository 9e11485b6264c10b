"""Load rules.yaml into a Catalogue, or report every mistake in it at once.

Order of work: YAML syntax (stops here on failure, nothing else can be trusted), then the shape of
each block with pydantic, then cross-references (ids, answer codes, types, show-if order, flag
cycles, examples). Each block is checked on its own so one bad question does not hide mistakes
elsewhere.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..language.conditions import (
    Compare,
    Condition,
    Count,
    FlagFired,
    Scope,
    Use,
    parse_condition,
    questions_read,
    walk,
)
from ..language.positions import Pos, key_pos, locate, value_pos
from ..questionnaire.answers import validate_answers
from ..questionnaire.model import Choice, Question, Section
from .catalogue import (
    AddWhen,
    Ask,
    Catalogue,
    Example,
    Flag,
    Meta,
    Source,
    Test,
)
from .errors import RuleError, RulesInvalid, did_you_mean
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
from .source import plain, read_source

DEFAULT_RULES = Path(__file__).resolve().parents[2] / "rules.yaml"
PLACEHOLDERS = ("emergency_number",)
MAX_TITLE_WORDS = 10
MAX_TEXT_WORDS = 90

M = TypeVar("M", bound=BaseModel)


def load_rules(path: str | Path | None = None, *, emergency_number: str | None = None) -> Catalogue:
    """Load and check a rules file (default: the project's rules.yaml).

    Raises RulesInvalid listing every mistake as file:line:col. ``emergency_number`` overrides
    meta.emergency_number (the SCREENING_EMERGENCY_NUMBER setting).
    """
    source = read_source(path or DEFAULT_RULES)
    builder = _Builder(source.path, source.data)
    catalogue = builder.build(source.content_hash)
    if builder.errors or catalogue is None:
        raise RulesInvalid(source.path, builder.errors)
    if emergency_number:
        catalogue = replace(
            catalogue, meta=replace(catalogue.meta, emergency_number=emergency_number)
        )
    return catalogue


def _field_name(loc: tuple[Any, ...]) -> str:
    names = [str(p) for p in loc if isinstance(p, str)]
    return names[-1] if names else "value"


def _pydantic_message(err: Mapping[str, Any], model: type[BaseModel]) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    name = _field_name(loc)
    value = err.get("input")
    if kind == "missing":
        return f'missing "{name}"'
    if kind == "extra_forbidden":
        known = list(model.model_fields)
        return (
            f'unknown setting "{name}"{did_you_mean(name, known)}; allowed here: {", ".join(known)}'
        )
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        expected = expected.replace("'", "").replace(" or ", ", ")
        options = [o.strip() for o in expected.split(",")]
        return f'"{name}" must be one of: {expected} (got {value!r}){did_you_mean(value, options)}'
    if kind == "string_pattern_mismatch":
        return (
            f'"{value}" is not a valid id: use lower-case letters, digits and _ (like symptom_numb)'
        )
    if kind in ("string_type", "string_too_short"):
        return f'"{name}" needs some text'
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f'"{name}" must be a whole number (got {value!r})'
    if kind == "bool_type" or kind == "bool_parsing":
        return f'"{name}" must be true or false (got {value!r})'
    if kind in ("list_type", "too_short") and "list" in err.get("msg", "").lower():
        return f'"{name}" needs a list of at least one item'
    if kind == "too_short":
        return f'"{name}" needs at least one item'
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f'"{name}" must be a block of settings (key: value lines)'
    return f'"{name}": {err["msg"]}'


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel]:
    """The nested model an error location ends in, so "unknown setting" lists the right keys."""
    current = model
    for part in loc[:-1]:
        if not isinstance(part, str) or part not in current.model_fields:
            continue
        annotation = current.model_fields[part].annotation
        candidates = [annotation, *get_args(annotation)]
        candidates += [a for c in list(candidates) for a in get_args(c)]
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if nested:
            current = nested[0]
    return current


def _words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


class _Builder:
    def __init__(self, path: str, data: Any) -> None:
        self.path = path
        self.data = data
        self.errors: list[RuleError] = []

    # -- helpers ---------------------------------------------------------------------------

    def err(self, pos: Pos | None, message: str) -> None:
        pos = pos or Pos(1, 1)
        self.errors.append(pos.error(message))

    def at(self, *path: Any) -> Pos:
        return locate(self.data, path)

    def raw(self, *path: Any) -> Any:
        node = self.data
        for part in path:
            node = node[part]
        return node

    def validate(self, model: type[M], path: tuple[Any, ...], context: str = "") -> M | None:
        """The block as ``model``, or None after reporting every problem in it."""
        partial, bad = self.validate_partly(model, path, context)
        return None if bad else partial

    def validate_partly(
        self, model: type[M], path: tuple[Any, ...], context: str = ""
    ) -> tuple[M | None, set[str]]:
        """Like validate, but on failure also return the fields that were fine.

        The partial model holds only the fields outside the returned set of bad fields, so the
        cross-reference checks can still look at a flag whose title is missing, say, instead of
        hiding its other mistakes until the next run.
        """
        raw = self.raw(*path)
        data = plain(raw)
        try:
            return model.model_validate(data), set()
        except ValidationError as exc:
            bad: set[str] = set()
            for e in exc.errors():
                loc = path + tuple(e["loc"])
                if e["loc"]:
                    bad.add(str(e["loc"][0]))
                if e["type"] == "extra_forbidden":
                    parent = self.raw(*loc[:-1]) if len(loc) > 1 else self.data
                    pos = key_pos(parent, loc[-1]) or self.at(*loc)
                else:
                    pos = self.at(*loc)
                prefix = f"{context}: " if context else ""
                self.err(pos, prefix + _pydantic_message(e, _model_at(model, tuple(e["loc"]))))
            if not isinstance(data, dict):
                return None, bad | {"*"}
            good = {
                name: TypeAdapter(field.annotation or Any).validate_python(data[name])
                for name, field in model.model_fields.items()
                if name in data and name not in bad
            }
            return model.model_construct(**good), bad

    def _check_duplicate(self, seen: dict[str, Pos], ident: str, pos: Pos, what: str) -> None:
        if ident in seen:
            self.err(pos, f'{what} id "{ident}" is used twice (first on line {seen[ident].line})')
        else:
            seen[ident] = pos

    def _check_placeholders(self, text: str, pos: Pos) -> None:
        for name in re.findall(r"\{([^{}]*)\}", text):
            if name not in PLACEHOLDERS:
                self.err(
                    pos,
                    f'unknown placeholder "{{{name}}}"{did_you_mean(name, PLACEHOLDERS)}; '
                    "the only one is {emergency_number}",
                )

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
        order = self._flag_order(flags)
        if self.errors or meta_model is None:
            return None
        meta = Meta(**meta_model.model_dump())
        return Catalogue(
            path=self.path,
            content_hash=content_hash,
            meta=meta,
            sections=tuple(sections),
            groups=groups,
            conditions=named,
            tests=tuple(tests),
            asks=tuple(asks),
            sources=sources,
            flags=tuple(flags),
            evaluation_order=order,
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
                question = self._question(q, model.id, index, path, seen_questions)
                if question is not None:
                    built.append(question)
                index += 1
            sections.append(Section(model.id, model.title, tuple(built), model.intro))
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
            if q.optional:
                self.err(
                    key_pos(self.raw(*path), "optional"),
                    f'{where}: every question except on the safety page may be skipped; "optional" '
                    "is only for number questions",
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
            optional=q.optional,
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
            cycle = self._find_cycle(
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

    @staticmethod
    def _find_cycle(start: str, edges: Any) -> list[str] | None:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in edges(node):
                if nxt == start:
                    return [*trail, start]
                if nxt not in trail:
                    stack.append((nxt, [*trail, nxt]))
        return None

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
                sources[str(tag)] = Source(str(tag), model.citation, model.url)
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
            covered = None
            if model.covered_when is not None:
                scope = self._scope(questions, questions, groups, named, "covered_when")
                covered = parse_condition(
                    raw[i]["covered_when"], scope, value_pos(raw[i], "covered_when")
                )
            tests.append(Test(model.id, model.name, model.why, covered))
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
        all_ids: dict[str, None] = {
            str(f["id"]): None
            for f in raw
            if isinstance(f, Mapping) and isinstance(f.get("id"), str)
        }
        tests_by_id = {t.id: t for t in tests}
        asks_by_id = {a.id: a for a in asks}
        safety_ids = {q.id for q in sections[0].questions} if sections else set()
        seen: dict[str, Pos] = {}
        flags: list[Flag] = []
        for i, node in enumerate(raw):
            fid = node.get("id") if isinstance(node, Mapping) else None
            where = f'flag "{fid}"' if fid else f"flag {i + 1}"
            path = ("flags", i)
            model, bad = self.validate_partly(FlagModel, path, where)
            if model is None:
                continue
            pos = self.at(*path)

            def ok(name: str, bad: set[str] = bad) -> bool:
                return name not in bad

            if ok("id"):
                self._check_duplicate(seen, model.id, self.at(*path, "id"), "flag")
            scope = self._scope(questions, questions, groups, named, where, all_ids)
            when = (
                parse_condition(node["when"], scope, value_pos(node, "when"))
                if ok("when")
                else None
            )
            if ok("level") and ok("action"):
                if model.level == "urgent" and model.action is None:
                    self.err(self.at(*path, "level"), f'{where}: an urgent flag needs an "action"')
                if model.level != "urgent" and model.action is not None:
                    self.err(
                        self.at(*path, "action"), f'{where}: only urgent flags have an "action"'
                    )
            for k, other in enumerate(model.suppressed_by if ok("suppressed_by") else []):
                if other == fid:
                    self.err(self.at(*path, "suppressed_by", k), f"{where} cannot suppress itself")
                elif other not in all_ids:
                    self.err(
                        self.at(*path, "suppressed_by", k),
                        f'{where}: unknown flag "{other}"{did_you_mean(other, all_ids)}',
                    )
            if ok("tests"):
                self._check_ids(model.tests, tests_by_id, (*path, "tests"), "test")
            if ok("asks"):
                self._check_ids(model.asks, asks_by_id, (*path, "asks"), "ask")
            if ok("sources"):
                self._check_ids(model.sources, sources, (*path, "sources"), "source")
                if not model.sources:
                    self.err(pos, f"{where} needs at least one source")
            add_when: list[AddWhen] = []
            for k, extra in enumerate(model.add_when if ok("add_when") else []):
                apath = (*path, "add_when", k)
                cond = parse_condition(node["add_when"][k]["when"], scope, self.at(*apath, "when"))
                self._check_ids(extra.tests, tests_by_id, (*apath, "tests"), "test")
                self._check_ids(extra.asks, asks_by_id, (*apath, "asks"), "ask")
                if extra.text is None and not extra.tests and not extra.asks:
                    self.err(self.at(*apath), f"{where}: add_when needs a text, tests or asks")
                if extra.text:
                    self._check_placeholders(extra.text, self.at(*apath, "text"))
                if cond is not None:
                    add_when.append(
                        AddWhen(cond, extra.text, tuple(extra.tests), tuple(extra.asks))
                    )
            lists_unsure: tuple[str, ...] = ()
            if ok("lists_unsure") and model.lists_unsure is not None:
                if model.lists_unsure in groups:
                    lists_unsure = groups[model.lists_unsure]
                else:
                    self.err(
                        self.at(*path, "lists_unsure"),
                        f'{where}: unknown group "{model.lists_unsure}"'
                        f"{did_you_mean(model.lists_unsure, groups)}",
                    )
            if ok("title") and ok("text"):
                self._check_wording(model, path, where)
            fires, silent = (
                self._examples(model, path, where, questions) if ok("examples") else ((), ())
            )
            if when is not None and ok("level"):
                self._check_not_sure(when, named, safety_ids, model, path, where)
            if when is not None and not bad:
                flags.append(
                    Flag(
                        id=model.id,
                        level=model.level,
                        title=model.title,
                        when=when,
                        text=model.text,
                        index=i,
                        action=model.action,
                        suppressed_by=tuple(model.suppressed_by),
                        add_when=tuple(add_when),
                        tests=tuple(model.tests),
                        asks=tuple(model.asks),
                        sources=tuple(model.sources),
                        lists_unsure=lists_unsure,
                        fires=fires,
                        silent=silent,
                        pos=pos,
                    )
                )
        return flags

    def _check_wording(self, model: FlagModel, path: tuple[Any, ...], where: str) -> None:
        title_words = _words(model.title)
        if title_words > MAX_TITLE_WORDS:
            self.err(
                self.at(*path, "title"),
                f"{where}: the title has {title_words} words; keep it to {MAX_TITLE_WORDS}",
            )
        text_words = _words(model.text.replace("{emergency_number}", "911"))
        if text_words > MAX_TEXT_WORDS:
            self.err(
                self.at(*path, "text"),
                f"{where}: the text has {text_words} words; keep it to {MAX_TEXT_WORDS}",
            )
        self._check_placeholders(model.text, self.at(*path, "text"))

    def _check_not_sure(
        self,
        when: Condition,
        named: Mapping[str, Condition],
        safety_ids: set[str],
        model: FlagModel,
        path: tuple[Any, ...],
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
                self.err(
                    node.pos,
                    f'{where}: an urgent flag must not fire on a "not sure" answer outside the '
                    "safety page",
                )

    def _examples(
        self,
        model: FlagModel,
        path: tuple[Any, ...],
        where: str,
        questions: Mapping[str, Question],
    ) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
        if model.examples is None:
            self.err(
                self.at(*path),
                f"{where} has no examples: add examples: with fires: and silent: answer sets",
            )
            return (), ()
        found: dict[str, tuple[Example, ...]] = {}
        for kind in ("fires", "silent"):
            items = getattr(model.examples, kind)
            if not items:
                self.err(
                    self.at(*path, "examples"),
                    f"{where} needs at least one example under {kind}: "
                    + (
                        "(answers that must show it)"
                        if kind == "fires"
                        else "(answers that must not)"
                    ),
                )
            built: list[Example] = []
            for k, answers in enumerate(items):
                epath = (*path, "examples", kind, k)
                epos = self.at(*epath)
                if not isinstance(answers, Mapping):
                    self.err(
                        epos,
                        f"{where}: example {k + 1} under {kind} must be answers like {{age: 70}}",
                    )
                    continue
                raw_answers = self.raw(*epath)
                for problem in validate_answers(answers, questions):
                    at = (
                        value_pos(raw_answers, problem.question_id)
                        if problem.question_id in raw_answers
                        else None
                    )
                    if problem.kind == "unknown":
                        at = key_pos(raw_answers, problem.question_id)
                    self.err(
                        at or epos, f"{where}: example {k + 1} under {kind}: {problem.message}"
                    )
                built.append(Example(dict(answers), epos, k + 1))
            found[kind] = tuple(built)
        return found.get("fires", ()), found.get("silent", ())

    def _flag_order(self, flags: list[Flag]) -> tuple[str, ...]:
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
            cycle = self._find_cycle(f.id, lambda n: deps.get(n, []))
            if cycle and frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                self.err(
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
