"""The password policy and the hash."""

import pytest

from course import create_app
from course.config import Config
from course.services.passwords import PasswordRejected, check_policy, hash_password, needs_rehash, verify_password


@pytest.mark.parametrize(
    "password, reason",
    [
        ("a" * 11, "at least 12"),
        ("Tr0ub4dor&3x", None),
        ("x" * 129, "at most 128"),
        ("password123456", "too common"),
        ("qwerty123456", "too common"),
        ("!!Password1234!!", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("opioidrecovery", "easy to guess"),
        ("Recovery2024!!", "easy to guess"),
        ("my name is sam-learner ok", "username"),
        ("a sunny walk by the river", None),
        ("ünïcödé pässwörd 🌻", None),
        ("p" + "q" * 10 + "r", "too common"),
    ],
)
def test_policy(password, reason):
    if reason is None:
        check_policy(password, username="sam-learner")
    else:
        with pytest.raises(PasswordRejected, match=reason):
            check_policy(password, username="sam-learner")


def test_lengths_at_the_edges_are_accepted():
    check_policy("river-sun-42", "someone")
    check_policy(("river-sun-42 " * 10)[:128], "someone")


def test_production_hash_is_argon2id_with_the_tuned_parameters():
    app = create_app(type("Production-like", (Config,), {"SQLALCHEMY_DATABASE_URI": "sqlite://"}))
    with app.app_context():
        hashed = hash_password("a sunny walk by the river")
        assert hashed.startswith("$argon2id$v=19$m=32768,t=2,p=1$")
        assert verify_password(hashed, "a sunny walk by the river")
        assert not verify_password(hashed, "a sunny walk by the rivers")
        assert not verify_password(None, "anything at all here")
        assert not verify_password("not-a-hash", "a sunny walk by the river")


def test_a_hash_with_other_parameters_needs_rehash(app):
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=3, memory_cost=2048, parallelism=2).hash("a sunny walk by the river")
    assert needs_rehash(old)
    assert not needs_rehash(hash_password("a sunny walk by the river"))
