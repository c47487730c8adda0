"""The demo's deadlines: the timers' job (`workflows.deadlines`, as `run_timers` runs it every
minute) run before each round of the demo's five weeks, at that round's moment, and once more
when they are written: so the work waiting then was reminded before and on its due date, and
what the demo leaves overdue was escalated — told to the right people by the chain's reader
that follows (`demo.notify`), and shown on the inbox and the timelines. Running the seed again
does nothing more (the job is idempotent)."""

from collections import Counter

from workflows import deadlines


def seed_deadlines(tally: dict[str, Counter]) -> None:
    done = deadlines.run()
    counts = tally.setdefault("deadlines", Counter())
    counts["reminders"] += done.reminders
    counts["escalations"] += done.escalations
    if not (done.reminders or done.escalations):
        counts["unchanged"] += 1
