"""Laurel's benchmarks: `make bench` (or `python -m bench`). See README, "Benchmarks"."""
