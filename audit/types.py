"""Who acts: the person every service takes as `actor` and the audit trail records.

Laurel's people are Django's own users (`settings.AUTH_USER_MODEL` is left at "auth.User"). The
alias lives in the lowest layer, beside `Origin`, so that every layer above can name it.
"""

from typing import TypeAlias

from django.contrib.auth.models import User

Actor: TypeAlias = User
