"""detente.cluster."""
