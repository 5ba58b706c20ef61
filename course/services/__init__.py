"""Business rules, as functions that take explicit arguments and can be tested without a request.

The transaction rule: a service never commits or rolls back. It works in the caller's transaction,
and the caller (a view, a CLI command, a test) opens `write_transaction()` (course/database.py)
around everything one action of a person changes, so the action is stored whole or not at all.
What must be on record before a page or a file is sent (a look at a learner's record, an export,
a refused look) is written by the view in its own `write_transaction()` first. A service that must
survive losing a race without spoiling the caller's transaction (two tabs starting the same quiz)
uses a savepoint (`db.session.begin_nested()`), which is not a commit.

The package is flat: its modules serve several areas and import each other without cycles.
"""
