from .page_metadata import register

__all__ = ["register"]
