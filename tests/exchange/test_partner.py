"""Registering a partner Laurel: only an Ed25519 public key is accepted, and its fingerprint is
the one both sides compare."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ValidationError

from audit import signing
from exchange.models import Partner


def test_the_fingerprint_is_the_agencys_key_id(partner, agency_key):
    assert partner.fingerprint == signing.key_id(agency_key.public_key())
    partner.full_clean()


@pytest.mark.parametrize("kind", ["garbage", "rsa"])
def test_a_key_that_is_not_ed25519_is_refused(world, kind):
    if kind == "rsa":
        pem = (
            rsa.generate_private_key(public_exponent=65537, key_size=1024)
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
    else:
        pem = "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n"
    partner = Partner(code="x", name_vi="X", public_key_pem=pem, unit=world.unit)
    with pytest.raises(ValidationError) as caught:
        partner.full_clean()
    assert caught.value.message_dict["public_key_pem"] == [
        "This is not an Ed25519 public key in PEM form."
    ]
    assert partner.fingerprint == ""
