"""No input gives a 5xx: every route, as every role, with hostile path, query and form values (Hypothesis).

Each route gets a bounded, seeded number of examples (the "ci" profile: derandomized, no deadline);
`FUZZ_PROFILE=thorough` runs many more. Every request must answer below 500, and a refused one must
change no data (what may change is listed in tests/fuzz_world.py).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from sqlalchemy import update

from course import create_app
from course.access import public
from course.config import TestConfig
from course.extensions import db
from course.models import Cohort

from .factories import PASSWORD
from .fuzz_support import (
    ANONYMOUS,
    USERNAMES,
    FilePart,
    Probe,
    Ref,
    Route,
    any_probe,
    every_quiz_question_answered,
    probes,
    routes,
)
from .fuzz_world import World

# "ci": 20 examples a route, the same ones on every run; about 20 s of CPU a database on the 2-core machine.
settings.register_profile(
    "ci",
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough", settings.get_profile("ci"), max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300"))
)
FUZZ = settings.get_profile(os.environ.get("FUZZ_PROFILE", "ci"))

_app = create_app(TestConfig)  # for its URL map and content; it never opens its database
with _app.app_context():
    ROUTES = routes(_app)
    QUIZ_ANSWERS = every_quiz_question_answered()

# Inputs that gave a 500 before (issue 12 and this fuzzing), kept as explicit examples.
SIGN_IN_WITH_A_FILE = Probe(
    "/auth/login", "POST", ANONYMOUS, form=(("username", FilePart()), ("password", "x")), multipart=True
)
HUGE_PAGE_NUMBER = Probe("/admin/", "GET", "admin", query=(("page", "99999999999999999999"),))
BLANK_FILTER = Probe("/counsel/", "GET", "counselor", query=(("inactive", " "),))
LAST_DAY_OF_TIME = Probe("/admin/audit", "GET", "admin", query=(("until", "9999-12-31"),))
SIGN_IN_TO_A_HEADER_BREAK = Probe(
    "/auth/login",
    "POST",
    ANONYMOUS,
    query=(("next", "/\r\nSet-Cookie: x=1"),),
    form=(("username", USERNAMES["learner"]), ("password", PASSWORD)),
)
SUBMIT_AT_A_HUGE_SEQUENCE = Probe(
    "/learn/attempts/<int:attempt_id>/submit",
    "POST",
    "learner",
    path=(("attempt_id", Ref("open_attempt")),),
    form=QUIZ_ANSWERS + (("sequence", "99999999999999999999"),),
)
# Not a 500 here, but a form parser that decodes the body itself would make it one.
NOT_UTF8_BODY = Probe("/auth/login", "POST", ANONYMOUS, raw_body=b"username=\xff\xfe&password=x")


def area(route: Route) -> str:
    """The first segment of a route's URL ("admin", "learn", ...); "" for the one-segment public pages."""
    first, _, rest = route.rule.strip("/").partition("/")
    return first if rest or first in ("admin", "counsel", "facilitate", "learn") else ""


AREAS = sorted({area(route) for route in ROUTES})


@pytest.mark.parametrize("area_name", AREAS, ids=lambda name: f"/{name}")
def test_no_input_gives_a_5xx(app, area_name):
    """Every route of one area of the site, each with its own bounded run of examples."""
    world = World(app)  # one app and database per area; the world resets itself between examples
    for route in ROUTES:
        if area(route) == area_name:
            _fuzz(world, route)


def _fuzz(world: World, route: Route) -> None:
    @FUZZ
    @given(probe=probes(route))
    def answers_below_500(probe):
        world.check(probe)

    answers_below_500()


def test_inputs_that_gave_a_500_before_and_any_route(app):
    world = World(app)

    @FUZZ
    @example(probe=SIGN_IN_WITH_A_FILE)
    @example(probe=HUGE_PAGE_NUMBER)
    @example(probe=BLANK_FILTER)
    @example(probe=LAST_DAY_OF_TIME)
    @example(probe=SIGN_IN_TO_A_HEADER_BREAK)
    @example(probe=SUBMIT_AT_A_HUGE_SEQUENCE)
    @example(probe=NOT_UTF8_BODY)
    @given(probe=any_probe(ROUTES))
    def answers_below_500(probe):
        world.check(probe)

    answers_below_500()


def test_the_walk_finds_every_route_and_each_views_fields():
    fields = {route.id: set(route.fields) for route in ROUTES}
    assert len(ROUTES) == sum(len({"GET", "POST"} & rule.methods) for rule in _app.url_map.iter_rules())
    assert {"username", "password", "next"} <= fields["POST /auth/login"]
    assert {"page", "role"} <= fields["GET /admin/"]
    assert {"action", "actor", "subject", "since", "until", "page"} <= fields["GET /admin/audit"]
    assert {"behind", "failed_twice", "inactive", "page"} <= fields["GET /counsel/"]
    assert {"modules", "who", "learners", "usernames", "due"} <= fields[
        "POST /facilitate/cohorts/<int:cohort_id>/assignments"
    ]
    submit = fields["POST /learn/attempts/<int:attempt_id>/submit"]
    assert "sequence" in submit and any(name.startswith("q-") for name in submit)


def test_the_check_catches_a_5xx_and_a_refusal_that_changed_data(app):
    def refuse_after_writing():
        db.session.execute(update(Cohort).values(name="changed"))
        db.session.commit()
        return "Please fix this", 422

    app.add_url_rule("/refuses-after-writing", view_func=public(refuse_after_writing))
    app.add_url_rule("/breaks", view_func=public(lambda: 1 / 0))
    world = World(app)
    with pytest.raises(AssertionError, match=r"refused \(422\) but changed \['cohort'\]"):
        world.check(Probe("/refuses-after-writing", "GET", ANONYMOUS))
    with pytest.raises(AssertionError, match=r"(?s)500 for .*ZeroDivisionError"):
        world.check(Probe("/breaks", "GET", "learner"))
