"""What the no-5xx fuzz tests send: the routes found in the URL map, their forms' fields, and hostile values.

A `Probe` is one request, described as plain data so that a known bad input can be written down as
an `@example`. Ids of seeded rows are not known when strategies are built, so a path value may be a
`Ref` to a row of the seeded world (tests/fuzz_world.py resolves it) instead of a literal segment.
"""

from __future__ import annotations

import dis
import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import CodeType, FunctionType

from flask import Flask
from flask_wtf import FlaskForm
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter
from wtforms import BooleanField, DateField, FileField, RadioField, SelectField, SelectMultipleField
from wtforms.fields.core import UnboundField

from course.access import PUBLIC, ROLES
from course.content import get_course

from .factories import PASSWORD

ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *ROLES)
# The seeded people's usernames (tests/fuzz_world.py), so that some sign-ins and password checks succeed.
USERNAMES = {role: f"fuzz-{role}" for role in ROLES}
PASSWORD_FIELDS = ("password", "current", "confirm")
# The only methods a browser form or link uses; HEAD and OPTIONS are Werkzeug's own.
METHODS = ("GET", "POST")


# --- What a probe is -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilePart:
    """A multipart file part, sent where the form expects text (as a forged form could)."""

    filename: str = "note.txt"
    content: bytes = b"not a text field"
    content_type: str = "text/plain"


@dataclass(frozen=True)
class Ref:
    """A path value that names a row of the seeded world, e.g. Ref("cohort"); its id is filled in when sent."""

    name: str


Value = str | FilePart


@dataclass(frozen=True)
class Probe:
    """One request: who sends it, to which route, with which path, query and form values (keys may repeat)."""

    rule: str  # as in the URL map, e.g. "/admin/users/<int:user_id>"
    method: str
    role: str
    path: tuple[tuple[str, str | Ref], ...] = ()
    query: tuple[tuple[str, str], ...] = ()
    form: tuple[tuple[str, Value], ...] = ()
    multipart: bool = False
    accept: str = "text/html"
    raw_body: bytes | None = None  # sent as is (URL-encoded, after the CSRF token) instead of `form`


# --- Routes, their forms and the request keys their code reads --------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL rule with one method, who may use it, and the fields and keys its view reads."""

    endpoint: str
    method: str
    rule: str
    converters: dict = field(compare=False)
    roles: tuple[str, ...]
    fields: dict = field(compare=False)  # field name -> WTForms field class (or None: a bare request key)

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}"


def routes(app: Flask) -> list[Route]:
    """Every (rule, method) in the app's URL map, with the form fields and request keys of its view."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        access = getattr(view, "access_rule", None)
        roles = (ANONYMOUS,) if access == PUBLIC else tuple(access or ())  # others are tried too, less often
        fields = {name: None for name in request_keys(view)}
        for form in forms_used_by(view):
            fields.update(form_fields(form))
        if _reads_quiz_answers(view):
            fields.update({name: None for name in quiz_field_names()})
        for method in METHODS:
            if method in rule.methods:
                found.append(Route(rule.endpoint, method, rule.rule, dict(rule._converters), roles, fields))
    return found


def _code_objects(func: FunctionType) -> Iterator[CodeType]:
    """The function's code and the code nested in it (comprehensions, lambdas, inner functions)."""
    stack = [inspect.unwrap(func).__code__]
    while stack:
        code = stack.pop()
        yield code
        stack.extend(const for const in code.co_consts if isinstance(const, CodeType))


def _helpers(func: FunctionType, depth: int = 2) -> Iterator[FunctionType]:
    """The function and the course functions it calls by name (e.g. a view's `_assign_form`), `depth` levels deep."""
    func = inspect.unwrap(func)
    seen, level = {func}, [func]
    yield func
    for _ in range(depth):
        following = []
        for current in level:
            for code in _code_objects(current):
                for name in code.co_names:
                    target = current.__globals__.get(name)
                    if inspect.isfunction(target) and target.__module__.startswith("course.") and target not in seen:
                        seen.add(target)
                        following.append(inspect.unwrap(target))
        yield from following
        level = following


def forms_used_by(view: FunctionType) -> set[type[FlaskForm]]:
    """The WTForms classes that the view, or a helper it calls, names."""
    forms = set()
    for func in _helpers(view):
        for code in _code_objects(func):
            for name in code.co_names:
                target = func.__globals__.get(name)
                if isinstance(target, type) and issubclass(target, FlaskForm):
                    forms.add(target)
    return forms


def form_fields(form: type[FlaskForm]) -> dict:
    """The form's fields by name, with their field classes (the CSRF token is added by the client)."""
    return {
        name: unbound.field_class for name, unbound in inspect.getmembers(form) if isinstance(unbound, UnboundField)
    }


def request_keys(view: FunctionType) -> set[str]:
    """Keys the view's code reads straight from the request: `request.args.get("page")`, `request.form["sequence"]`."""
    keys = set()
    for func in _helpers(view):
        for code in _code_objects(func):
            instructions = list(dis.get_instructions(code))
            for n, instruction in enumerate(instructions):
                if instruction.opname in ("LOAD_ATTR", "LOAD_METHOD") and instruction.argval in (
                    "args",
                    "form",
                    "values",
                ):
                    key = next((i.argval for i in instructions[n + 1 : n + 3] if i.opname == "LOAD_CONST"), None)
                    if isinstance(key, str):
                        keys.add(key)
    return keys


def _reads_quiz_answers(view: FunctionType) -> bool:
    """The quiz form is built by hand (`q-<question id>` fields), read by attempts.parse_answers."""
    return any("parse_answers" in code.co_names for func in _helpers(view) for code in _code_objects(func))


def quiz_field_names() -> list[str]:
    """The quiz form's field names (`q-<question id>`) of the first module, where the seeded attempts are."""
    module = get_course().modules[0]
    return sorted({f"q-{question.id}" for test in (module.quiz, module.pretest) for question in test.questions})


def every_quiz_question_answered() -> tuple[tuple[str, str], ...]:
    """Form values answering every quiz question of the first module (its first choice), as a submit needs."""
    return tuple((f"q-{question.id}", question.choices[0].id) for question in get_course().modules[0].quiz.questions)


def quiz_choice_ids() -> list[str]:
    """The answer choice ids of the first module, so that some answers sent are real choices."""
    module = get_course().modules[0]
    return sorted(
        {
            choice.id
            for test in (module.quiz, module.pretest)
            for question in test.questions
            for choice in question.choices
        }
    )


# --- Hostile values --------------------------------------------------------------------------------

EDGE_NUMBERS = (
    "0",
    "-1",
    "1",
    "2",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "1.5",
    "NaN",
    "inf",
    "0x1F",
    "1_000",
    " 7 ",
    "١٢",
    "１２",
)
EDGE_DATES = (
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2024-02-29",
    "2026-13-01",
    "0000-00-00",
    "10000-01-01",
    "-2026-01-01",
    "2026-1-1",
    "2030-06-30T00:00",
    "31/12/2030",
    "",
)
EDGE_TEXT = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "name\r\nSet-Cookie: x=1",
    "\t",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "%",
    "\\",
    "//evil.example",
    "😀" * 20,
    "ß" * 41,
    "I" * 41,
)
REDIRECT_TARGETS = (
    "/",
    "/learn/",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "/\r\nSet-Cookie: x=1",
    "/%0d%0a",
    "/\t",
    "/é",
    "/" + "a" * 3000,
    "javascript:alert(1)",
)
# NUL only from EDGE_TEXT: every request holding one is refused up front (course/security.py), and
# Hypothesis favours low code points, so left in it would hide most other values behind that refusal.
CONTROL_CHARACTERS = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"], exclude_characters="\x00")
ANY_CHARACTER = st.characters(codec="utf-8", exclude_characters="\x00")

numbers = st.one_of(st.sampled_from(EDGE_NUMBERS), st.integers(-(2**70), 2**70).map(str))
dates = st.one_of(st.sampled_from(EDGE_DATES), st.dates().map(str))


def texts(longest: int) -> st.SearchStrategy[str]:
    """Hostile text: edge cases, any unicode, control characters, numbers, long repeats up to `longest` characters."""
    return st.one_of(
        st.sampled_from(EDGE_TEXT),
        st.text(ANY_CHARACTER, max_size=60),
        st.text(CONTROL_CHARACTERS, min_size=1, max_size=8),
        numbers,
        st.builds(
            lambda unit, times: (unit * times)[:longest],
            st.text(ANY_CHARACTER, min_size=1, max_size=3),
            st.integers(100, longest),
        ),
    )


# A form body may be long (past MAX_CONTENT_LENGTH, 64 KiB, once encoded). A URL may not: gunicorn
# refuses a request line over 4094 bytes before the app sees it (and the test client is slow with them).
body_text = texts(30_000)
url_text = texts(1_000)
# Bytes no browser sends in a URL-encoded body: invalid UTF-8, bare "%", NUL, many empty fields.
raw_bodies = st.one_of(
    st.sampled_from([b"\xff\xfe=\xc0\xaf", b"name=%", b"name=%zz", b"name=a%00b", b"&" * 600, b"=" * 10]),
    st.binary(max_size=200),
)
file_parts = st.builds(
    FilePart,
    filename=st.sampled_from(["note.txt", "", "../x", "a\x00.txt"]),
    content=st.sampled_from([b"", b"hello", b"\x00\xff\xfe", b"x" * 70_000]),
    content_type=st.sampled_from(["text/plain", "application/octet-stream", ""]),
)


def mostly(common: st.SearchStrategy, rare: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly `common`, sometimes `rare` (one_of would pick by branch, and `rare` has many branches)."""
    return st.integers(0, 3).flatmap(lambda n: rare if n >= 2 else common)


def field_values(field_class: type | None, name: str, text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Values for one field: mostly its kind's edge cases, else hostile `text`."""

    def kind(*classes) -> bool:
        return field_class is not None and issubclass(field_class, classes)

    if kind(DateField):
        edges = dates
    elif kind(BooleanField):
        edges = st.sampled_from(["y", "on", "false", ""])
    elif kind(SelectField, RadioField, SelectMultipleField):
        edges = st.one_of(numbers, st.sampled_from(ROLES + ("", "cohort", "members", "record_viewed", "7", "30")))
    elif name == "page":
        edges = numbers
    elif name == "username":
        edges = mostly(st.sampled_from(list(USERNAMES.values())), st.sampled_from(EDGE_TEXT))
    elif name in PASSWORD_FIELDS:
        edges = mostly(st.just(PASSWORD), st.sampled_from(EDGE_TEXT))
    elif name == "next":
        edges = st.sampled_from(REDIRECT_TARGETS)
    elif name.startswith("q-"):
        edges = st.sampled_from(quiz_choice_ids())
    else:
        edges = st.one_of(st.sampled_from(EDGE_TEXT), numbers)
    return mostly(edges, text)


@st.composite
def parameters(draw, fields: dict, in_body: bool) -> tuple[tuple[str, Value], ...]:
    """Some of the fields (each absent, once, or repeated), in any order; in a body, sometimes one a file part."""
    text = body_text if in_body else url_text
    pairs = [
        (name, draw(field_values(field_class, name, text)))
        for name, field_class in fields.items()
        if field_class is not FileField
        for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2])))
    ]
    if draw(st.booleans()):  # a key no form has
        pairs.append((draw(st.sampled_from(["extra", "", "csrf_token[]", "q-"])), draw(text)))
    pairs = draw(st.permutations(pairs))
    if in_body and pairs and draw(mostly(st.just(False), st.booleans())):  # one file part, where text is expected
        pairs[0] = (pairs[0][0], draw(file_parts))
    return tuple(pairs)


# --- Path values -----------------------------------------------------------------------------------

# Which seeded rows fit a path argument of this name (tests/fuzz_world.py seeds them).
REFS_BY_ARGUMENT = {
    "user_id": ("learner", "facilitator", "counselor", "admin"),
    "learner_id": ("learner",),
    "cohort_id": ("cohort",),
    "assignment_id": ("assignment",),
    "attempt_id": ("open_attempt", "submitted_attempt"),
    "link_id": ("caseload_link",),
    "code": ("join_code",),
}
EDGE_SEGMENTS = (
    "0",
    "-1",
    "99999999999999999999",
    "2147483648",
    "abc",
    "1.0",
    "%00",
    "%ff",
    "%2e%2e",
    "%0d%0a",
    "\x00",
    "é",
    "😀",
    " ",
)


def path_values(name: str, converter) -> st.SearchStrategy[str | Ref]:
    """A path argument: a seeded row (to reach the view's code), a real choice, or a hostile segment."""
    hostile = st.one_of(st.sampled_from(EDGE_SEGMENTS), numbers, url_text.filter(bool))
    known = [Ref(ref) for ref in REFS_BY_ARGUMENT.get(name, ())]
    if isinstance(converter, AnyConverter):
        known += sorted(converter.items)
    elif name in ("module_id", "lesson_id"):
        course = get_course()
        known += [m.id for m in course.modules] if name == "module_id" else [course.modules[0].lessons[0].id]
    elif isinstance(converter, IntegerConverter) and not known:
        known += ["1", "2", "3"]
    if not known:
        return hostile
    return mostly(st.sampled_from(known), hostile)  # most reach the view's own code


# --- Probes ----------------------------------------------------------------------------------------


def probes(route: Route) -> st.SearchStrategy[Probe]:
    """Requests to one route: mostly by a role that may use it, sometimes by anyone else."""
    post = route.method == "POST"
    allowed = st.sampled_from(route.roles or EVERYONE)
    return st.builds(
        Probe,
        rule=st.just(route.rule),
        method=st.just(route.method),
        role=mostly(allowed, st.sampled_from(EVERYONE)),
        path=st.tuples(
            *(st.tuples(st.just(name), path_values(name, converter)) for name, converter in route.converters.items())
        ),
        query=_query(route),
        form=parameters(route.fields, in_body=True) if post else st.just(()),
        multipart=st.booleans() if post else st.just(False),  # a file part makes it multipart anyway
        accept=st.sampled_from(["text/html", "text/html", "application/json", "*/*"]),
        raw_body=mostly(st.none(), raw_bodies) if post else st.none(),
    )


def _query(route: Route) -> st.SearchStrategy[tuple[tuple[str, str], ...]]:
    """Query values: every field for a GET (filter forms read the query string), `page`/`next`/… for a POST."""
    fields = route.fields if route.method == "GET" else {k: v for k, v in route.fields.items() if v is None}
    return parameters({**fields, "page": None}, in_body=False)


def any_probe(all_routes: list[Route]) -> st.SearchStrategy[Probe]:
    """A request to any route."""
    return st.sampled_from(all_routes).flatmap(probes)
