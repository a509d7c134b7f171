"""Scoring detente against public gold data (`detente eval`)."""
