from .content_checks import register

__all__ = ["register"]
