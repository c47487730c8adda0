"""The verification code of a signed decision: derived from the audit event that recorded its
signature (`audit.chain.decision_code`, specified in docs/CHAIN.md), printed on the decision and
its certificates, and looked up by the public verification page.

Nothing is stored for it: the code is recomputed from the chain, so it cannot disagree with it.
A lookup reads every signature event's number, place and hash (one query; an agency signs tens
of decisions a year) and recomputes their codes."""

import re
from dataclasses import dataclass, field

from audit import chain, verify
from audit.events import Event
from audit.models import AuditEvent, VerificationRun
from nominations.models import ConferredAward

from .models import SignedDecision

SUBJECT = "signed_decision"

# Base32 has no 0, 1 or 8: read as the letters they are mistaken for.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def _signature_events():
    return AuditEvent.objects.filter(action=Event.DECISION_SIGNED.value, subject_type=SUBJECT)


def codes_of_ids(decision_ids) -> dict[int, str]:
    """{decision id: its code} for the given decisions' ids, in one query."""
    ids = [str(pk) for pk in decision_ids if pk is not None]
    if not ids:
        return {}
    rows = _signature_events().filter(subject_id__in=ids)
    return {
        int(subject): chain.decision_code(number, seq, digest)
        for seq, digest, subject, number in rows.values_list(
            "seq", "hash", "subject_id", "data__number"
        )
    }


def code_of(decision: SignedDecision) -> str | None:
    return codes_of_ids([decision.pk]).get(decision.pk)


def normalise(text: str) -> str:
    """What the reader typed, as a code: upper case, without spaces or dashes, lookalikes read."""
    return re.sub(r"[\s\-.]", "", (text or "").upper()).translate(_LOOKALIKES)


def grouped(code: str) -> str:
    """The code as printed: two groups of five (ABCDE-FGHIJ)."""
    half = chain.DECISION_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


@dataclass
class Verified:
    """A code that names a signed decision: the decision, what it conferred and revoked, and what
    was checked of the chain around its signature event."""

    decision: SignedDecision
    code: str
    seq: int
    link_intact: bool  # its hash recomputed, and its predecessor's hash recomputed and linked
    last_run: VerificationRun | None  # the last verification of the whole chain covering it
    conferred: list[ConferredAward] = field(default_factory=list)
    revoked: list[ConferredAward] = field(default_factory=list)


def rows_intact(rows, seq: int) -> bool:
    """Given the rows (`audit.verify.ROW_FIELDS`) of event `seq` and of its predecessor: both
    hash to the values they carry, and the event names its predecessor's hash (the first event
    names the genesis hash)."""
    recomputed = {
        s: (prev, stored, chain.link_hash(s, prev, chain.digest_text(text)))
        for s, prev, stored, text in verify.texts(rows)
    }
    if seq not in recomputed or any(stored != again for _, stored, again in recomputed.values()):
        return False
    prev_hash = recomputed[seq][0]
    if seq == 1:
        return prev_hash == chain.GENESIS_HASH
    return seq - 1 in recomputed and recomputed[seq - 1][1] == prev_hash


def _link_intact(seq: int) -> bool:
    rows = (
        AuditEvent.objects.filter(seq__in=[seq - 1, seq])
        .order_by("seq")
        .values_list(*verify.ROW_FIELDS)
    )
    return rows_intact(list(rows), seq)


def lookup(text: str) -> Verified | None:
    """The signed decision this code names, or None. A fixed number of queries."""
    code = normalise(text)
    if len(code) != chain.DECISION_CODE_LENGTH:
        return None
    found = None
    for seq, digest, subject, number in _signature_events().values_list(
        "seq", "hash", "subject_id", "data__number"
    ):
        if number and chain.decision_code(number, seq, digest) == code:
            found = (seq, subject)
            break
    if found is None:
        return None
    seq, subject = found
    decision = SignedDecision.objects.select_related("agency", "signed_by", "corrects__agency").get(
        pk=int(subject)
    )
    awards = ConferredAward.objects.select_related(
        "award_type", "person", "unit", "nomination__proposing_unit"
    ).order_by("id")
    run = VerificationRun.objects.filter(ok=True).order_by("-finished_at", "-id").first()
    return Verified(
        decision=decision,
        code=code,
        seq=seq,
        link_intact=_link_intact(seq),
        last_run=run if run is not None and run.events >= seq else None,
        conferred=list(awards.filter(decision_id=decision.pk)),
        revoked=list(awards.filter(revoked_by_decision_id=decision.pk)),
    )
