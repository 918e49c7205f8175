from .reading_on import register

__all__ = ["register"]
