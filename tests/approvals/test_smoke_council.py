from approvals.models import AgendaItem
from workflows import council as wf


def test_smoke(world, members, at_council, opened, vote, award):
    a = award(vote_threshold_percent=70, vote_base="members", secret_ballot=True)
    n = at_council(a)
    s = opened()
    item = AgendaItem.objects.get(session=s, nomination=n)
    vote(item, {m: "approve" for m in members[:7]})
    s = wf.close_voting(s, actor=world.secretary)
    n.refresh_from_db()
    assert n.status == "council_approved", s.minutes
