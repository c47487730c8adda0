"""The exchange bundle between two Laurels: exported from a signed request, verified on import
(a tampered bundle is refused and names what was changed), imported as nominations at the
receiving route's first stage."""

import base64
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from approvals.models import ForwardRequest
from audit import signing
from audit.events import Event
from audit.models import AuditEvent
from exchange import bundle, importing
from exchange.importing import BundleRefused
from exchange.models import ImportedBundle
from nominations.exceptions import NotAllowed
from nominations.models import Evidence, Nomination, NomineeKind
from nominations.stages import Status

from ..factories import UnitFactory, person
from .conftest import rezip


def _import(data, world, name="bundle.zip"):
    return importing.import_bundle(data, name, actor=world.secretary, campaign=world.campaign)


def _refused(data, world) -> BundleRefused:
    with pytest.raises(BundleRefused) as caught:
        _import(data, world)
    return caught.value


def _manifest(data) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return json.loads(z.read("manifest.json"))


# --- export ---------------------------------------------------------------------------------


def test_the_same_request_gives_the_same_bundle_twice(signed_request, agency_key):
    first = bundle.build(signed_request, key=agency_key)
    again = bundle.build(ForwardRequest.objects.get(pk=signed_request.pk), key=agency_key)
    assert first.data == again.data
    assert first.sha256 == hashlib.sha256(again.data).hexdigest()


def test_the_bundle_holds_the_manifest_its_signature_the_key_and_every_document(
    bundle_bytes, signed_request, agency_key
):
    with zipfile.ZipFile(io.BytesIO(bundle_bytes)) as z:
        names = set(z.namelist())
        body, sig = z.read("manifest.json"), z.read("manifest.sig")
        assert z.read("sender.pem").decode() == signing.public_pem(agency_key.public_key())
    agency_key.public_key().verify(base64.b64decode(sig), body)
    manifest = json.loads(body)
    assert manifest["format"] == "laurel-exchange-bundle"
    assert manifest["request"]["reference"] == "001/2026/TTr-AGENCY"
    assert manifest["request"]["addressed_to"] == "Bộ Nội vụ"
    first = manifest["entries"][0]
    assert first["nominee"]["full_name"] == "Lan Nguyễn Thị"
    assert first["award_type"]["code"] == "pm-merit"
    assert [s["outcome"] for s in first["path"]] == [
        "submitted",
        "approved",
        "approved",
        "approved",
    ]
    assert all("actor" not in s and "name" not in s for s in first["path"])
    assert [e["path"] for e in first["evidence"]] == [
        "evidence/1-achievement_report.pdf",
        "evidence/1-meeting_minutes.pdf",
    ]
    assert names == {
        "manifest.json",
        "manifest.sig",
        "sender.pem",
        "evidence/1-achievement_report.pdf",
        "evidence/1-meeting_minutes.pdf",
        "evidence/2-achievement_report.pdf",
    }


def test_exporting_keeps_the_bundles_sha256_on_the_request_and_in_the_trail(
    signed_request, agency_key, world
):
    made = bundle.export(signed_request, actor=world.secretary)
    signed_request.refresh_from_db()
    assert signed_request.bundle_sha256 == made.sha256
    event = AuditEvent.objects.get(action=Event.BUNDLE_EXPORTED)
    assert event.data["sha256"] == made.sha256
    assert event.actor == world.secretary


def test_a_draft_request_is_not_exported(signed_request, agency_key, world):
    ForwardRequest.objects.filter(pk=signed_request.pk).update(status=ForwardRequest.Status.DRAFT)
    signed_request.refresh_from_db()
    with pytest.raises(Exception, match="Only a signed request"):
        bundle.export(signed_request, actor=world.secretary)
    assert not AuditEvent.objects.filter(action=Event.BUNDLE_EXPORTED).exists()


def test_a_proposer_may_not_export(signed_request, agency_key, world):
    with pytest.raises(NotAllowed):
        bundle.export(signed_request, actor=world.proposer)


# --- the round trip -------------------------------------------------------------------------


def test_an_imported_bundle_arrives_at_the_first_stage_with_its_documents(
    bundle_bytes, partner, world
):
    imported = _import(bundle_bytes, world)
    made = list(imported.nominations.order_by("pk"))
    assert len(made) == 2
    for n in made:
        assert n.status == Status.UNIT_REVIEW
        assert n.proposing_unit == partner.unit
        assert n.campaign == world.campaign
        assert n.award_type.code == "pm-merit"
    lan = made[0]
    assert lan.nominee_person.get_full_name() == "Lan Nguyễn Thị"
    assert lan.nominee_person.profile.unit == partner.unit
    assert not lan.nominee_person.is_active
    documents = {e.original_name: e for e in Evidence.objects.filter(nomination=lan)}
    assert set(documents) == {"Báo cáo thành tích.pdf", "Biên bản.pdf"}
    with documents["Biên bản.pdf"].file.open("rb") as f:
        assert f.read() == b"%PDF-1.4 Bi\xc3\xaan b\xe1\xba\xa3n.pdf"
    assert imported.reference == "001/2026/TTr-AGENCY"
    assert imported.partner == partner
    assert imported.imported_by == world.secretary
    event = AuditEvent.objects.get(action=Event.BUNDLE_IMPORTED)
    assert event.data["nominations"] == [n.pk for n in made]


def test_an_imported_nominations_timeline_shows_the_sender_and_the_lower_levels_path(
    bundle_bytes, partner, world, client
):
    n = _import(bundle_bytes, world).nominations.order_by("pk").first()
    created = AuditEvent.objects.get(nomination_id=n.pk, action=Event.NOMINATION_CREATED)
    origin = created.data["imported_from"]
    assert origin["reference"] == "001/2026/TTr-AGENCY"
    assert [s["stage"] for s in origin["path"]] == [
        "draft",
        "unit_review",
        "party_committee_review",
        "leadership_review",
    ]
    client.force_login(world.inspector)
    page = client.get(f"/nominations/{n.pk}/").content.decode()
    assert "Forwarded by Văn phòng with its request 001/2026/TTr-AGENCY" in page
    assert "Approved" in page and "lower-path" in page


def test_the_imported_nominations_are_proposed_by_the_senders_account_not_the_importer(
    bundle_bytes, partner, world
):
    n = _import(bundle_bytes, world).nominations.first()
    assert n.created_by.username == "laurel-agency"
    assert not n.created_by.is_active
    assert not n.created_by.has_usable_password()
    assert n.created_by != world.secretary


def test_a_person_forwarded_again_is_the_same_person_here(
    bundle_bytes, signed_request, partner, world, agency_key
):
    lan, quan = _import(bundle_bytes, world).nominations.order_by("pk")
    ForwardRequest.objects.filter(pk=signed_request.pk).update(number=2, title="Lần hai")
    again = bundle.build(ForwardRequest.objects.get(pk=signed_request.pk), key=agency_key)
    Nomination.objects.filter(pk=lan.pk).update(status=Status.REJECTED)
    # Found, not made again: so Quân's first nomination here still claims the award
    # (one achievement, one award), while Lan's, rejected, no longer does.
    refusal = _refused(again.data, world)
    assert refusal.reasons[0].startswith("Nominee 2 (Quân Lê Minh): ")
    assert quan.reference in refusal.reasons[0]
    people = type(lan.nominee_person).objects
    assert people.filter(username__in=["agency.lannt", "agency.quanlm"]).count() == 2


# --- refusals -------------------------------------------------------------------------------


def _nothing_but_the_refusal_was_written(before: int, reasons_contain: str):
    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in events] == [Event.BUNDLE_REFUSED]
    assert any(reasons_contain in r for r in events[0].data["reasons"])
    assert not ImportedBundle.objects.exists()
    return events[0]


def _head() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_a_changed_document_is_refused_naming_it(bundle_bytes, partner, world):
    forged = rezip(bundle_bytes, replace={"evidence/2-achievement_report.pdf": b"%PDF-1.4 forged"})
    before, nominations = _head(), Nomination.objects.count()
    refusal = _refused(forged, world)
    assert "evidence/2-achievement_report.pdf was changed after the sender signed." in (
        refusal.reasons
    )
    event = _nothing_but_the_refusal_was_written(before, "2-achievement_report.pdf")
    assert event.data["sha256"] == hashlib.sha256(forged).hexdigest()
    assert Nomination.objects.count() == nominations


def test_an_edited_manifest_is_refused(bundle_bytes, partner, world):
    manifest = _manifest(bundle_bytes)
    manifest["entries"][0]["dossier"]["achievements"] = "Thành tích phóng đại."
    forged = rezip(bundle_bytes, replace={"manifest.json": bundle.manifest_bytes(manifest)})
    before = _head()
    refusal = _refused(forged, world)
    assert refusal.reasons[0].startswith("The manifest was changed after signing")
    _nothing_but_the_refusal_was_written(before, "manifest was changed")


def test_an_added_file_is_refused_naming_it(bundle_bytes, partner, world):
    forged = rezip(bundle_bytes, add={"evidence/3-other.pdf": b"%PDF-1.4 extra"})
    before = _head()
    refusal = _refused(forged, world)
    assert refusal.reasons == [
        "evidence/3-other.pdf was added after the sender signed (the manifest does not list it)."
    ]
    _nothing_but_the_refusal_was_written(before, "3-other.pdf")


def test_a_missing_file_is_refused_naming_it(bundle_bytes, partner, world):
    forged = rezip(bundle_bytes, drop={"evidence/1-meeting_minutes.pdf"})
    before = _head()
    refusal = _refused(forged, world)
    assert refusal.reasons == ["evidence/1-meeting_minutes.pdf is missing from the bundle."]
    _nothing_but_the_refusal_was_written(before, "1-meeting_minutes.pdf")


def test_a_bundle_signed_by_another_key_is_refused_with_its_fingerprint(
    bundle_bytes, signed_request, partner, world, tmp_path
):
    signing.generate_key_pair(tmp_path / "f.pem", tmp_path / "f.pub")
    forger = signing.load_private_key(tmp_path / "f.pem")
    forged = bundle.build(signed_request, key=forger).data
    refusal = _refused(forged, world)
    assert refusal.reasons == [
        f"The bundle is signed by an unknown key (fingerprint "
        f"{signing.key_id(forger.public_key())}), not by the key registered for {partner} "
        f"(fingerprint {partner.fingerprint})."
    ]


def test_a_bundle_from_an_unregistered_or_inactive_sender_is_refused(bundle_bytes, partner, world):
    partner.active = False
    partner.save()
    assert "is not active" in _refused(bundle_bytes, world).reasons[0]
    partner.delete()
    assert "is not a registered partner" in _refused(bundle_bytes, world).reasons[0]
    assert AuditEvent.objects.filter(action=Event.BUNDLE_REFUSED).count() == 2


def test_the_same_bundle_is_not_imported_twice(bundle_bytes, partner, world):
    _import(bundle_bytes, world)
    count = Nomination.objects.count()
    assert "was already imported" in _refused(bundle_bytes, world).reasons[0]
    assert Nomination.objects.count() == count


def test_an_award_type_unknown_here_is_refused(bundle_bytes, partner, world, higher):
    higher.code = "renamed"
    higher.save()
    refusal = _refused(bundle_bytes, world)
    assert "The award type “pm-merit”" in refusal.reasons[0]


def test_an_award_type_here_for_collectives_only_refuses_a_person(
    bundle_bytes, partner, world, higher
):
    higher.nominee_kind = NomineeKind.COLLECTIVE
    higher.save()
    before = _head()
    refusal = _refused(bundle_bytes, world)
    assert "does not take" in refusal.reasons[0]
    _nothing_but_the_refusal_was_written(before, "does not take")


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"not a zip at all", "not a readable zip archive"),
        (rezip(b"", add={"readme.txt": b"hello"}) if False else None, "has no manifest.json"),
    ],
)
def test_what_is_not_a_bundle_is_refused_in_a_sentence(data, reason, partner, world):
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("readme.txt", b"hello")
        data = out.getvalue()
    assert reason in _refused(data, world).reasons[0]


def test_only_the_receiving_council_secretary_imports(bundle_bytes, partner, world):
    for someone in (world.proposer, world.leader, world.inspector, world.signer):
        with pytest.raises(NotAllowed):
            importing.import_bundle(bundle_bytes, "b.zip", actor=someone, campaign=world.campaign)
    assert not AuditEvent.objects.filter(action=Event.BUNDLE_REFUSED).exists()


# --- the command ----------------------------------------------------------------------------


def test_the_command_imports_and_says_so(bundle_bytes, partner, world, tmp_path, capsys):
    path = tmp_path / "bundle.zip"
    path.write_bytes(bundle_bytes)
    call_command("import_bundle", str(path), campaign=world.campaign.code, user="secretary")
    assert "Imported 2 nominations from agency's request 001/2026/TTr-AGENCY" in (
        capsys.readouterr().out
    )


def test_the_command_refuses_in_one_line_and_a_non_zero_exit(
    bundle_bytes, partner, world, tmp_path
):
    path = tmp_path / "bundle.zip"
    path.write_bytes(rezip(bundle_bytes, drop={"evidence/1-meeting_minutes.pdf"}))
    with pytest.raises(CommandError) as caught:
        call_command("import_bundle", str(path), campaign=world.campaign.code, user="secretary")
    message = str(caught.value)
    assert "\n" not in message
    assert "evidence/1-meeting_minutes.pdf is missing from the bundle." in message
    assert not ImportedBundle.objects.exists()


def test_a_refusal_half_way_keeps_no_document_file(bundle_bytes, partner, world, settings):
    """The second nominee is refused after the first one's documents were stored: the import
    is rolled back, and so are its files."""
    other = UnitFactory(code="elsewhere", name_vi="Nơi khác", parent=world.agency)
    # Quân is already someone of another unit here: the dossier cannot name him for this one.
    person(other, username="agency.quanlm")
    before = _head()
    refusal = _refused(bundle_bytes, world)
    assert "Nominee 2" in refusal.reasons[0]
    assert "must work in the proposing unit" in refusal.reasons[0]
    _nothing_but_the_refusal_was_written(before, "Nominee 2")
    assert not Evidence.objects.filter(nomination__proposing_unit=partner.unit).exists()
    stored = [p for p in (settings.MEDIA_ROOT / "evidence").rglob("*") if p.is_file()]
    assert len(stored) == 3  # the sender's own three documents, none of the import's


def test_a_partner_whose_unit_is_outside_the_campaigns_agency_is_refused(
    bundle_bytes, partner, world
):
    partner.unit = UnitFactory(code="outside", name_vi="Cơ quan khác")
    partner.save()
    assert "is not within" in _refused(bundle_bytes, world).reasons[0]


def test_a_signed_but_incomplete_manifest_is_refused_in_a_sentence(
    signed_request, partner, world, agency_key
):
    """A sender's bug, not a forger's: signed, yet a nominee lacks its dossier."""
    made = bundle.build(signed_request, key=agency_key)
    manifest = made.manifest
    del manifest["entries"][1]["dossier"]
    body = bundle.manifest_bytes(manifest)
    signature = base64.b64encode(agency_key.sign(body)) + b"\n"
    data = rezip(made.data, replace={"manifest.json": body, "manifest.sig": signature})
    assert _refused(data, world).reasons == ["The manifest's nominee 2 is incomplete."]
