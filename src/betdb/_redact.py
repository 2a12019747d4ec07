"""Keeping passwords out of reprs, logs, error messages and CLI output."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:@/\s]*):(?P<pw>[^@\s]*)@")
_KEYWORD_PASSWORD = re.compile(r"(?i)\b(password|passwd|pwd)\s*=\s*('[^']*'|\"[^\"]*\"|\S+)")
_QUERY_PASSWORD = re.compile(r"(?i)([?&](?:password|sslpassword)=)[^&\s]*")

MASK = "***"


def redact_dsn(dsn: str) -> str:
    """The DSN with any password replaced by ***."""
    parts = urlsplit(dsn)
    if parts.password is None:
        return _QUERY_PASSWORD.sub(rf"\g<1>{MASK}", dsn)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}:{MASK}@{host}"
    if parts.port is not None:
        netloc += f":{parts.port}"
    redacted = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return _QUERY_PASSWORD.sub(rf"\g<1>{MASK}", redacted)


def redact_secrets(text: str) -> str:
    """Text with every URL password and password=... pair masked."""
    text = _URL_PASSWORD.sub(rf"\g<scheme>\g<user>:{MASK}@", text)
    text = _QUERY_PASSWORD.sub(rf"\g<1>{MASK}", text)
    return _KEYWORD_PASSWORD.sub(rf"\g<1>={MASK}", text)
