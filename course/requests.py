"""The request class: the form-parts limit holds for URL-encoded bodies as it does for multipart ones."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Request
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
