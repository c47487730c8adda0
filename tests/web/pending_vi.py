"""Vietnamese for strings this work added, until locale/vi has them.

The Vietnamese catalogue is written once, when branches meet, so a branch's new strings reach
it later than its code. Until then the `vietnamese_pending` fixture lends these translations to
the catalogue for the tests that read Vietnamese pages, adding only what the catalogue lacks:
once locale/vi has a string, the catalogue's own text is what the tests read (and a translation
written differently there shows up as a failing test, not as a silent difference).
"""

import pytest
from django.utils.translation import trans_real

NEXT_HOLDER = "next holder"
NEXT_TASK = "next holder's task"

# (context or None, msgid) → Vietnamese.
PENDING = {
    (None, "Request letter"): "Tờ trình",
    (None, "legal basis (Vietnamese)"): "căn cứ pháp lý (tiếng Việt)",
    (None, "legal basis (English)"): "căn cứ pháp lý (tiếng Anh)",
    (NEXT_HOLDER, "the proposing unit"): "đơn vị đề nghị",
    (NEXT_HOLDER, "the unit head"): "thủ trưởng đơn vị",
    (NEXT_HOLDER, "the party committee"): "cấp ủy",
    (NEXT_HOLDER, "the agency's leadership"): "lãnh đạo cơ quan",
    (NEXT_HOLDER, "the Emulation and Commendation Council"): "Hội đồng Thi đua – Khen thưởng",
    (NEXT_HOLDER, "the signer"): "người có thẩm quyền",
    (NEXT_TASK, "for confirmation"): "xác nhận",
    (NEXT_TASK, "for its opinion"): "cho ý kiến",
    (NEXT_TASK, "for review"): "xét duyệt",
    (NEXT_TASK, "for its vote"): "xét, biểu quyết",
    (NEXT_TASK, "for revision"): "bổ sung, hoàn thiện",
    (NEXT_TASK, "for the award decision"): "ký quyết định khen thưởng",
    (None, "%(reference)s was submitted and sent to %(holder)s %(purpose)s."): (
        "Hồ sơ %(reference)s đã được trình và chuyển %(holder)s %(purpose)s."
    ),
    (None, "%(reference)s was resubmitted and sent to %(holder)s %(purpose)s."): (
        "Hồ sơ %(reference)s đã được trình lại và chuyển %(holder)s %(purpose)s."
    ),
    (None, "%(reference)s was approved and sent to %(holder)s %(purpose)s."): (
        "Hồ sơ %(reference)s đã được chấp thuận và chuyển %(holder)s %(purpose)s."
    ),
    (None, "%(reference)s was returned to %(holder)s %(purpose)s."): (
        "Hồ sơ %(reference)s đã được trả lại %(holder)s để %(purpose)s."
    ),
    (None, "%(reference)s was rejected."): "Hồ sơ %(reference)s đã bị từ chối.",
    (None, "%(reference)s was withdrawn."): "Hồ sơ %(reference)s đã được rút.",
    (None, "%(reference)s is now with %(holder)s %(purpose)s."): (
        "Hồ sơ %(reference)s hiện đang chờ %(holder)s %(purpose)s."
    ),
    (None, "%(reference)s is now “%(status)s”."): (
        "Hồ sơ %(reference)s hiện ở trạng thái “%(status)s”."
    ),
}


def _key(context, msgid) -> str:
    return f"{context}\x04{msgid}" if context else msgid


@pytest.fixture
def vietnamese_pending():
    catalog = trans_real.translation("vi")._catalog
    lent = {_key(*k): v for k, v in PENDING.items() if _key(*k) not in catalog}
    for key, text in lent.items():
        catalog[key] = text
    yield
    for key in lent:
        del catalog._catalogs[0][key]
