"""TemplateTextPiece: build a string (a message, a URL, a query) from a template and values."""

import string
from _string import formatter_field_name_split  # what string.Formatter itself uses
from collections.abc import Mapping, Sequence
from typing import Any

from airflow_domino_sdk import BasePiece

from .models import InputModel, OutputModel


class _SafeFormatter(string.Formatter):
    """str.format without attribute access: `{x.__class__}` could reach interpreter internals."""

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> tuple[Any, str]:
        first, rest = formatter_field_name_split(field_name)
        if isinstance(first, int) or first == "":
            raise ValueError(f"placeholder {{{field_name}}} needs a name")
        if first not in kwargs:
            raise ValueError(f"placeholder {{{field_name}}} has no value; known: {sorted(kwargs)}")
        obj = kwargs[first]
        for is_attr, key in rest:
            if is_attr:
                raise ValueError(f"placeholder {{{field_name}}}: attribute access is not allowed, use [key]")
            try:
                obj = obj[key]
            except (KeyError, IndexError, TypeError):
                raise ValueError(f"placeholder {{{field_name}}}: no item {key!r}") from None
        return obj, first


class TemplateTextPiece(BasePiece):
    """Fills a text template with values, e.g. from upstream outputs and run parameters."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        text = _SafeFormatter().vformat(input_data.template, (), input_data.values)
        if input_data.uppercase:
            text = text.upper()
        text = input_data.separator.join([text] * input_data.repeat)
        self.logger.info("built %d character(s)", len(text))
        return OutputModel(text=text)
