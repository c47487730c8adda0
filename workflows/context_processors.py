"""What every page's navigation needs to know about the user: which parts of Laurel to show.

The links are a convenience; each view checks authority again.
"""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from nominations import policy
from nominations.roles import Role

from .selectors import INBOX_COUNT_CAP, inbox_count

# Roles that never wait on a task: their pages need not count an inbox.
TASKLESS = {Role.INSPECTOR, Role.COUNCIL_MEMBER, Role.ADMINISTRATOR}


# The navigation's inbox badge may lag this long behind others' actions; one's own actions and
# the inbox page itself refresh it at once.
INBOX_COUNT_SECONDS = 30


def _inbox_count_key(user) -> str:
    return f"laurel:inbox-count:{user.pk}"


def remember_inbox_count(user, count: int) -> None:
    cache.set(_inbox_count_key(user), count, INBOX_COUNT_SECONDS)


def forget_inbox_count(user) -> None:
    cache.delete(_inbox_count_key(user))


def _inbox_count(user) -> int:
    # Counting a large queue is the dearest query of a page: counted at most every few seconds.
    return cache.get_or_set(_inbox_count_key(user), lambda: inbox_count(user), INBOX_COUNT_SECONDS)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = policy.roles_of(user)
    return {
        "nav": {
            "roles": sorted(roles),
            "proposes": policy.may_propose(user),
            "council": bool(roles & policy.COUNCIL_READERS),
            "inspector": Role.INSPECTOR in roles,
            "quotas": bool(roles & policy.QUOTA_READERS),
            "statistics": bool(roles & policy.STATISTICS_READERS),
            # The emulation registration's list, and the import of past years' records.
            "registrations": bool(roles & (policy.RECORD_READERS | {Role.INSPECTOR})),
            "imports": bool(roles & policy.RECORD_IMPORTERS),
            "staff": user.is_staff,
            # Counted only when a page shows it, so pages that don't pay nothing.
            "inbox_cap": INBOX_COUNT_CAP,
            "inbox_count": SimpleLazyObject(lambda: _inbox_count(user)) if roles - TASKLESS else 0,
        }
    }
