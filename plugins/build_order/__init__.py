from .build_order import register

__all__ = ["register"]
