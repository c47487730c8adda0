from .pending_vi import vietnamese_pending  # noqa: F401 (a fixture for the pages' tests)
