from .heading_levels import register

__all__ = ["register"]
