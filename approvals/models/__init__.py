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

__all__ = [
    "AgendaItem",
    "BallotReceipt",
    "Choice",
    "CouncilSession",
    "DecisionCounter",
    "DecisionEntry",
    "Objection",
    "OpenBallot",
    "Recusal",
    "SessionMember",
    "SignedDecision",
    "Tally",
]
