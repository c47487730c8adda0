"""Reference data written in both languages: a field per language (`name_vi`, `name_en`), read
through one property that picks the reader's language.

Vietnamese is the agency's working language and always written; English is optional and, where
it is blank, the Vietnamese stands in. Every page, form and table shows units, award types,
campaigns and legal bases through these properties (and `__str__`, which returns the name), so
they read the same everywhere. Records that must not change with the reader (a dossier's
snapshot, compared later) use the `_vi` field itself.
"""

from django.utils.translation import get_language


def in_language(vi: str, en: str) -> str:
    """`en` when the reader reads English and it is written; `vi` otherwise."""
    if en and (get_language() or "").startswith("en"):
        return en
    return vi


def bilingual(field: str, doc: str = "") -> property:
    """A read-only property giving `<field>_vi` or `<field>_en` in the reader's language."""
    vi, en = f"{field}_vi", f"{field}_en"

    def read(self) -> str:
        return in_language(getattr(self, vi), getattr(self, en))

    read.__doc__ = doc or f"`{vi}` or `{en}`, in the reader's language."
    return property(read)
