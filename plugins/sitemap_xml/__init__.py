from .sitemap_xml import register

__all__ = ["register"]
