"""detente.kb."""
