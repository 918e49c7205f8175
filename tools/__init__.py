"""Command-line helpers behind the Makefile's targets, and what tests share with them."""
