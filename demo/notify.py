"""The demo's notifications: the demo's history is in the audit trail, so reading the trail once
(as `run_timers` does every minute) tells the demo's people of the work that waits for them and
of what became of their nominations. Their emails go with the first `run_timers`."""

from collections import Counter

from notifications.services import notify_until_caught_up


def seed_notify(tally: dict[str, Counter]) -> None:
    """Read the audit trail to its end, writing the notifications it calls for (none twice:
    running the seed again reads only what is new)."""
    done = notify_until_caught_up()
    counts = tally.setdefault("notifications", Counter())
    counts["created"] += done.notifications
    if not done.notifications:
        counts["unchanged"] += 1
