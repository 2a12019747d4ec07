"""Keeping passwords out of reprs, logs, error messages and CLI output.

Redaction never depends on a DSN parsing as a URL: a DSN without a scheme, with several hosts,
a bad port or a raw '@' in its password is masked all the same (everything between the user's
':' and the last '@' of the DSN, so a password holding '@', ':', '/' or '#' goes whole).
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# In free text: [scheme://]user:password@ within one whitespace-free run, up to its last '@'.
_URL_PASSWORD = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*://)?(?P<user>[^\s:@/'\"]*):(?!//)(?P<pw>\S*)@", re.IGNORECASE
)
_KEYWORD_PASSWORD = re.compile(r"(?i)\b(password|passwd|pwd)\s*=\s*('[^']*'|\"[^\"]*\"|[^\s&]+)")
_QUERY_PASSWORD = re.compile(r"(?i)([?&](?:password|sslpassword)=)[^&\s]*")

MASK = "***"


def redact_dsn(dsn: str) -> str:
    """The DSN with any password replaced by ***."""
    scheme = _SCHEME.match(dsn)
    head = scheme.group(0) if scheme else ""
    rest = dsn[len(head) :]
    at = rest.rfind("@")
    if at >= 0 and ":" in rest[:at]:
        user = rest[:at].split(":", 1)[0]
        if "@" not in user and "/" not in user:
            rest = f"{user}:{MASK}{rest[at:]}"
    redacted = _QUERY_PASSWORD.sub(rf"\g<1>{MASK}", head + rest)
    return redacted if scheme or "@" in dsn else _KEYWORD_PASSWORD.sub(rf"\g<1>={MASK}", redacted)


def redact_secrets(text: str) -> str:
    """Text with every DSN password (with or without a scheme) and password=... pair masked."""
    text = _URL_PASSWORD.sub(rf"\g<scheme>\g<user>:{MASK}@", text)
    text = _QUERY_PASSWORD.sub(rf"\g<1>{MASK}", text)
    return _KEYWORD_PASSWORD.sub(rf"\g<1>={MASK}", text)
