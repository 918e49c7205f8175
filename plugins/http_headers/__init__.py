from .http_headers import register

__all__ = ["register"]
