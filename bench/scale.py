"""How big a run is: `BENCH_SCALE=small` for a quick check (under a minute), `default` for the
figures the issue's targets are about."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    walks: int  # nominations walked per system and worker count (5 actions each)
    warmup: int  # walks per worker before the clock starts
    workers: tuple[int, ...]
    repeats: int  # rounds over every system and worker count; each figure is the median round
    departments: int
    units_per_department: int
    nominations: int  # loaded for the read paths
    events: int
    long_history: int  # events of the longest timeline
    samples: int  # timed requests per read path and size
    profile_walks: int
    tally_items: int  # agenda items of the council session whose closing is timed
    tally_members: int


SCALES = {
    "small": Scale("small", 16, 1, (1, 4, 8), 1, 2, 4, 2_000, 20_000, 200, 15, 6, 100, 25),
    # The read paths at a fifth of the scale (`python -m bench reads` in a few minutes).
    "medium": Scale("medium", 16, 1, (1, 4, 8), 1, 10, 10, 20_000, 200_000, 2_000, 30, 6, 100, 25),
    "default": Scale(
        "default", 80, 1, (1, 4, 8), 3, 10, 10, 100_000, 1_000_000, 2_000, 40, 30, 1_000, 25
    ),
}


def current() -> Scale:
    name = os.environ.get("BENCH_SCALE", "default") or "default"
    if name not in SCALES:
        raise SystemExit(f"BENCH_SCALE must be one of {', '.join(SCALES)}, not {name!r}")
    return SCALES[name]
