"""The condition language of rules.yaml: parse, check and evaluate.

A condition is a small YAML mapping (``{q: diabetes, is: type_1}``, ``{all: [...]}``), never a
string to ``eval``. Parsing checks each node against the question catalogue as it goes, so one
pass reports every unknown id, wrong answer code or type mismatch with its own line:col.

Evaluation rule shared by every operator: a comparison on a question with no answer is false;
``not`` flips it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .positions import Pos, RuleError, did_you_mean, key_pos, node_pos, value_pos

Answer = str | int | list[str]
YESNO = ("yes", "no", "not_sure")
COMPARE_OPS = ("is", "in", "has", "has_any", "gt", "gte", "lt", "lte")
COUNT_OPS = ("is", "gt", "gte", "lt", "lte")
FORMS = (
    "q",
    "all",
    "any",
    "not",
    "use",
    "flag",
    "answered",
    "any_yes",
    "any_not_sure",
    "count_yes",
)


class Context(Protocol):
    """What a condition needs to know while it is evaluated."""

    answers: Mapping[str, Answer]

    def named(self, name: str) -> bool: ...

    def fired(self, flag_id: str) -> bool: ...


class ConditionContext:
    """Answers plus the named conditions and fired flags a condition may refer to."""

    def __init__(
        self,
        answers: Mapping[str, Answer],
        conditions: Mapping[str, Condition],
        fired: set[str] | None = None,
    ) -> None:
        self.answers = answers
        self._conditions = conditions
        self._fired = fired if fired is not None else set()

    def named(self, name: str) -> bool:
        return self._conditions[name].holds(self)

    def fired(self, flag_id: str) -> bool:
        return flag_id in self._fired


def _number_test(op: str, left: int, right: int) -> bool:
    if op == "is":
        return left == right
    if op == "gt":
        return left > right
    if op == "gte":
        return left >= right
    if op == "lt":
        return left < right
    return left <= right  # lte


@dataclass(frozen=True)
class Compare:
    q: str
    op: str
    value: Any
    pos: Pos

    def holds(self, ctx: Context) -> bool:
        answer = ctx.answers.get(self.q)
        if answer is None:
            return False
        if self.op == "is":
            return bool(answer == self.value)
        if self.op == "in":
            return answer in self.value
        if self.op == "has":
            return isinstance(answer, list) and self.value in answer
        if self.op == "has_any":
            return isinstance(answer, list) and any(v in answer for v in self.value)
        if isinstance(answer, bool) or not isinstance(answer, int):
            return False
        return _number_test(self.op, answer, self.value)


@dataclass(frozen=True)
class Answered:
    q: str
    pos: Pos

    def holds(self, ctx: Context) -> bool:
        return ctx.answers.get(self.q) is not None


@dataclass(frozen=True)
class Count:
    """any_yes / any_not_sure / count_yes over a list of yes/no questions."""

    form: str
    questions: tuple[str, ...]
    op: str
    n: int
    pos: Pos

    def holds(self, ctx: Context) -> bool:
        wanted = "not_sure" if self.form == "any_not_sure" else "yes"
        count = sum(1 for q in self.questions if ctx.answers.get(q) == wanted)
        return _number_test(self.op, count, self.n)


@dataclass(frozen=True)
class Use:
    name: str
    pos: Pos

    def holds(self, ctx: Context) -> bool:
        return ctx.named(self.name)


@dataclass(frozen=True)
class FlagFired:
    flag: str
    pos: Pos

    def holds(self, ctx: Context) -> bool:
        return ctx.fired(self.flag)


@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]
    pos: Pos

    def holds(self, ctx: Context) -> bool:
        return all(item.holds(ctx) for item in self.items)


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]
    pos: Pos

    def holds(self, ctx: Context) -> bool:
        return any(item.holds(ctx) for item in self.items)


@dataclass(frozen=True)
class Not:
    item: Condition
    pos: Pos

    def holds(self, ctx: Context) -> bool:
        return not self.item.holds(ctx)


Condition = Compare | Answered | Count | Use | FlagFired | All | AnyOf | Not


def walk(cond: Condition) -> list[Condition]:
    """Every node of a condition tree, parents first."""
    out: list[Condition] = [cond]
    if isinstance(cond, (All, AnyOf)):
        for item in cond.items:
            out.extend(walk(item))
    elif isinstance(cond, Not):
        out.extend(walk(cond.item))
    return out


def questions_read(
    cond: Condition, named: Mapping[str, Condition], _seen: frozenset[str] = frozenset()
) -> set[str]:
    """Question ids the condition reads, following named conditions (a cycle is not followed)."""
    found: set[str] = set()
    for node in walk(cond):
        if isinstance(node, (Compare, Answered)):
            found.add(node.q)
        elif isinstance(node, Count):
            found.update(node.questions)
        elif isinstance(node, Use) and node.name in named and node.name not in _seen:
            found |= questions_read(named[node.name], named, _seen | {node.name})
    return found


# ---------------------------------------------------------------------------------------------
# Parsing with checks against the catalogue


class QuestionInfo(Protocol):
    """The little the parser needs to know about a question."""

    id: str
    type: str

    def choice_values(self) -> tuple[str, ...]: ...


@dataclass
class Scope:
    """What a condition at one place in the file may refer to.

    ``questions`` are the questions visible from here (for a show_if: only earlier ones);
    ``all_questions`` lets the message say "comes later" rather than "unknown".
    """

    questions: Mapping[str, Any]  # id -> QuestionInfo (Mapping is invariant, hence Any)
    all_questions: Mapping[str, Any]
    groups: Mapping[str, tuple[str, ...]]
    named: Mapping[str, Any]
    flags: Mapping[str, Any] | None  # None: flag references are not allowed here
    where: str  # "a show_if", "a named condition", ... for messages
    errors: list[RuleError] = field(default_factory=list)
    named_ok: Callable[[str], str | None] = lambda name: None  # extra check on {use: NAME}


def _fmt(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _describe_choices(info: QuestionInfo) -> str:
    return ", ".join(info.choice_values())


def parse_condition(node: Any, scope: Scope, pos: Pos | None = None) -> Condition | None:
    """Parse one condition node; report problems into ``scope.errors``. None when unusable."""
    here = pos or node_pos(node)
    if not isinstance(node, Mapping):
        scope.errors.append(
            here.error(
                'a condition must be a mapping such as {q: symptom_numb, is: "yes"}, '
                f"not {_fmt(node) if not isinstance(node, list) else 'a list (use all: or any:)'}"
            )
        )
        return None
    keys = list(node.keys())
    form = next((k for k in FORMS if k in node), None)
    if form is None:
        bad = keys[0] if keys else None
        hint = did_you_mean(bad, FORMS + COMPARE_OPS) if bad is not None else ""
        at = key_pos(node, bad) or here if bad is not None else here
        scope.errors.append(
            at.error(
                f"unknown condition {_fmt(bad)}{hint}; a condition starts with one of: "
                + ", ".join(FORMS)
                if keys
                else "empty condition"
            )
        )
        return None
    if form == "q":
        return _parse_compare(node, scope, here)
    if form in ("any_yes", "any_not_sure", "count_yes"):
        return _parse_count(node, form, scope, here)
    extra = [k for k in keys if k != form]
    if extra:
        at = key_pos(node, extra[0]) or here
        scope.errors.append(
            at.error(f'"{form}" stands alone in its condition; unexpected {_fmt(extra[0])}')
        )
    value = node[form]
    vpos = value_pos(node, form) or here
    if form in ("all", "any"):
        if not isinstance(value, list) or not value:
            scope.errors.append(vpos.error(f'"{form}" needs a list of conditions'))
            return None
        items = [parse_condition(item, scope, value_pos(value, i)) for i, item in enumerate(value)]
        good = tuple(i for i in items if i is not None)
        if len(good) != len(items):
            return None
        return All(good, here) if form == "all" else AnyOf(good, here)
    if form == "not":
        inner = parse_condition(value, scope, vpos)
        return None if inner is None else Not(inner, here)
    if form == "use":
        if value not in scope.named:
            scope.errors.append(
                vpos.error(
                    f"unknown named condition {_fmt(value)}{did_you_mean(value, scope.named)}"
                )
            )
            return None
        problem = scope.named_ok(value)
        if problem:
            scope.errors.append(vpos.error(problem))
        return Use(value, here)
    if form == "flag":
        if scope.flags is None:
            scope.errors.append(vpos.error(f"{scope.where} cannot depend on a flag"))
            return None
        if value not in scope.flags:
            scope.errors.append(
                vpos.error(f"unknown flag {_fmt(value)}{did_you_mean(value, scope.flags)}")
            )
            return None
        return FlagFired(value, here)
    # answered
    if _known_question(value, scope, vpos) is None:
        return None
    return Answered(value, here)


def _known_question(qid: Any, scope: Scope, at: Pos) -> QuestionInfo | None:
    if qid in scope.questions:
        found: QuestionInfo = scope.questions[qid]
        return found
    if qid in scope.all_questions:
        scope.errors.append(
            at.error(
                f'question "{qid}" comes later in the file; {scope.where} can only use questions '
                "asked before it"
            )
        )
    else:
        scope.errors.append(
            at.error(f"unknown question {_fmt(qid)}{did_you_mean(qid, scope.all_questions)}")
        )
    return None


def _check_code(value: Any, info: QuestionInfo, at: Pos, scope: Scope) -> bool:
    allowed = info.choice_values()
    if isinstance(value, bool):
        scope.errors.append(at.error(f'{value!r} is not an answer; write "yes" or "no" in quotes'))
        return False
    if value not in allowed:
        scope.errors.append(
            at.error(
                f'{_fmt(value)} is not an answer to "{info.id}"{did_you_mean(value, allowed)} '
                f"(answers: {_describe_choices(info)})"
            )
        )
        return False
    return True


def _parse_compare(node: Mapping[str, Any], scope: Scope, here: Pos) -> Condition | None:
    ops = [k for k in node if k != "q"]
    if len(ops) != 1 or ops[0] not in COMPARE_OPS:
        bad = next((k for k in ops if k not in COMPARE_OPS), None)
        if bad is not None:
            at = key_pos(node, bad) or here
            scope.errors.append(
                at.error(
                    f"unknown comparison {_fmt(bad)}{did_you_mean(bad, COMPARE_OPS)}; use one of: "
                    + ", ".join(COMPARE_OPS)
                )
            )
        else:
            scope.errors.append(
                here.error(
                    "a question condition needs exactly one comparison (is, in, has, has_any, "
                    "gt, gte, lt, lte)"
                )
            )
        return None
    op = ops[0]
    qid = node["q"]
    info = _known_question(qid, scope, value_pos(node, "q") or here)
    value = node[op]
    vpos = value_pos(node, op) or here
    if info is None:
        return None
    kind = info.type
    ok = True
    if kind == "text":
        scope.errors.append(
            here.error(f'"{qid}" is a free-text question; rules never read text answers')
        )
        return None
    if op in ("gt", "gte", "lt", "lte") or (op == "is" and kind == "number"):
        if kind != "number":
            scope.errors.append(
                vpos.error(f'"{op}" compares numbers, but "{qid}" is a {kind} question')
            )
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            scope.errors.append(
                vpos.error(
                    f'"{qid}" is a number question; compare it with a number, not {_fmt(value)}'
                )
            )
            return None
        return Compare(qid, op, value, here)
    if kind == "number":
        scope.errors.append(
            vpos.error(f'"{qid}" is a number question; use is, gt, gte, lt or lte, not "{op}"')
        )
        return None
    if op in ("has", "has_any") and kind != "multi":
        scope.errors.append(
            here.error(
                f'"{op}" is for questions with several answers; "{qid}" has one answer, use '
                '"is" or "in"'
            )
        )
        return None
    if op in ("is", "in") and kind == "multi":
        scope.errors.append(
            here.error(f'"{qid}" can have several answers; use "has" or "has_any", not "{op}"')
        )
        return None
    if op in ("in", "has_any"):
        if not isinstance(value, list) or not value:
            scope.errors.append(vpos.error(f'"{op}" needs a list of answers, like [a, b]'))
            return None
        for i, item in enumerate(value):
            ok = _check_code(item, info, value_pos(value, i) or vpos, scope) and ok
        return Compare(qid, op, tuple(value), here) if ok else None
    if isinstance(value, list):
        scope.errors.append(vpos.error(f'"{op}" takes one answer; for a list use "in"'))
        return None
    if not _check_code(value, info, vpos, scope):
        return None
    return Compare(qid, op, value, here)


def _parse_count(node: Mapping[str, Any], form: str, scope: Scope, here: Pos) -> Condition | None:
    raw = node[form]
    vpos = value_pos(node, form) or here
    if isinstance(raw, str):
        if raw not in scope.groups:
            scope.errors.append(
                vpos.error(f"unknown group {_fmt(raw)}{did_you_mean(raw, scope.groups)}")
            )
            return None
        questions: tuple[str, ...] = tuple(scope.groups[raw])
        ids_ok = all(q in scope.questions for q in questions)
        if not ids_ok:
            later = [q for q in questions if q not in scope.questions]
            scope.errors.append(
                vpos.error(
                    f'group "{raw}" includes {", ".join(later)}, which {scope.where} '
                    "cannot use here"
                )
            )
            return None
    elif isinstance(raw, list) and raw:
        ids_ok = True
        for i, q in enumerate(raw):
            info = _known_question(q, scope, value_pos(raw, i) or vpos)
            if info is None:
                ids_ok = False
            elif info.type != "yesno":
                scope.errors.append(
                    (value_pos(raw, i) or vpos).error(
                        f'"{form}" counts yes/no answers, but "{q}" is a {info.type} question'
                    )
                )
                ids_ok = False
        if not ids_ok:
            return None
        questions = tuple(raw)
    else:
        scope.errors.append(
            vpos.error(f'"{form}" needs a list of yes/no questions or a group name')
        )
        return None
    others = [k for k in node if k != form]
    if form != "count_yes":
        if others:
            at = key_pos(node, others[0]) or here
            scope.errors.append(at.error(f'"{form}" stands alone; unexpected {_fmt(others[0])}'))
            return None
        return Count(form, questions, "gte", 1, here)
    if len(others) != 1 or others[0] not in COUNT_OPS:
        scope.errors.append(
            here.error('"count_yes" needs one comparison: is, gt, gte, lt or lte, e.g. gte: 3')
        )
        return None
    op = others[0]
    n = node[op]
    if isinstance(n, bool) or not isinstance(n, int):
        scope.errors.append((value_pos(node, op) or here).error(f'"{op}" needs a whole number'))
        return None
    return Count(form, questions, op, n, here)
