from django import template

from nominations.policy import roles_of

from ..policy import COUNCIL_READERS

register = template.Library()


@register.filter
def reads_council(user) -> bool:
    """Whether the navigation shows the council's pages to the user (the pages check again)."""
    return bool(roles_of(user) & COUNCIL_READERS)
