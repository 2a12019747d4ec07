"""A minimal PostgreSQL client on the wire protocol: statement descriptions and text queries.

asyncpg's prepared statements do not say which table column a result column comes from, which
RowDescription carries; and `verify` must run with the standard library alone. So this client
speaks protocol 3.0 itself: startup; trust, cleartext, md5 and SCRAM-SHA-256 authentication;
TLS through the ssl module when sslmode asks for it; Parse + Describe; simple queries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import socket
import ssl
import struct
from dataclasses import dataclass

from ._conninfo import ConninfoError, parameters

_PROTOCOL = 196608  # 3.0
_SSL_REQUEST = 80877103
_SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


class WireError(Exception):
    """The connection could not be made or the server refused something; the text says which."""


class ServerError(WireError):
    """An ErrorResponse: the SQLSTATE and the server's message."""

    def __init__(self, sqlstate: str, message: str) -> None:
        super().__init__(f"{sqlstate}: {message}")
        self.sqlstate = sqlstate


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


@dataclass(frozen=True)
class Target:
    """Where and as whom to connect, read from a postgresql:// URL and the PG* variables."""

    host: str
    port: int
    user: str
    password: str
    database: str
    sslmode: str
    sslrootcert: str | None = None

    @classmethod
    def from_dsn(cls, dsn: str) -> Target:
        """Read as libpq reads it: the DSN (URL or key=value), the PG* variables, a passfile."""
        try:
            found = parameters(dsn)
        except ConninfoError as error:
            raise WireError(str(error)) from None
        if "," in found["host"]:
            raise WireError("the DSN names several hosts; give verify one")
        if found["sslmode"] not in _SSLMODES:
            raise WireError(f"sslmode={found['sslmode']} is not one of {', '.join(_SSLMODES)}")
        try:
            port = int(found["port"])
        except ValueError:
            raise WireError(f"the port {found['port']!r} is not a number") from None
        return cls(
            host=found["host"],
            port=port,
            user=found["user"],
            password=found.get("password", ""),
            database=found["dbname"],
            sslmode=found["sslmode"],
            sslrootcert=found.get("sslrootcert"),
        )


def _message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!I", len(body) + 4) + body


def _cstr(text: str) -> bytes:
    return text.encode() + b"\0"


def _error_fields(body: bytes) -> dict[bytes, str]:
    return {chunk[:1]: chunk[1:].decode(errors="replace") for chunk in body.split(b"\0") if chunk}


def _server_error(body: bytes) -> ServerError:
    fields = _error_fields(body)
    return ServerError(fields.get(b"C", "?????"), fields.get(b"M", "(no message)"))


class WireConnection:
    """One session; blocking calls, one statement at a time."""

    def __init__(self, sock: socket.socket | ssl.SSLSocket) -> None:
        self._sock = sock
        self._buffer = b""

    @classmethod
    def connect(cls, dsn: str, *, timeout: float = 30.0) -> WireConnection:
        target = Target.from_dsn(dsn)
        try:
            if target.host.startswith("/"):
                sock: socket.socket | ssl.SSLSocket = socket.socket(socket.AF_UNIX)
                sock.settimeout(timeout)
                sock.connect(f"{target.host}/.s.PGSQL.{target.port}")
            else:
                sock = socket.create_connection((target.host, target.port), timeout=timeout)
                sock = _negotiate_tls(sock, target)
        except OSError as error:
            where = f"{target.host}:{target.port}"
            raise WireError(f"cannot connect to {where}: {error}") from None
        connection = cls(sock)
        startup = struct.pack("!I", _PROTOCOL) + _cstr("user") + _cstr(target.user)
        startup += _cstr("database") + _cstr(target.database) + b"\0"
        sock.sendall(struct.pack("!I", len(startup) + 4) + startup)
        try:
            connection._authenticate(target)
            connection._until_ready()
        except ServerError as error:
            connection._sock.close()
            if error.sqlstate == "28000" and "no encryption" in str(error):
                raise WireError(
                    f"{error} (the server demands TLS: use sslmode=require or verify-full)"
                ) from None
            raise
        return connection

    def _recv_exactly(self, size: int) -> bytes:
        while len(self._buffer) < size:
            chunk = self._sock.recv(max(65536, size - len(self._buffer)))
            if not chunk:
                raise WireError("the server closed the connection")
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def _read(self) -> tuple[bytes, bytes]:
        header = self._recv_exactly(5)
        length = struct.unpack("!I", header[1:])[0]
        return header[:1], self._recv_exactly(length - 4)

    def _authenticate(self, target: Target) -> None:
        scram: _Scram | None = None
        while True:
            kind, body = self._read()
            if kind == b"E":
                raise _server_error(body)
            if kind != b"R":
                raise WireError(f"unexpected message {kind!r} during authentication")
            code = struct.unpack("!I", body[:4])[0]
            if code == 0:
                if scram is not None and not scram.verified:
                    raise WireError("the server did not prove it knows the SCRAM password")
                return
            if code in (3, 5, 10) and not target.password:
                raise WireError(
                    f"the server asks {target.user!r} for a password; none given (in the DSN,"
                    " PGPASSWORD or a password file)"
                )
            if code == 3:
                self._sock.sendall(_message(b"p", _cstr(target.password)))
            elif code == 5:
                inner = hashlib.md5((target.password + target.user).encode()).hexdigest()
                outer = hashlib.md5(inner.encode() + body[4:8]).hexdigest()
                self._sock.sendall(_message(b"p", _cstr("md5" + outer)))
            elif code == 10:
                mechanisms = body[4:].split(b"\0")
                if b"SCRAM-SHA-256" not in mechanisms:
                    offered = ", ".join(m.decode() for m in mechanisms if m)
                    raise WireError(f"the server offers only SASL {offered}; verify speaks none")
                scram = _Scram(target.password)
                first = scram.client_first().encode()
                payload = _cstr("SCRAM-SHA-256") + struct.pack("!I", len(first)) + first
                self._sock.sendall(_message(b"p", payload))
            elif code == 11 and scram is not None:
                final = scram.client_final(body[4:].decode())
                self._sock.sendall(_message(b"p", final.encode()))
            elif code == 12 and scram is not None:
                scram.check_server_final(body[4:].decode())
            else:
                raise WireError(f"unsupported authentication request {code} from the server")

    def _until_ready(self) -> None:
        error: ServerError | None = None
        while True:
            kind, body = self._read()
            if kind == b"E":
                error = _server_error(body)
            elif kind == b"Z":
                if error is not None:
                    raise error
                return

    def describe(self, sql: str) -> Description:
        """The parameter types and result columns of a statement, as PostgreSQL describes it."""
        self._sock.sendall(
            _message(b"P", b"\0" + _cstr(sql) + struct.pack("!H", 0))
            + _message(b"D", b"S\0")
            + _message(b"S", b"")
        )
        parameters: tuple[int, ...] = ()
        fields: tuple[Field, ...] = ()
        error: ServerError | None = None
        while True:
            kind, body = self._read()
            if kind == b"E":
                error = _server_error(body)
            elif kind == b"t":
                count = struct.unpack("!H", body[:2])[0]
                parameters = struct.unpack(f"!{count}I", body[2 : 2 + 4 * count])
            elif kind == b"T":
                fields = _row_description(body)
            elif kind == b"Z":
                if error is not None:
                    raise error
                return Description(parameters, fields)

    def query(self, sql: str) -> list[tuple[str | None, ...]]:
        """The rows of one simple-protocol statement, every value in its text form."""
        self._sock.sendall(_message(b"Q", _cstr(sql)))
        rows: list[tuple[str | None, ...]] = []
        error: ServerError | None = None
        while True:
            kind, body = self._read()
            if kind == b"E":
                error = _server_error(body)
            elif kind == b"D":
                rows.append(_data_row(body))
            elif kind == b"Z":
                if error is not None:
                    raise error
                return rows

    def close(self) -> None:
        try:
            self._sock.sendall(_message(b"X", b""))
        except OSError:
            pass
        finally:
            self._sock.close()

    def __enter__(self) -> WireConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _negotiate_tls(sock: socket.socket, target: Target) -> socket.socket | ssl.SSLSocket:
    if target.sslmode in ("disable", "allow"):
        return sock
    sock.sendall(struct.pack("!II", 8, _SSL_REQUEST))
    answer = sock.recv(1)
    if answer == b"N":
        if target.sslmode == "prefer":
            return sock
        sock.close()
        raise WireError(f"sslmode={target.sslmode}, but the server does not offer TLS")
    if answer != b"S":
        sock.close()
        raise WireError(f"the server answered the TLS request with {answer!r}")
    context = ssl.create_default_context(cafile=target.sslrootcert)
    # libpq's meaning: require checks nothing (unless a root certificate is given), verify-ca
    # checks the chain, verify-full the chain and the host name.
    if target.sslmode in ("prefer", "require") and target.sslrootcert is None:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif target.sslmode != "verify-full":
        context.check_hostname = False
    try:
        return context.wrap_socket(sock, server_hostname=target.host)
    except ssl.SSLError as error:
        sock.close()
        raise WireError(f"TLS with {target.host} failed: {error}") from None


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


def _data_row(body: bytes) -> tuple[str | None, ...]:
    count = struct.unpack("!H", body[:2])[0]
    offset = 2
    values: list[str | None] = []
    for _ in range(count):
        length = struct.unpack("!i", body[offset : offset + 4])[0]
        offset += 4
        if length < 0:
            values.append(None)
            continue
        values.append(body[offset : offset + length].decode())
        offset += length
    return tuple(values)


class _Scram:
    """SCRAM-SHA-256 without channel binding (RFC 5802, RFC 7677), as PostgreSQL speaks it."""

    def __init__(self, password: str) -> None:
        self.password = password
        self.nonce = base64.b64encode(os.urandom(18)).decode()
        self.first_bare = f"n=,r={self.nonce}"  # PostgreSQL takes the user from the startup
        self.server_signature = b""
        self.verified = False

    def client_first(self) -> str:
        return "n,," + self.first_bare

    def client_final(self, server_first: str) -> str:
        attrs = dict(item.split("=", 1) for item in server_first.split(","))
        if not attrs.get("r", "").startswith(self.nonce):
            raise WireError("the server's SCRAM nonce does not extend ours")
        salt = base64.b64decode(attrs["s"])
        salted = hashlib.pbkdf2_hmac("sha256", self.password.encode(), salt, int(attrs["i"]))
        client_key = hmac.digest(salted, b"Client Key", "sha256")
        without_proof = f"c=biws,r={attrs['r']}"
        message = f"{self.first_bare},{server_first},{without_proof}".encode()
        signature = hmac.digest(hashlib.sha256(client_key).digest(), message, "sha256")
        proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
        server_key = hmac.digest(salted, b"Server Key", "sha256")
        self.server_signature = hmac.digest(server_key, message, "sha256")
        return f"{without_proof},p={base64.b64encode(proof).decode()}"

    def check_server_final(self, server_final: str) -> None:
        attrs = dict(item.split("=", 1) for item in server_final.split(","))
        if "e" in attrs:
            raise WireError(f"SCRAM authentication failed: {attrs['e']}")
        given = base64.b64decode(attrs.get("v", ""))
        if not hmac.compare_digest(given, self.server_signature):
            raise WireError("the server's SCRAM signature is wrong")
        self.verified = True
