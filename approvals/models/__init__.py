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
from .decisions import Decision

__all__ = [
    "AgendaItem",
    "BallotReceipt",
    "Choice",
    "CouncilSession",
    "Decision",
    "DecisionCounter",
    "DecisionEntry",
    "Objection",
    "OpenBallot",
    "Recusal",
    "SessionMember",
    "SignedDecision",
    "Tally",
]
