"""The council's arithmetic: quorum, base and threshold. Pure functions over integers, with
`Fraction` for the rules, so that a boundary is exact (never a float): with 10 members and a 70%
threshold, 7 approvals pass and 6 do not.

Choices made here (see docs/DOMAIN.md, "The council"):
- The quorum counts all the session's members and those present, recused or not: the rule is
  "two thirds of the council's members present". Recusal changes an item's base, not the quorum.
- The base is the award type's: all members, or members present; either way less the members
  recused from the item. Abstentions and members who did not vote count as not approving.
- An absent member's written opinion is counted as that member's vote ("counted and recorded as
  such"): over members present, the base grows by the written opinions counted, so that an
  absent member's approval can never be counted out of a base that leaves them out. It does not
  make the member present for the quorum.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

MEMBERS = "members"
PRESENT = "present"


@dataclass(frozen=True)
class Quorum:
    members: int
    present: int
    rule: Fraction

    @property
    def needed(self) -> int:
        """The fewest members present that make a quorum."""
        product = self.rule * self.members
        return -(-product.numerator // product.denominator)  # ceiling, in integers

    @property
    def met(self) -> bool:
        return self.members > 0 and self.present >= self.needed


def quorum(*, members: int, present: int, rule: Fraction) -> Quorum:
    if not 0 <= present <= members:
        raise ValueError("present must be between 0 and the number of members")
    return Quorum(members=members, present=present, rule=Fraction(rule))


def base(
    vote_base: str,
    *,
    members: int,
    present: int,
    recused: int,
    recused_present: int,
    written: int = 0,
) -> int:
    """How many members the threshold is a percentage of, for one item. `written`: absent,
    non-recused members whose written opinion is counted."""
    if vote_base == MEMBERS:
        return members - recused
    if vote_base == PRESENT:
        return present - recused_present + written
    raise ValueError(f"unknown vote base {vote_base!r}")


def percent_text(value: Decimal | int | str) -> str:
    """A threshold as people write it: 50, 66.67 — never 5E+1, which Decimal.normalize gives."""
    return f"{Decimal(value).normalize():f}"


def passes(*, approvals: int, base: int, threshold_percent: Decimal | int | str) -> bool:
    """approvals / base ≥ threshold%, exactly. Nobody to count (base 0) passes nothing."""
    if base <= 0:
        return False
    return Fraction(approvals) * 100 >= Fraction(Decimal(threshold_percent)) * base


def approvals_needed(*, base: int, threshold_percent: Decimal | int | str) -> int:
    """The fewest approvals that pass, for the minutes (base + 1 if none can)."""
    if base <= 0:
        return 1
    product = Fraction(Decimal(threshold_percent)) * base / 100
    return max(1, -(-product.numerator // product.denominator))


@dataclass(frozen=True)
class ItemResult:
    members: int
    present: int
    recused: int
    base: int
    approve: int
    disapprove: int
    abstain: int
    not_voted: int
    written: int
    quorum_met: bool
    passed: bool


def tally_item(
    *,
    members: int,
    present: int,
    recused: int,
    recused_present: int,
    approve: int,
    disapprove: int,
    abstain: int,
    vote_base: str,
    threshold_percent,
    quorum_rule: Fraction,
    written: int = 0,
) -> ItemResult:
    """The result of one item; the counts include the `written` opinions of absent members.
    Without a quorum nothing passes."""
    if written > members - present:
        raise ValueError("more written opinions than absent members")
    voters = present - recused_present + written
    cast = approve + disapprove + abstain
    if cast > voters:
        raise ValueError("more ballots than members entitled to vote")
    q = quorum(members=members, present=present, rule=quorum_rule)
    item_base = base(
        vote_base,
        members=members,
        present=present,
        recused=recused,
        recused_present=recused_present,
        written=written,
    )
    return ItemResult(
        members=members,
        present=present,
        recused=recused,
        base=item_base,
        approve=approve,
        disapprove=disapprove,
        abstain=abstain,
        not_voted=voters - cast,
        written=written,
        quorum_met=q.met,
        passed=q.met
        and passes(approvals=approve, base=item_base, threshold_percent=threshold_percent),
    )
