"""A self-signed TLS certificate for 127.0.0.1 and localhost, made on the spot with openssl."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Certificate:
    """A certificate and its private key, as PEM files."""

    cert_file: Path
    key_file: Path


def make_certificate(folder: Path, days: int = 30) -> Certificate:
    """Write a new self-signed certificate (valid for 127.0.0.1 and localhost) and its key into `folder`.

    Browsers and clients must be told to accept it (Playwright's ignore_https_errors, curl -k), or
    given cert_file as the one authority to trust. A real deployment uses a certificate from a CA.
    """
    folder.mkdir(parents=True, exist_ok=True)
    certificate = Certificate(folder / "cert.pem", folder / "key.pem")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-sha256",
            "-days",
            str(days),
            "-keyout",
            str(certificate.key_file),
            "-out",
            str(certificate.cert_file),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    certificate.key_file.chmod(0o600)
    return certificate
