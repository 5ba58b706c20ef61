"""The admin's local resources pages: the programme's own naloxone, clinic, crisis and peer-support places."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import ADMIN, role_required
from ..database import write_transaction
from ..extensions import db
from ..forms import ConfirmForm
from ..i18n import gettext as _
from ..models import LocalResource
from ..services import local_resources
from .forms import ResourceForm
from .views import bp


@bp.route("/resources")
@role_required(ADMIN)
def resources():
    """The programme's own resources in the order learners see them, each with edit, move and delete."""
    return render_template("admin/resources.html", resources=local_resources.listed(), confirm_form=ConfirmForm())


def _save(form: ResourceForm, save, resource: LocalResource | None = None):
    """Run `save` on a valid form in a write transaction; on a refusal, the form again with each message."""
    if form.validate_on_submit():
        try:
            with write_transaction():
                return save(form.to_fields())
        except local_resources.ResourceRefused as refused:
            for name, message in refused.errors.items():
                form[name].errors = [*form[name].errors, message]
    status = 422 if form.is_submitted() else 200
    return render_template("admin/resource_form.html", form=form, resource=resource), status


@bp.route("/resources/new", methods=["GET", "POST"])
@role_required(ADMIN)
def add_resource():
    """Add a resource at the end of the list."""

    def save(fields):
        resource = local_resources.add(fields, current_user)
        flash(
            _(
                "Added “%(name)s”. It shows on the help page and in the lessons about finding care.",
                name=resource.name,
            )
        )
        return redirect(url_for("admin.resources"), 303)

    return _save(ResourceForm(), save)


@bp.route("/resources/<int:resource_id>/edit", methods=["GET", "POST"])
@role_required(ADMIN)
def edit_resource(resource_id: int):
    """Change a resource. :raise 404: for an unknown id."""
    resource = db.get_or_404(LocalResource, resource_id)

    def save(fields):
        changed = local_resources.edit(resource, fields, current_user)
        flash(_("Saved “%(name)s”.", name=resource.name) if changed else _("Nothing was changed."))
        return redirect(url_for("admin.resources"), 303)

    return _save(ResourceForm(obj=resource), save, resource)


@bp.route("/resources/<int:resource_id>/delete", methods=["GET", "POST"])
@role_required(ADMIN)
def delete_resource(resource_id: int):
    """Ask before deleting a resource, then delete it. :raise 404: for an unknown id."""
    resource = db.get_or_404(LocalResource, resource_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = resource.name
        with write_transaction():
            local_resources.delete(resource, current_user)
        flash(_("Deleted “%(name)s”. It no longer shows to learners.", name=name))
        return redirect(url_for("admin.resources"), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/resource_delete.html", resource=resource, form=form), status


@bp.route("/resources/<int:resource_id>/<any(up, down):direction>", methods=["POST"])
@role_required(ADMIN)
def move_resource(resource_id: int, direction: str):
    """Move a resource one place up or down the list. :raise 404: for an unknown id."""
    resource = db.get_or_404(LocalResource, resource_id)
    with write_transaction():
        moved = local_resources.move(resource, -1 if direction == "up" else 1, current_user)
    name, up = resource.name, direction == "up"
    if moved:
        flash(_("Moved “%(name)s” up.", name=name) if up else _("Moved “%(name)s” down.", name=name))
    else:
        flash(
            _("“%(name)s” is already at the top.", name=name)
            if up
            else _("“%(name)s” is already at the bottom.", name=name)
        )
    return redirect(url_for("admin.resources", _anchor=f"resource-{resource.id}"), 303)
