"""Models of SendEmailPiece."""

from email.utils import parseaddr
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator


class Security(StrEnum):
    starttls = "starttls"
    ssl = "ssl"
    none = "none"


def _check_address(value: str) -> str:
    address = parseaddr(value)[1]
    local, _, domain = address.rpartition("@")
    if not local or not domain or any(c.isspace() for c in address):
        raise ValueError(f"{value!r} is not an e-mail address")
    return value.strip()


class InputModel(BaseModel):
    """SendEmailPiece input."""

    to: list[str] = Field(
        min_length=1,
        title="To",
        description="Recipients: `ada@example.org` or `Ada Lovelace <ada@example.org>`.",
    )
    cc: list[str] = Field(default=[], title="Cc", description="Copy recipients (visible to everyone).")
    bcc: list[str] = Field(default=[], title="Bcc", description="Hidden recipients (not written into the message).")
    from_address: str = Field(
        default="", title="From", description="Sender address; empty: the SMTP_USER secret (when it is an address)."
    )
    subject: str = Field(title="Subject", description="Subject line.")
    body: str = Field(
        default="",
        title="Body",
        description="Plain text, or HTML when `html` is on (a plain-text copy is added for old clients).",
        json_schema_extra={"widget": "textarea"},
    )
    html: bool = Field(default=False, title="HTML body", description="Send the body as HTML.")
    host: str = Field(default="localhost", min_length=1, title="SMTP host", description="Mail server host name.")
    port: int = Field(default=587, ge=1, le=65535, title="SMTP port", description="587 (STARTTLS), 465 (SSL), 25.")
    security: Security = Field(
        default=Security.starttls,
        title="Security",
        description="`starttls` (upgrade after connecting), `ssl` (TLS from the start) or `none` (plain text).",
    )
    allow_login_without_tls: bool = Field(
        default=False,
        title="Allow login without TLS",
        description="Permit sending the SMTP password over an unencrypted connection (trusted networks only).",
        json_schema_extra={"from_upstream": "never"},
    )
    timeout_seconds: float = Field(default=30, gt=0, le=600, title="Timeout (s)", description="Network timeout.")

    @field_validator("to", "cc", "bcc")
    @classmethod
    def _addresses(cls, values: list[str]) -> list[str]:
        return [_check_address(v) for v in values]

    @field_validator("from_address")
    @classmethod
    def _from(cls, value: str) -> str:
        return _check_address(value) if value.strip() else ""


class OutputModel(BaseModel):
    """SendEmailPiece output."""

    message_id: str = Field(title="Message-ID", description="The Message-ID header of the sent message.")
    recipients: list[str] = Field(title="Recipients", description="Addresses the server accepted (to, cc and bcc).")


class SecretsModel(BaseModel):
    """SendEmailPiece secrets. Leave both unset for servers without authentication (local relays)."""

    SMTP_USER: str | None = Field(default=None, description="Login name; set it together with SMTP_PASSWORD.")
    SMTP_PASSWORD: str | None = Field(default=None, description="Password for SMTP_USER; never logged.")
