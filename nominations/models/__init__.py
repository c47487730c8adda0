from .awards import AwardLevel, AwardType, Campaign, NomineeKind, RouteStage, VoteBase
from .decisions import StageDecision
from .honours import ConferredAward
from .nomination import Evidence, Nomination
from .units import Delegation, Holiday, Profile, RoleAssignment, Unit

__all__ = [
    "AwardLevel",
    "AwardType",
    "Campaign",
    "ConferredAward",
    "Delegation",
    "Evidence",
    "Holiday",
    "Nomination",
    "NomineeKind",
    "Profile",
    "RoleAssignment",
    "RouteStage",
    "StageDecision",
    "Unit",
    "VoteBase",
]
