from .rich_markdown import register

__all__ = ["register"]
