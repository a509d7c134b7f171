"""detente.engines."""
