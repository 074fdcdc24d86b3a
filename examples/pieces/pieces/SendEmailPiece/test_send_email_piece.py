"""SendEmailPiece against a real SMTP server (aiosmtpd) on a free 127.0.0.1 port.

Covers plain delivery, HTML, STARTTLS with authentication (a self-signed certificate trusted via
SSL_CERT_FILE, so certificate checking stays on), and that the password never reaches the log.
"""

import datetime
import email
import email.policy
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from airflow_domino_sdk import PieceExecutionError, PieceInputError
from airflow_domino_sdk.testing import run_piece

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
aiosmtpd_smtp = pytest.importorskip("aiosmtpd.smtp")

PIECE = Path(__file__).parent
USER = "mailer@example.org"
PASSWORD = "correct-horse-battery-staple"


@dataclass
class _Inbox:
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = data.login.decode() == USER and data.password.decode() == PASSWORD
        if ok:
            self.logins.append(data.login.decode())
        return aiosmtpd_smtp.AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _self_signed(folder: Path) -> tuple[Path, Path]:
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., tuple[_Inbox, int]]]:
    controllers: list[Any] = []

    def start(**kwargs: Any) -> tuple[_Inbox, int]:
        inbox = _Inbox()
        port = _free_port()
        if kwargs.pop("with_auth", False):
            kwargs["authenticator"] = inbox.authenticate
        controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return inbox, port

    yield start
    for controller in controllers:
        controller.stop()


def base_inputs(port: int, **extra: Any) -> dict[str, Any]:
    return {
        "to": ["Ada Lovelace <ada@example.org>"],
        "subject": "Weekly report",
        "body": "Hello Ada,\n\nall good.\n",
        "host": "127.0.0.1",
        "port": port,
        **extra,
    }


def test_plain_delivery_without_auth(smtp_server: Callable[..., tuple[_Inbox, int]], tmp_path: Path) -> None:
    inbox, port = smtp_server()
    inputs = base_inputs(
        port, cc=["bob@example.org"], bcc=["audit@example.org"], from_address="reports@example.org", security="none"
    )
    result = run_piece(PIECE, inputs, results_path=tmp_path)
    assert result.outputs["recipients"] == ["ada@example.org", "bob@example.org", "audit@example.org"]
    [(rcpt_tos, message)] = inbox.messages
    assert rcpt_tos == ["ada@example.org", "bob@example.org", "audit@example.org"]
    assert message["Subject"] == "Weekly report"
    assert message["To"] == "Ada Lovelace <ada@example.org>"
    assert message["Cc"] == "bob@example.org"
    assert message["Bcc"] is None  # hidden recipients stay hidden
    assert message["Message-ID"] == result.outputs["message_id"]
    assert result.outputs["message_id"].endswith("@example.org>")
    assert message.get_content().replace("\r\n", "\n") == "Hello Ada,\n\nall good.\n"


def test_html_body_gets_a_plain_text_copy(smtp_server: Callable[..., tuple[_Inbox, int]], tmp_path: Path) -> None:
    inbox, port = smtp_server()
    body = "<h1>Report</h1><p>Total: <b>42</b> &amp; more</p>"
    run_piece(
        PIECE,
        base_inputs(port, body=body, html=True, from_address="r@example.org", security="none"),
        results_path=tmp_path,
    )
    [(_, message)] = inbox.messages
    assert message.get_content_type() == "multipart/alternative"
    plain, rich = message.iter_parts()
    assert plain.get_content().replace("\r\n", "\n") == "Report\nTotal: 42 & more\n"
    assert rich.get_content_type() == "text/html"
    assert "<b>42</b>" in rich.get_content()


def test_starttls_login_and_password_never_logged(
    smtp_server: Callable[..., tuple[_Inbox, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = _self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    inbox, port = smtp_server(tls_context=server_tls, require_starttls=True, with_auth=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the piece verifies the certificate as usual

    secrets = {"SMTP_USER": USER, "SMTP_PASSWORD": PASSWORD}
    result = run_piece(PIECE, base_inputs(port), secrets_data=secrets, results_path=tmp_path / "results")

    assert inbox.logins == [USER]
    [(rcpt_tos, message)] = inbox.messages
    assert rcpt_tos == ["ada@example.org"]
    assert message["From"] == USER  # from_address empty: the login is the sender
    assert message["Subject"] == "Weekly report"
    assert result.outputs["recipients"] == ["ada@example.org"]
    log = "\n".join(result.logs)
    assert "starttls, authenticated" in log
    assert PASSWORD not in log
    assert "***" not in log  # not even masked: the piece never tried to print it


def test_wrong_password_fails_without_echoing_it(
    smtp_server: Callable[..., tuple[_Inbox, int]], tmp_path: Path
) -> None:
    inbox, port = smtp_server(with_auth=True, auth_require_tls=False)
    inputs = base_inputs(port, security="none", allow_login_without_tls=True)
    secrets = {"SMTP_USER": USER, "SMTP_PASSWORD": "wrong-password"}
    with pytest.raises(PieceExecutionError, match="SMTPAuthenticationError") as info:
        run_piece(PIECE, inputs, secrets_data=secrets, results_path=tmp_path)
    assert "wrong-password" not in str(info.value)
    assert inbox.messages == []


def test_refuses_password_over_plain_text(tmp_path: Path) -> None:
    with pytest.raises(PieceExecutionError, match="refusing to send the SMTP password unencrypted"):
        run_piece(
            PIECE,
            base_inputs(1, security="none"),
            secrets_data={"SMTP_USER": USER, "SMTP_PASSWORD": PASSWORD},
            results_path=tmp_path,
        )
    with pytest.raises(PieceExecutionError, match="both SMTP_USER and SMTP_PASSWORD"):
        run_piece(PIECE, base_inputs(1), secrets_data={"SMTP_USER": USER}, results_path=tmp_path)
    with pytest.raises(PieceExecutionError, match="from_address is empty"):
        run_piece(PIECE, base_inputs(1), results_path=tmp_path)


@pytest.mark.parametrize("field_name", ["to", "cc", "bcc"])
def test_bad_addresses_are_input_errors(field_name: str, tmp_path: Path) -> None:
    inputs = base_inputs(25)
    inputs[field_name] = ["not an address"]
    with pytest.raises(PieceInputError, match=field_name):
        run_piece(PIECE, inputs, results_path=tmp_path)
