from django import template

from nominations import policy
from nominations.roles import Role

register = template.Library()


@register.filter
def is_inspector(user) -> bool:
    """Whether to show the inspectors' workspace in the navigation (the views check again)."""
    return Role.INSPECTOR in policy.roles_of(user)
