"""detente.export."""
