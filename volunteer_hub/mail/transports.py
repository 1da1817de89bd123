"""Where delivered mail goes: an SMTP server, or a folder of ``.eml`` files
that a newcomer can open."""

from __future__ import annotations

import os
import smtplib
import ssl
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit


class Transport(Protocol):
    def send(self, sender: str, recipient: str, mime: str, name: str) -> None:
        """Hand one message on, or raise ``OSError``/``smtplib.SMTPException``."""


class PermanentFailure(Exception):
    """The receiving side refused the message for good; retrying is futile."""


class FolderTransport:
    """Writes each message to ``<folder>/<name>.eml``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, sender: str, recipient: str, mime: str, name: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.eml"
        draft = path.with_suffix(".eml.part")
        draft.write_bytes(mime.encode("ascii", "surrogateescape"))
        os.replace(draft, path)


class SmtpTransport:
    """Delivers through an SMTP server (``smtp://`` or ``smtps://``), with
    STARTTLS when the server offers it on ``smtp://`` and login when the URL
    carries a user."""

    def __init__(
        self, host: str, port: int, *, use_ssl: bool = False,
        username: str | None = None, password: str | None = None, timeout: float = 30,
    ) -> None:
        self.host, self.port, self.use_ssl = host, port, use_ssl
        self.username, self.password, self.timeout = username, password, timeout

    def send(self, sender: str, recipient: str, mime: str, name: str) -> None:
        context = ssl.create_default_context()
        if self.use_ssl:
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            client.ehlo()
            if not self.use_ssl and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            elif not self.use_ssl and self.username:
                raise smtplib.SMTPException(
                    "the server offers no STARTTLS; refusing to send the password in clear")
            if self.username:
                client.login(self.username, self.password or "")
            try:
                client.sendmail(sender, [recipient], mime.encode("ascii", "surrogateescape"))
            except smtplib.SMTPRecipientsRefused as error:
                code, reason = error.recipients[recipient]
                if 500 <= code < 600:
                    raise PermanentFailure(f"{code} {reason!r}") from error
                raise


def transport_from_url(url: str) -> Transport:
    """The transport ``VOLUNTEER_HUB_MAIL_URL`` names: ``smtp://host:port``,
    ``smtps://user:password@host:port``, or a folder path (``file://`` optional)."""
    parts = urlsplit(url)
    if parts.scheme in ("smtp", "smtps"):
        use_ssl = parts.scheme == "smtps"
        return SmtpTransport(
            parts.hostname or "localhost",
            parts.port or (465 if use_ssl else 25),
            use_ssl=use_ssl,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )
    if parts.scheme == "file":
        return FolderTransport(Path(unquote(parts.path)))
    if not parts.scheme or len(parts.scheme) == 1:  # a path, or a Windows drive letter
        return FolderTransport(Path(url))
    raise ValueError(
        f"unsupported MAIL_URL scheme {parts.scheme!r}: use smtp://, smtps:// or a folder")
