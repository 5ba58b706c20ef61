"""The request class: the form-parts limit holds for URL-encoded bodies as it does for multipart ones,
and the few views that take a file get a larger body limit than every other form."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Request, current_app
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser


class LimitedFormDataParser(FormDataParser):
    """Werkzeug applies `max_form_parts` to multipart bodies only; apply it to URL-encoded ones too.

    A 64 KiB body of `a&a&a...` would otherwise become 32,000 fields for every form to walk.
    """

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        try:
            body = stream.read().decode()
        except UnicodeDecodeError as error:  # no page of ours sends anything but UTF-8
            raise BadRequest() from error
        try:
            items = parse_qsl(
                body, keep_blank_values=True, errors="werkzeug.url_quote", max_num_fields=self.max_form_parts
            )
        except ValueError as error:  # "Max number of fields exceeded"
            raise RequestEntityTooLarge() from error
        return stream, self.cls(items), self.cls()


class CourseRequest(Request):
    """Flask's request, with the form-parts limit applied to every form encoding."""

    form_data_parser_class = LimitedFormDataParser

    @property
    def max_content_length(self) -> int | None:
        """MAX_CONTENT_LENGTH, or the endpoint's own limit in UPLOAD_LIMITS (known before any hook reads the form)."""
        limit = current_app.config["UPLOAD_LIMITS"].get(self.endpoint) if current_app else None
        return limit or Request.max_content_length.fget(self)  # type: ignore[attr-defined]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        Request.max_content_length.fset(self, value)  # type: ignore[attr-defined]
