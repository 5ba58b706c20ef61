"""The programme's own local resources: listed in order, added, edited, moved, deleted; every change audited.

The link rules live in resource_links.py and only there; the forms call the same checks, so a
refusal is shown beside its field, and this service checks again, so nothing can store a bad link.
Services never commit: the caller runs them in `write_transaction()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..i18n import gettext as _
from ..models import LocalResource, User
from ..models.local_resources import (
    DETAILS_MAX_LENGTH,
    KIND_LABELS,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    URL_MAX_LENGTH,
)
from . import audit
from .resource_links import phone_problem, tel_href, url_problem


class ResourceRefused(ValueError):
    """The fields were not stored; `errors` maps each refused field to what to fix."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ResourceFields:
    """What an admin types for a resource; empty phone or url means none."""

    kind: str
    name: str
    details: str = ""
    phone: str = ""
    url: str = ""


@dataclass(frozen=True)
class ShownResource:
    """A resource as the help page and lessons show it: plain values, links already checked."""

    kind_label: str
    name: str
    detail_lines: tuple[str, ...]
    phone: str | None
    tel_href: str | None
    url: str | None


def _checked(fields: ResourceFields) -> ResourceFields:
    """The fields with outer spaces trimmed. :raise ResourceRefused: naming every field that breaks a rule."""
    kind, name, details = fields.kind, fields.name.strip(), fields.details.strip()
    phone, url = fields.phone.strip(), fields.url.strip()
    errors: dict[str, str] = {}
    if kind not in KIND_LABELS:
        errors["kind"] = _("Choose one of the kinds listed.")
    if not name:
        errors["name"] = _("Enter a name.")
    for field, value, limit in (
        ("name", name, NAME_MAX_LENGTH),
        ("details", details, DETAILS_MAX_LENGTH),
        ("phone", phone, PHONE_MAX_LENGTH),
        ("url", url, URL_MAX_LENGTH),
    ):
        if len(value) > limit:
            errors.setdefault(field, _("Use at most %(limit)s characters.", limit=limit))
    if phone and "phone" not in errors and (problem := phone_problem(phone)):
        errors["phone"] = problem
    if url and "url" not in errors and (problem := url_problem(url)):
        errors["url"] = problem
    if errors:
        raise ResourceRefused(errors)
    return ResourceFields(kind, name, details, phone, url)


def listed() -> list[LocalResource]:
    """Every resource, in the order shown."""
    return list(db.session.scalars(select(LocalResource).order_by(LocalResource.position, LocalResource.id)))


def shown() -> tuple[ShownResource, ...]:
    """Every resource as the help page and lessons show it, in order (one query)."""
    return tuple(
        ShownResource(
            kind_label=r.kind_label,
            name=r.name,
            detail_lines=tuple(line.rstrip() for line in r.details.splitlines()) if r.details else (),
            phone=r.phone,
            tel_href=tel_href(r.phone) if r.phone else None,
            url=r.url,
        )
        for r in listed()
    )


def shown_whatever_happens() -> tuple[ShownResource, ...]:
    """`shown()`, or none when the database cannot answer: the help page shows the national lines regardless."""
    try:
        return shown()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("local resources could not be read; the help page shows the national lines")
        return ()


def _describe(resource: LocalResource) -> str:
    # Ids and short words only, as every audit detail: never the free text an admin typed.
    return f"resource {resource.id} {resource.kind}"


def add(fields: ResourceFields, by: User) -> LocalResource:
    """Add a resource at the end of the list. :raise ResourceRefused: when a field breaks a rule."""
    fields = _checked(fields)
    last = db.session.scalar(select(func.max(LocalResource.position))) or 0
    resource = LocalResource(
        kind=fields.kind,
        name=fields.name,
        details=fields.details,
        phone=fields.phone or None,
        url=fields.url or None,
        position=last + 1,
        updated_by_id=by.id,
    )
    db.session.add(resource)
    db.session.flush()
    audit.record(audit.RESOURCE_ADDED, actor=by, detail=_describe(resource))
    return resource


def edit(resource: LocalResource, fields: ResourceFields, by: User) -> list[str]:
    """Change a resource's fields; the names of the fields changed (none: nothing written or audited).

    :raise ResourceRefused: when a field breaks a rule (nothing changes).
    """
    fields = _checked(fields)
    new = {
        "kind": fields.kind,
        "name": fields.name,
        "details": fields.details,
        "phone": fields.phone or None,
        "url": fields.url or None,
    }
    changed = [name for name, value in new.items() if getattr(resource, name) != value]
    if changed:
        for name in changed:
            setattr(resource, name, new[name])
        resource.updated_by_id = by.id
        db.session.flush()
        audit.record(audit.RESOURCE_EDITED, actor=by, detail=f"{_describe(resource)}: {', '.join(changed)}")
    return changed


def delete(resource: LocalResource, by: User) -> None:
    """Delete a resource; the others keep their order."""
    detail = _describe(resource)
    db.session.delete(resource)
    db.session.flush()
    audit.record(audit.RESOURCE_DELETED, actor=by, detail=detail)


def move(resource: LocalResource, step: int, by: User) -> bool:
    """Move a resource one place up (step -1) or down (+1); False when it is already at that end."""
    ordered = list(
        db.session.scalars(select(LocalResource).order_by(LocalResource.position, LocalResource.id).with_for_update())
    )
    index = ordered.index(resource)
    other = index + step
    if step not in (-1, 1) or not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    # Number them 1, 2, ... again: ties or gaps left by deletions cannot make a move do nothing.
    for position, row in enumerate(ordered, start=1):
        row.position = position
    resource.updated_by_id = by.id
    db.session.flush()
    direction = "up" if step < 0 else "down"
    audit.record(audit.RESOURCE_MOVED, actor=by, detail=f"{_describe(resource)}: {direction} to place {other + 1}")
    return True
