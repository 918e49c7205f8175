from .parallel_reading import register

__all__ = ["register"]
