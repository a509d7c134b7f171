"""detente.api."""
