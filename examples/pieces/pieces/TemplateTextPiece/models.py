"""Models of TemplateTextPiece."""

from typing import Any

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """TemplateTextPiece input."""

    template: str = Field(
        title="Template",
        description=(
            "Text with `{name}` placeholders filled from `values`; format specs (`{price:.2f}`) and keys/indexes "
            "(`{user[name]}`, `{items[0]}`) work; `{{` and `}}` are literal braces."
        ),
        json_schema_extra={"widget": "textarea"},
    )
    values: dict[str, Any] = Field(
        default={}, title="Values", description="Placeholder values; each can be bound to an upstream output."
    )
    uppercase: bool = Field(default=False, title="Uppercase", description="Upper-case the result.")
    repeat: int = Field(default=1, ge=1, le=1000, title="Repeat", description="How many times to repeat the text.")
    separator: str = Field(default="\n", title="Separator", description="Put between repetitions.")


class OutputModel(BaseModel):
    """TemplateTextPiece output."""

    text: str = Field(title="Text", description="The filled-in text.")
