"""SendEmailPiece: send one e-mail over SMTP with the standard library (smtplib)."""

import html
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from airflow_domino_sdk import BasePiece

from .models import InputModel, OutputModel, SecretsModel, Security


def _plain_text(markup: str) -> str:
    """A readable plain-text copy of an HTML body for clients that do not render HTML."""
    text = re.sub(r"(?is)<(script|style).*?</\1>", "", markup)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</h\d>|</li>|</tr>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(re.sub(r"\n{3,}", "\n\n", text)).strip() + "\n"


class SendEmailPiece(BasePiece):
    """Sends an e-mail (plain text or HTML) through an SMTP server."""

    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel | None = None) -> OutputModel:
        user = secrets_data.SMTP_USER if secrets_data else None
        password = secrets_data.SMTP_PASSWORD if secrets_data else None
        if bool(user) != bool(password):
            raise ValueError("set both SMTP_USER and SMTP_PASSWORD, or neither (server without authentication)")
        if user and input_data.security is Security.none and not input_data.allow_login_without_tls:
            raise ValueError(
                "refusing to send the SMTP password unencrypted: use security starttls or ssl "
                "(or turn on allow_login_without_tls on a trusted network)"
            )
        sender = input_data.from_address or (user if user and "@" in user else "")
        if not sender:
            raise ValueError("from_address is empty and SMTP_USER is not an e-mail address")

        message = EmailMessage()
        message["From"] = sender
        message["To"] = ", ".join(input_data.to)
        if input_data.cc:
            message["Cc"] = ", ".join(input_data.cc)
        message["Subject"] = input_data.subject
        message["Date"] = formatdate(localtime=False)
        domain = parseaddr(sender)[1].rpartition("@")[2] or None
        message["Message-ID"] = make_msgid(domain=domain)
        if input_data.html:
            message.set_content(_plain_text(input_data.body))
            message.add_alternative(input_data.body, subtype="html")
        else:
            message.set_content(input_data.body)
        envelope = [parseaddr(a)[1] for a in (*input_data.to, *input_data.cc, *input_data.bcc)]
        envelope = list(dict.fromkeys(envelope))

        self.logger.info(
            "sending %r to %d recipient(s) via %s:%d (%s%s)",
            input_data.subject,
            len(envelope),
            input_data.host,
            input_data.port,
            input_data.security.value,
            ", authenticated" if user else "",
        )
        context = ssl.create_default_context()
        host, port, timeout = input_data.host, input_data.port, input_data.timeout_seconds
        smtp = (
            smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
            if input_data.security is Security.ssl
            else smtplib.SMTP(host, port, timeout=timeout)
        )
        with smtp:
            if input_data.security is Security.starttls:
                smtp.starttls(context=context)
            if user and password:
                smtp.login(user, password)
            refused = smtp.send_message(message, from_addr=parseaddr(sender)[1], to_addrs=envelope)
        accepted = [a for a in envelope if a not in refused]
        if refused:
            self.logger.warning("refused by the server: %s", ", ".join(sorted(refused)))
        self.logger.info("sent %s", message["Message-ID"])
        return OutputModel(message_id=str(message["Message-ID"]), recipients=accepted)
