"""The demo's council session has its minutes and draft decision to download, and the minutes
the secretary edited (the discussion added) kept by the decision signed afterwards."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from approvals.models import CouncilSession, DraftDocument, SignedDecision
from demo import data as demo
from tests.approvals.test_drafting import assert_filled, text_of
from tests.workflows.test_seed_demo import run_seed


def test_the_demo_session_has_its_minutes_and_draft_decision(db, client):
    run_seed()
    session = CouncilSession.objects.get(status=CouncilSession.Status.CLOSED)
    approved = [i["nominee"] for i in session.minutes["items"] if i["outcome"] == "approved"]
    assert approved
    client.force_login(get_user_model().objects.get(username=demo.SECRETARY))

    minutes = text_of(client.get(reverse("council_draft", args=[session.pk, "minutes"])).content)
    decision = text_of(
        client.get(reverse("council_draft", args=[session.pk, "draft_decision"])).content
    )

    assert_filled(minutes)
    assert_filled(decision)
    for name in approved:
        assert name in minutes and name in decision
    edited = DraftDocument.objects.get(session=session, kind="minutes")
    # the decision that conferred the awards, not the demo's revocation
    assert edited.decision == SignedDecision.objects.get(corrects__isnull=True)
    kept = client.get(reverse("council_draft_file", args=[session.pk, edited.pk]))
    assert demo.MINUTES_DISCUSSION in text_of(b"".join(kept.streaming_content))
