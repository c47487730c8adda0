"""Ed25519 keys and checkpoint signatures (the `cryptography` package; no Django).

Keys live in files (PEM: PKCS#8 private key, SubjectPublicKeyInfo public key) whose paths are in
settings; the private key never enters the database.
"""

import base64
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from . import chain


class KeyFileError(Exception):
    """A key file is missing or unreadable; the message says which and why."""


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"the {what} key file {path} does not exist") from None
    except OSError as exc:
        raise KeyFileError(f"the {what} key file {path} cannot be read: {exc.strerror}") from None


def load_private_key(path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(_read(path, "private"), password=None)
    except ValueError as exc:
        raise KeyFileError(f"the private key file {path} is not a PEM private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"the private key file {path} does not hold an Ed25519 key")
    return key


def public_key_from_pem(pem: bytes, where: str = "public key") -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise KeyFileError(f"the {where} is not a PEM public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"the {where} is not an Ed25519 key")
    return key


def load_public_key(path) -> Ed25519PublicKey:
    return public_key_from_pem(_read(path, "public"), f"public key file {path}")


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return chain.key_id(raw(key))


def sign_checkpoint(key: Ed25519PrivateKey, seq: int, head_hash: str, signed_at: str) -> str:
    """The base64 signature of a checkpoint's canonical message."""
    return base64.b64encode(key.sign(chain.checkpoint_message(seq, head_hash, signed_at))).decode()


def checkpoint_signature_valid(
    key: Ed25519PublicKey, seq: int, head_hash: str, signed_at: str, signature: str
) -> bool:
    try:
        key.verify(
            base64.b64decode(signature, validate=True),
            chain.checkpoint_message(seq, head_hash, signed_at),
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def generate_key_pair(private_path, public_path) -> Ed25519PublicKey:
    """Write a new key pair; the private key file is readable by its owner only."""
    private_path, public_path = Path(private_path), Path(public_path)
    private_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    public_path.write_text(public_pem(key.public_key()))
    return key.public_key()
