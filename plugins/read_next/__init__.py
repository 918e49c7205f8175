from .read_next import register

__all__ = ["register"]
