from .share_links import register

__all__ = ["register"]
