from .awards import AwardLevel, AwardType, Campaign, NomineeKind, RouteStage, VoteBase
from .decisions import StageDecision
from .eligibility import Criterion, CriterionKind
from .holds import Hold, HoldKind
from .honours import ConferredAward, Revocation, RevocationGround
from .nomination import Evidence, Nomination
from .quotas import Quota, QuotaBase
from .reasons import ReasonCode, ReasonUse
from .record import (
    AnnualRating,
    DisciplinaryMeasure,
    DisciplineKind,
    EmulationRegistration,
    Initiative,
    Rating,
    RecognitionLevel,
    RecordSource,
)
from .units import DayKind, Delegation, Holiday, Profile, RoleAssignment, Unit

__all__ = [
    "AnnualRating",
    "AwardLevel",
    "AwardType",
    "Campaign",
    "ConferredAward",
    "Criterion",
    "CriterionKind",
    "DayKind",
    "Delegation",
    "DisciplinaryMeasure",
    "DisciplineKind",
    "EmulationRegistration",
    "Evidence",
    "Hold",
    "HoldKind",
    "Holiday",
    "Initiative",
    "Nomination",
    "NomineeKind",
    "Profile",
    "Quota",
    "QuotaBase",
    "Rating",
    "ReasonCode",
    "ReasonUse",
    "RecognitionLevel",
    "RecordSource",
    "Revocation",
    "RevocationGround",
    "RoleAssignment",
    "RouteStage",
    "StageDecision",
    "Unit",
    "VoteBase",
]
