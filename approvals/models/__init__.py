from .decisions import Decision

__all__ = ["Decision"]
