"""Verify an exported audit bundle on any machine: `python -m audit.offline_verify BUNDLE
[--public-key PEM_FILE]`.

Needs only the standard library, the `cryptography` package and the two plain modules next to
this one (audit/chain.py, audit/signing.py) — neither Django nor the project. Exit 0 with one
line "OK: …" for an intact bundle; exit 1 with one line "TAMPERED: …" naming the first thing
wrong; exit 2 with "ERROR: …" if the bundle or key cannot be read.

What an intact bundle proves: every event shown in full is, byte for byte, the event with that
sequence number in a chain whose head at the covering checkpoint was signed by the key. Give
`--public-key` with the key you obtained from the agency independently; the key inside the
bundle is only as trustworthy as whoever handed you the bundle.
"""

import argparse
import json
import sys

from audit import chain, signing

FORMAT = "laurel-audit-bundle/1"


class Tampered(Exception):
    pass


class Unreadable(Exception):
    pass


def _need(mapping, key, kind, where):
    if not isinstance(mapping, dict) or key not in mapping:
        raise Tampered(f"{where}: '{key}' is missing")
    value = mapping[key]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise Tampered(f"{where}: '{key}' must be an integer")
    if kind is not int and not isinstance(value, kind):
        raise Tampered(f"{where}: '{key}' must be a {kind.__name__}")
    return value


def _hex64(value, where):
    if not isinstance(value, str) or len(value) != 64 or value.strip("0123456789abcdef"):
        raise Tampered(f"{where}: not a SHA-256 hex digest")
    return value


def verify_bundle(bundle, trusted_key=None) -> str:
    """Return the OK line, or raise Tampered naming the first problem."""
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise Tampered(f"not a {FORMAT} bundle")
    try:
        key = signing.public_key_from_pem(
            _need(bundle, "public_key", str, "bundle").encode(), "bundle's public key"
        )
    except signing.KeyFileError as exc:
        raise Tampered(str(exc)) from None
    if trusted_key is not None and signing.raw(trusted_key) != signing.raw(key):
        raise Tampered(
            f"the bundle's public key {signing.key_id(key)} is not the trusted key "
            f"{signing.key_id(trusted_key)} (key swapped)"
        )
    entries = _need(bundle, "chain", list, "bundle")
    checkpoints = _need(bundle, "checkpoints", list, "bundle")
    if not entries:
        return "OK: the bundle holds no events"
    if not checkpoints:
        raise Tampered("no checkpoint: nothing ties these events to a signed chain")

    kid = signing.key_id(key)
    signed = {}
    for i, cp in enumerate(checkpoints):
        where = f"checkpoint {i + 1}"
        seq = _need(cp, "seq", int, where)
        head = _hex64(_need(cp, "hash", str, where), where)
        signed_at = _need(cp, "signed_at", str, where)
        if _need(cp, "key_id", str, where) != kid:
            raise Tampered(f"{where} (#{seq}) names key {cp['key_id']}, not the bundle's {kid}")
        if not signing.checkpoint_signature_valid(
            key, seq, head, signed_at, _need(cp, "signature", str, where)
        ):
            raise Tampered(f"{where} (#{seq}): the signature does not match; forged")
        signed.setdefault(seq, set()).add(head)

    shown = 0
    prev = None
    expected = None
    for entry in entries:
        seq = _need(entry, "seq", int, "chain entry")
        where = f"event #{seq}"
        if expected is not None and seq != expected:
            raise Tampered(
                f"{where}: the chain jumps from #{expected - 1} to #{seq} (events removed, "
                "inserted or reordered)"
            )
        prev_hash = _hex64(_need(entry, "prev_hash", str, where), where)
        if prev is not None and prev_hash != prev:
            raise Tampered(
                f"{where}: does not follow #{seq - 1} (its predecessor hash differs from "
                f"#{seq - 1}'s hash)"
            )
        if "event" in entry:
            event = _need(entry, "event", dict, where)
            if set(event) != set(chain.BODY_FIELDS):
                raise Tampered(f"{where}: its fields are not the event fields of CHAIN.md")
            body = [event[f] for f in chain.BODY_FIELDS]
            try:
                chain.check_data(event["data"])
                digest = chain.body_digest(body)
            except (TypeError, ValueError) as exc:
                raise Tampered(f"{where}: not canonical ({exc})") from None
            computed = chain.link_hash(seq, prev_hash, digest)
            if computed != _hex64(_need(entry, "hash", str, where), where):
                raise Tampered(
                    f"{where}: edited — its content does not match its hash "
                    f"(action {event.get('action')!r})"
                )
            shown += 1
        else:
            digest = _hex64(_need(entry, "body_digest", str, where), where)
            computed = chain.link_hash(seq, prev_hash, digest)
        if seq in signed and computed not in signed[seq]:
            raise Tampered(
                f"{where}: the chain does not reach the hash signed by checkpoint #{seq}"
            )
        prev, expected = computed, seq + 1

    last = expected - 1
    if last not in signed:
        raise Tampered(
            f"the chain in the bundle ends at #{last}, which no checkpoint signs (cut short or "
            "extended)"
        )
    outside = [seq for seq in signed if not entries[0]["seq"] <= seq <= last]
    if outside:
        raise Tampered(f"checkpoint #{outside[0]} lies outside the bundle's chain")
    return (
        f"OK: {shown} events verified in full, linked through #{entries[0]['seq']}–#{last} "
        f"to checkpoint #{last} signed by key {kid}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m audit.offline_verify")
    parser.add_argument("bundle")
    parser.add_argument("--public-key", help="PEM file of the key you trust")
    args = parser.parse_args(argv)
    try:
        try:
            with open(args.bundle, encoding="utf-8") as f:
                bundle = json.load(f)
        except OSError as exc:
            raise Unreadable(f"cannot read bundle {args.bundle}: {exc.strerror}") from None
        except ValueError as exc:
            raise Unreadable(f"bundle {args.bundle} is not JSON: {exc}") from None
        trusted = None
        if args.public_key:
            try:
                trusted = signing.load_public_key(args.public_key)
            except signing.KeyFileError as exc:
                raise Unreadable(str(exc)) from None
        print(verify_bundle(bundle, trusted))
        return 0
    except Unreadable as exc:
        print(f"ERROR: {exc}")
        return 2
    except Tampered as exc:
        print(f"TAMPERED: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
