from .council import (
    AgendaItem,
    BallotReceipt,
    Choice,
    CouncilSession,
    DecisionCounter,
    DecisionEntry,
    Objection,
    OpenBallot,
    Recusal,
    SessionMember,
    SignedDecision,
    Tally,
)
from .drafts import DocumentKind, DocumentTemplate, DraftDocument

__all__ = [
    "AgendaItem",
    "BallotReceipt",
    "Choice",
    "CouncilSession",
    "DecisionCounter",
    "DecisionEntry",
    "DocumentKind",
    "DocumentTemplate",
    "DraftDocument",
    "Objection",
    "OpenBallot",
    "Recusal",
    "SessionMember",
    "SignedDecision",
    "Tally",
]
