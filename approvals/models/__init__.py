from .consultation import Consultation, ConsultationOpinion, ConsultedBody
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
from .forwarding import ForwardEntry, ForwardRequest, RequestCounter

__all__ = [
    "AgendaItem",
    "BallotReceipt",
    "Choice",
    "Consultation",
    "ConsultationOpinion",
    "ConsultedBody",
    "CouncilSession",
    "DecisionCounter",
    "DecisionEntry",
    "DocumentKind",
    "DocumentTemplate",
    "DraftDocument",
    "ForwardEntry",
    "ForwardRequest",
    "Objection",
    "OpenBallot",
    "Recusal",
    "RequestCounter",
    "SessionMember",
    "SignedDecision",
    "Tally",
]
