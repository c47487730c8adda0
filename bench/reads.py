"""Section 2: read paths at scale. The history is loaded fast (`loader`), then each read path
is timed (median, 95th percentile) and its queries counted, at a small and a large size — page
size, queue length or history length — to show that the query count does not grow with it.

READ_PATHS is the registry: a path not built yet is listed with `sizes=None` (printed as "not
built yet"). An empty page is timed first, the same way: the floor every page pays (middleware,
sign-in checks, context processors, base template), against which the paths' times read on
any machine; it is no target."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.events import Event
from nominations.middleware import mark_seen_in

from . import loader
from .world import World


class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Context:
    world: World
    loaded: dict
    users: dict

    def client(self, user_id) -> Client:
        """Logged in as production would have it: with the second factor passed (the inspector
        must have one) and the session's idle clock started."""
        client = Client()
        user = self.users[user_id]
        client.force_login(user)
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="app", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        mark_seen_in(session)
        session.save()
        return client


@dataclass
class ReadPath:
    name: str
    # For each size label: a function of the context returning (what the size is, the call).
    sizes: Callable[[Context], dict[str, tuple[str, Callable[[], object]]]] | None
    needs: str = ""
    page: bool = True  # requested as a browser would: it pays the floor (a selector does not)


def _get(client: Client, url: str):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def _inbox_selector(ctx: Context):
    from workflows.selectors import inbox_for

    user = ctx.users[ctx.world.party_id]

    def page(size):
        def call():
            user.__dict__.pop("_laurel_assignments", None)
            return list(inbox_for(user)[:size])

        return call

    return {"small": ("first 25 tasks", page(25)), "large": ("first 500 tasks", page(500))}


def _inbox_page(ctx: Context):
    from workflows.selectors import inbox_for

    head = ctx.world.units[2].head_id
    party = ctx.world.party_id
    sizes = {}
    for label, uid, who in (("small", head, "unit head"), ("large", party, "party committee")):
        user = ctx.users[uid]
        queue = inbox_for(user).count()
        user.__dict__.pop("_laurel_assignments", None)
        sizes[label] = (f"{who}, {queue} tasks queued", _get(ctx.client(uid), reverse("inbox")))
    return sizes


def _detail_page(ctx: Context):
    from audit.models import AuditEvent
    from nominations.models import Nomination

    party = ctx.world.party_id
    long_pk = ctx.loaded["long_history_ids"]["party_committee_review"]
    short_pk = (
        Nomination.objects.filter(status="party_committee_review").exclude(pk=long_pk).first().pk
    )
    client = ctx.client(party)
    sizes = {}
    for label, pk in (("small", short_pk), ("large", long_pk)):
        events = AuditEvent.objects.filter(nomination_id=pk).count()
        url = reverse("nomination_detail", args=[pk])
        sizes[label] = (f"{events} events in the timeline", _get(client, url))
    return sizes


def _inspector_search(ctx: Context):
    """The inspector's event search filtered by a department (its units' events), an action
    and a date range: the newest page and the oldest (`after=0`, the far end of the keyset)."""
    import datetime
    from urllib.parse import urlencode

    from django.utils import timezone

    from audit import selectors as trail
    from nominations.models import Unit
    from nominations.roles import Role

    from .world import _person

    uid = get_user_model().objects.filter(username="inspector").values_list("pk", flat=True)
    uid = uid.first() or _person(
        "inspector", Unit.objects.get(pk=ctx.world.agency_id), Role.INSPECTOR
    )
    ctx.users = get_user_model().objects.select_related("profile__unit").in_bulk()
    dept = Unit.objects.get(pk=ctx.world.department_ids[0])
    today = timezone.localdate()
    since, until = today - datetime.timedelta(days=7), today + datetime.timedelta(days=1)
    action = Event.DOSSIER_EDITED
    found = trail.search_events(unit_path=dept.path, action=action, since=since, until=until)
    count = found.count()
    query = {"unit": dept.pk, "action": action, "since": since, "until": until}
    client = ctx.client(uid)
    url = reverse("inspector_events")
    return {
        "small": ("newest page", _get(client, f"{url}?{urlencode(query)}")),
        "large": (
            f"oldest page of {count} events",
            _get(client, f"{url}?{urlencode(query | {'after': 0})}"),
        ),
    }


def _dashboard(ctx: Context):
    """The dashboard page, for a unit head (one unit's nominations) and for the party
    committee (the whole agency's). The party committee's page reads the summary the timers
    job keeps (`workflows.summary.refresh`, run here once as `run_timers` would; its time is
    printed with the size)."""
    from nominations.models import Nomination
    from workflows import summary

    start = time.perf_counter()
    refreshed = summary.refresh()
    refresh_s = time.perf_counter() - start

    head = ctx.world.units[2]
    sizes = {}
    for label, uid, who, count in (
        (
            "small",
            head.head_id,
            "unit head",
            Nomination.objects.filter(proposing_unit_id=head.unit_id).count(),
        ),
        (
            "large",
            ctx.world.party_id,
            f"party committee (summary: {refreshed} scopes in {refresh_s:.1f} s)",
            Nomination.objects.count(),
        ),
    ):
        sizes[label] = (
            f"{who}, over {count} nominations",
            _get(ctx.client(uid), reverse("dashboard")),
        )
    return sizes


FLOOR = "empty page (the floor of every page)"

READ_PATHS = [
    ReadPath("reviewer's inbox (selector)", _inbox_selector, page=False),
    ReadPath("reviewer's inbox (page)", _inbox_page),
    ReadPath("nomination detail with timeline (page)", _detail_page),
    ReadPath("inspector's search with filters", _inspector_search),
    ReadPath("dashboard (page)", _dashboard),
]


def measure(call, samples: int) -> dict:
    for _ in range(2):
        call()  # warm: templates compiled, plans cached, pages in memory
    counter = Counter()
    with connection.execute_wrapper(counter):
        call()
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 2),
        "queries": counter.count,
    }


def run(world: World, scale, log) -> tuple[list[dict], dict]:
    log(f"loading {scale.nominations} nominations and about {scale.events} audit events")
    start = time.perf_counter()
    loaded = loader.load(
        world,
        nominations=scale.nominations,
        events=scale.events,
        long_histories={"party_committee_review": scale.long_history},
        log=log,
    )
    load = {
        "seconds": round(time.perf_counter() - start, 1),
        "rows": loaded["written"],
    }
    log(f"loaded in {load['seconds']} s: {load['rows']}")
    ctx = Context(world, loaded, get_user_model().objects.select_related("profile__unit").in_bulk())
    # The yardstick: what every page costs before its own work, on this machine in this run.
    empty = _get(ctx.client(world.party_id), reverse("bench_empty"))
    floor = {"what": "middleware, sign-in, base template", **measure(empty, scale.samples)}
    out = [{"path": FLOOR, "yardstick": True, "sizes": {"only": floor}, "constant_queries": True}]
    log(f"{FLOOR}: {floor}")
    for path in READ_PATHS:
        if path.sizes is None:
            out.append({"path": path.name, "status": "not built yet", "needs": path.needs})
            continue
        entry = {"path": path.name, "page": path.page, "sizes": {}}
        for label, (what, call) in path.sizes(ctx).items():
            entry["sizes"][label] = {"what": what, **measure(call, scale.samples)}
        q = [s["queries"] for s in entry["sizes"].values()]
        # The target: a query count that does not grow with the data (the larger size may read
        # a summary in fewer queries than the smaller counts live: the dashboard's).
        entry["constant_queries"] = max(q) == q[0]
        log(f"{path.name}: {entry['sizes']}")
        out.append(entry)
    return out, load
