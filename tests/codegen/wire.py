"""What PostgreSQL itself says a statement takes and returns, read off the wire protocol.

asyncpg's prepared statements expose each result column's name and type but not the table
column it comes from, which RowDescription carries; this minimal client sends Parse and
Describe and reads both descriptions, so tests can ask the server whether a column is nullable.
It speaks trust, cleartext, md5 and SCRAM-SHA-256 authentication, no TLS.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import struct
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Field:
    name: str
    table_oid: int  # 0 when the value is computed, not a table column
    column_number: int
    type_oid: int


@dataclass(frozen=True)
class Description:
    parameter_oids: tuple[int, ...]
    fields: tuple[Field, ...]


class ServerError(Exception):
    pass


def _message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!I", len(body) + 4) + body


def _cstr(text: str) -> bytes:
    return text.encode() + b"\0"


class WireConnection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def connect(cls, dsn: str) -> WireConnection:
        parts = urlsplit(dsn)
        user = unquote(parts.username or os.environ.get("USER", "postgres"))
        password = unquote(parts.password or "")
        database = parts.path.lstrip("/") or user
        reader, writer = await asyncio.open_connection(
            parts.hostname or "localhost", parts.port or 5432
        )
        connection = cls(reader, writer)
        startup = struct.pack("!I", 196608) + _cstr("user") + _cstr(user)
        startup += _cstr("database") + _cstr(database) + b"\0"
        writer.write(struct.pack("!I", len(startup) + 4) + startup)
        await connection._authenticate(user, password)
        await connection._until_ready()
        return connection

    async def _read(self) -> tuple[bytes, bytes]:
        header = await self._reader.readexactly(5)
        length = struct.unpack("!I", header[1:])[0]
        return header[:1], await self._reader.readexactly(length - 4)

    async def _authenticate(self, user: str, password: str) -> None:
        scram: _Scram | None = None
        while True:
            kind, body = await self._read()
            if kind == b"E":
                raise ServerError(_error_text(body))
            if kind != b"R":
                raise ServerError(f"unexpected message {kind!r} during authentication")
            code = struct.unpack("!I", body[:4])[0]
            if code == 0:
                return
            if code == 3:
                self._writer.write(_message(b"p", _cstr(password)))
            elif code == 5:
                inner = hashlib.md5((password + user).encode()).hexdigest()
                outer = hashlib.md5(inner.encode() + body[4:8]).hexdigest()
                self._writer.write(_message(b"p", _cstr("md5" + outer)))
            elif code == 10:
                scram = _Scram(password)
                first = scram.client_first().encode()
                payload = _cstr("SCRAM-SHA-256") + struct.pack("!I", len(first)) + first
                self._writer.write(_message(b"p", payload))
            elif code == 11 and scram is not None:
                self._writer.write(_message(b"p", scram.client_final(body[4:].decode()).encode()))
            elif code == 12:
                continue
            else:
                raise ServerError(f"unsupported authentication request {code}")

    async def _until_ready(self) -> None:
        while True:
            kind, body = await self._read()
            if kind == b"E":
                raise ServerError(_error_text(body))
            if kind == b"Z":
                return

    async def describe(self, sql: str) -> Description:
        """The parameter types and result columns of a statement, as PostgreSQL describes it."""
        self._writer.write(
            _message(b"P", b"\0" + _cstr(sql) + struct.pack("!H", 0))
            + _message(b"D", b"S\0")
            + _message(b"S", b"")
        )
        parameters: tuple[int, ...] = ()
        fields: tuple[Field, ...] = ()
        error: str | None = None
        while True:
            kind, body = await self._read()
            if kind == b"E":
                error = _error_text(body)
            elif kind == b"t":
                count = struct.unpack("!H", body[:2])[0]
                parameters = struct.unpack(f"!{count}I", body[2 : 2 + 4 * count])
            elif kind == b"T":
                fields = _row_description(body)
            elif kind == b"Z":
                if error is not None:
                    raise ServerError(error)
                return Description(parameters, fields)

    async def close(self) -> None:
        self._writer.write(_message(b"X", b""))
        self._writer.close()
        await self._writer.wait_closed()


def _row_description(body: bytes) -> tuple[Field, ...]:
    count = struct.unpack("!H", body[:2])[0]
    offset = 2
    fields: list[Field] = []
    for _ in range(count):
        end = body.index(b"\0", offset)
        name = body[offset:end].decode()
        table_oid, column_number, type_oid = struct.unpack("!IhI", body[end + 1 : end + 11])
        fields.append(Field(name, table_oid, column_number, type_oid))
        offset = end + 1 + 18
    return tuple(fields)


def _error_text(body: bytes) -> str:
    parts = {chunk[:1]: chunk[1:].decode() for chunk in body.split(b"\0") if chunk}
    return f"{parts.get(b'C', '')}: {parts.get(b'M', '')}"


class _Scram:
    def __init__(self, password: str) -> None:
        self.password = password
        self.nonce = base64.b64encode(os.urandom(18)).decode()
        self.first_bare = f"n=,r={self.nonce}"

    def client_first(self) -> str:
        return "n,," + self.first_bare

    def client_final(self, server_first: str) -> str:
        attrs = dict(item.split("=", 1) for item in server_first.split(","))
        salt = base64.b64decode(attrs["s"])
        salted = hashlib.pbkdf2_hmac("sha256", self.password.encode(), salt, int(attrs["i"]))
        client_key = hmac.digest(salted, b"Client Key", "sha256")
        without_proof = f"c=biws,r={attrs['r']}"
        message = f"{self.first_bare},{server_first},{without_proof}"
        signature = hmac.digest(hashlib.sha256(client_key).digest(), message.encode(), "sha256")
        proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
        return f"{without_proof},p={base64.b64encode(proof).decode()}"
