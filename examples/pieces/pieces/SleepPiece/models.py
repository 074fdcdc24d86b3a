"""Models of SleepPiece."""

from pydantic import BaseModel, Field


class InputModel(BaseModel):
    """SleepPiece input."""

    seconds: float = Field(
        default=5, ge=0, le=3600, title="Seconds", description="How long to wait (at most one hour)."
    )


class OutputModel(BaseModel):
    """SleepPiece output."""

    slept_seconds: float = Field(title="Slept (s)", description="The requested duration.")
