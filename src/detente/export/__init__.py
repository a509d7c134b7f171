"""Exports: CSV (more formats follow)."""
