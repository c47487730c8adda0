"""Section 4: the council's tally. A session of its own campaign with `items` nominations at
council review (cloned, with the loader, from one walked there through the services, so each has
the process, tasks, decisions and events Laurel writes), `members` council members all present,
half the items under an award type voted by secret ballot; every member votes on every item,
stored as the services store it (open ballots; for secret items a receipt and the item's
counters); then `approvals.outcomes.close_voting` is timed and its queries counted."""

import datetime
import random
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from approvals import services as council_services
from approvals.models import AgendaItem, BallotReceipt, Choice, OpenBallot
from approvals.outcomes import close_voting
from audit.services import label
from nominations.models import AwardType, Campaign, Unit
from nominations.roles import Role

from . import loader
from .profiling import _origin
from .world import World, _person, fresh_nominees

CHOICES = [Choice.APPROVE] * 8 + [Choice.DISAPPROVE, Choice.ABSTAIN]
CONTESTED = [Choice.APPROVE] * 5 + [Choice.DISAPPROVE] * 4 + [Choice.ABSTAIN]  # some fail


class Queries:
    def __init__(self):
        self.count = 0
        self.origins = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        self.origins[_origin()] += 1
        return execute(sql, params, many, context)


def _members(world: World, count: int) -> list:
    agency = Unit.objects.get(pk=world.agency_id)
    have = list(council_services.council_members(agency).values_list("pk", flat=True))
    for i in range(len(have), count):
        have.append(_person(f"member-{i}", agency, Role.COUNCIL_MEMBER))
    return have


def _award_types(world: World) -> tuple[AwardType, AwardType]:
    open_award = AwardType.objects.get(pk=world.award_type_id)
    secret = AwardType.objects.filter(code="full-secret").first()
    if secret is None:
        secret = AwardType.objects.create(
            code="full-secret", name_vi="Chiến sĩ thi đua (bỏ phiếu kín)", secret_ballot=True
        )
        for r in open_award.route.order_by("position"):
            secret.route.create(position=r.position, stage=r.stage)
    return open_award, secret


def build_session(world: World, *, items: int, members: int, tag: str, log):
    """A session opened with `items` items and `members` members present, every ballot cast."""
    start = time.perf_counter()
    base = Campaign.objects.get(pk=world.campaign_id)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        code=f"tally-{tag}",
        name_vi=f"Phong trào {tag}",
        agency_id=world.agency_id,
        year=base.year,
        submissions_open=base.submissions_open,
        submissions_close=base.submissions_close,
    )
    member_ids = _members(world, members)
    open_award, secret_award = _award_types(world)
    templates = {t.journey: t for t in loader.walk_templates(world)}
    template = templates["council_review"]
    users = get_user_model().objects.in_bulk()
    labels = {pk: label(u) for pk, u in users.items()}
    ids, batches = loader.Ids(), loader.Batches()
    nominees = fresh_nominees(world, [world.unit(i) for i in range(items)])
    for i in range(items):
        award = secret_award if i % 2 else open_award
        loader._clone(
            template,
            world.unit(i),
            world.units[0],
            0,
            ids,
            batches,
            labels,
            nominees[i],
            overrides={"campaign_id": campaign.pk, "award_type_id": award.pk},
        )
    batches.flush()
    ids.move_sequences()
    secretary = users[world.secretary_id]
    session = council_services.plan_session(
        actor=secretary,
        campaign=campaign,
        scheduled_on=today + datetime.timedelta(days=1),
        chair=users[member_ids[0]],
    )
    session = council_services.open_session(session, actor=secretary, present=member_ids)
    rng = random.Random(4)
    agenda = list(session.items.filter(status=AgendaItem.Status.PENDING))
    now = timezone.now()
    with transaction.atomic():
        ballots, receipts = [], []
        for item in agenda:
            voters = set(member_ids) - set(item.recusals.values_list("member_id", flat=True))
            counts = Counter()
            for m in sorted(voters):
                choice = rng.choice(CONTESTED if item.position % 5 == 0 else CHOICES)
                if item.secret:
                    receipts.append(BallotReceipt(item=item, member_id=m))
                    counts[choice] += 1
                else:
                    ballots.append(
                        OpenBallot(
                            item=item, member_id=m, choice=choice, cast_at=now, changed_at=now
                        )
                    )
            if item.secret:
                item.secret_approve = counts[Choice.APPROVE]
                item.secret_disapprove = counts[Choice.DISAPPROVE]
                item.secret_abstain = counts[Choice.ABSTAIN]
        OpenBallot.objects.bulk_create(ballots, batch_size=5000)
        BallotReceipt.objects.bulk_create(receipts, batch_size=5000)
        AgendaItem.objects.bulk_update(
            [i for i in agenda if i.secret],
            ["secret_approve", "secret_disapprove", "secret_abstain"],
            batch_size=1000,
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    log(
        f"tally session {tag}: {len(agenda)} items ({sum(i.secret for i in agenda)} secret), "
        f"{len(member_ids)} members present, {len(ballots)} open ballots, "
        f"{len(receipts)} secret receipts, built in {time.perf_counter() - start:.1f} s"
    )
    return session, secretary, len(agenda), len(ballots) + len(receipts)


def run(world: World, *, items: int, members: int, log, profile_items: int = 100) -> dict:
    session, secretary, agenda, ballots = build_session(
        world, items=items, members=members, tag="timed", log=log
    )
    queries = Queries()
    start = time.perf_counter()
    with connection.execute_wrapper(queries):
        session = close_voting(session, actor=secretary)
    seconds = time.perf_counter() - start
    decided = session.items.filter(status=AgendaItem.Status.DECIDED).count()
    passed = session.items.filter(tally__passed=True).count()
    log(f"close_voting: {agenda} items in {seconds:.2f} s, {queries.count} queries")
    out = {
        "items": agenda,
        "members": members,
        "ballots": ballots,
        "decided": decided,
        "passed": passed,
        "seconds": round(seconds, 3),
        "ms_per_item": round(seconds / agenda * 1000, 2),
        "queries": queries.count,
        "queries_per_item": round(queries.count / agenda, 2),
        "queries_by_origin": {k: round(v / agenda, 2) for k, v in queries.origins.most_common(12)},
    }
    out["profile"] = _profile(world, profile_items, members, log)
    return out


def _profile(world: World, items: int, members: int, log) -> dict:
    """pyinstrument over closing a smaller session: where an item's time goes."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return {"status": "pyinstrument not installed"}
    from .profiling import RESULTS

    session, secretary, agenda, _ = build_session(
        world, items=items, members=members, tag="profiled", log=log
    )
    profiler = Profiler(interval=0.0005)
    start = time.perf_counter()
    profiler.start()
    close_voting(session, actor=secretary)
    profiler.stop()
    seconds = time.perf_counter() - start
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "profile-tally.txt").write_text(
        profiler.output_text(unicode=True, color=False, show_all=False)
    )
    return {"items": agenda, "seconds_profiled": round(seconds, 3)}
