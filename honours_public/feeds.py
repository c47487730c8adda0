"""The Atom feed of newly conferred awards, for anyone who follows the honour roll."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nominations.people import display_name

from . import selectors


def holder(award) -> str:
    return display_name(award.person) if award.person_id else str(award.unit)


class NewlyConferred(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Honour roll: newly conferred awards")
    subtitle = gettext_lazy("Awards conferred by signed decisions, newest first.")
    link = reverse_lazy("honour_roll")

    def items(self):
        return selectors.newest()

    def item_title(self, item):
        return _("%(holder)s: %(award)s (%(year)s)") % {
            "holder": holder(item),
            "award": item.award_type,
            "year": item.year,
        }

    def item_description(self, item):
        text = _("Conferred by decision %(number)s on %(date)s.") % {
            "number": item.decision_number,
            "date": item.conferred_on.isoformat(),
        }
        if item.revoked_at:
            text += " " + _("Revoked by decision %(number)s.") % {"number": item.revoked_by_number}
        return text

    def item_link(self, item):
        if item.code:
            return reverse("honour_verify_code", args=[item.code]) + f"#award-{item.position}"
        return reverse("honour_roll") + f"?year={item.year}"

    def item_guid(self, item):
        return f"urn:laurel:award:{item.code or item.decision_id}:{item.position}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.conferred_on, datetime.time()))

    def item_updateddate(self, item):
        return item.revoked_at or self.item_pubdate(item)
