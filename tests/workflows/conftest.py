# The council fixtures (members, at_council, plan, opened, vote, award) serve both the approvals
# tests and the workflow tests of the council.
from tests.approvals.conftest import at_council, award, members, opened, plan, vote  # noqa: F401
