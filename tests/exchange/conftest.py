"""A signed request of the fixture world's agency with two nominees and their documents, the
agency's signing key, and the same agency registered as a partner of "another" Laurel — the
same database plays both, as if the bundle had travelled."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.models import ForwardEntry, ForwardRequest
from audit import signing
from exchange import bundle
from exchange.models import Partner
from nominations import services as dossier
from nominations.models import Nomination
from nominations.stages import Status

from ..factories import AwardTypeFactory, UnitFactory, person


@pytest.fixture
def agency_key(settings, tmp_path):
    settings.LAUREL_AUDIT_SIGNING_KEY = tmp_path / "keys" / "signing.pem"
    settings.LAUREL_AUDIT_PUBLIC_KEY = tmp_path / "keys" / "public.pem"
    signing.generate_key_pair(settings.LAUREL_AUDIT_SIGNING_KEY, settings.LAUREL_AUDIT_PUBLIC_KEY)
    return signing.load_private_key(settings.LAUREL_AUDIT_SIGNING_KEY)


@pytest.fixture
def higher(world):
    return AwardTypeFactory(
        code="pm-merit",
        name_vi="Bằng khen của Thủ tướng Chính phủ",
        decided_at_higher_level=True,
    )


def _pdf(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, f"%PDF-1.4 {text}".encode(), content_type="application/pdf")


@pytest.fixture
def signed_request(world, higher, walk):
    """Request 001 of the agency, signed, naming Lan (two documents) and Quân (one)."""
    lan = person(world.unit, username="lannt", first_name="Lan", last_name="Nguyễn Thị")
    quan = person(world.unit, username="quanlm", first_name="Quân", last_name="Lê Minh")
    made = []
    for nominee, files in ((lan, ["Báo cáo thành tích.pdf", "Biên bản.pdf"]), (quan, ["BC.pdf"])):
        n = dossier.create_draft(
            actor=world.proposer,
            campaign=world.campaign,
            award_type=higher,
            proposing_unit=world.unit,
            nominee_person=nominee,
            achievements=f"Thành tích của {nominee.first_name}.",
            initiatives="Sáng kiến số hoá hồ sơ.",
        )
        for i, name in enumerate(files):
            kind = "achievement_report" if i == 0 else "meeting_minutes"
            dossier.add_evidence(n, actor=world.proposer, kind=kind, upload=_pdf(name, name))
            n.refresh_from_db()
        made.append(walk(n, "submit", "approve", "approve", "approve"))
    Nomination.objects.filter(pk__in=[n.pk for n in made]).update(status=Status.FORWARDED)
    request = ForwardRequest.objects.create(
        agency=world.agency,
        campaign=world.campaign,
        status=ForwardRequest.Status.SIGNED,
        year=2026,
        number=1,
        title="Đề nghị tặng Bằng khen của Thủ tướng Chính phủ",
        addressed_to="Bộ Nội vụ",
        grounds="Luật Thi đua, khen thưởng 2022",
        prepared_by=world.secretary,
        signed_by=world.signer,
        signed_at=timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 0)),
    )
    for position, n in enumerate(made, start=1):
        ForwardEntry.objects.create(request=request, nomination=n, position=position)
    return request


@pytest.fixture
def partner(world, agency_key):
    """The sending agency, as the receiving Laurel registered it, with its own unit here."""
    return Partner.objects.create(
        code=world.agency.code,
        name_vi="Văn phòng (Laurel gửi)",
        public_key_pem=signing.public_pem(agency_key.public_key()),
        unit=UnitFactory(code="from-agency", name_vi="Đơn vị gửi", parent=world.agency),
    )


@pytest.fixture
def bundle_bytes(signed_request, agency_key) -> bytes:
    return bundle.build(signed_request, key=agency_key).data


def rezip(data: bytes, *, replace=None, drop=(), add=None) -> bytes:
    """The bundle with members replaced, dropped or added, as a forger would make it."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info, replace.get(info.filename, src.read(info.filename)))
        for name, content in add.items():
            dst.writestr(name, content)
    return out.getvalue()
