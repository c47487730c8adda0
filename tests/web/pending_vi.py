"""Vietnamese for strings this work added, until locale/vi has them.

The Vietnamese catalogue is written once, when branches meet, so a branch's new strings reach
it later than its code. Until then the `vietnamese_pending` fixture lends these translations to
the catalogue for the tests that read Vietnamese pages, adding only what the catalogue lacks:
once locale/vi has a string, the catalogue's own text is what the tests read (and a translation
written differently there shows up as a failing test, not as a silent difference).
"""

import pytest
from django.utils.translation import trans_real

# (context or None, msgid) → Vietnamese.
PENDING = {
    (None, "Request letter"): "Tờ trình",
    (None, "legal basis (Vietnamese)"): "căn cứ pháp lý (tiếng Việt)",
    (None, "legal basis (English)"): "căn cứ pháp lý (tiếng Anh)",
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
