"""What the page tests read off a rendered page."""

import re


def assert_breadcrumb(page: str, current: str) -> None:
    """The page has a breadcrumb trail whose last crumb, marked current, is `current`."""
    trail = re.search(r'<nav aria-label="Breadcrumb">(.*?)</nav>', page, re.S)
    assert trail, "no breadcrumb"
    assert re.search(
        r'<li class="breadcrumb-item active" aria-current="page">\s*' + re.escape(current),
        trail.group(1),
    ), trail.group(1)
