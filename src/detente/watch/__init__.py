"""Live sources: feeds and pages fetched on a schedule behind an SSRF guard, coded and stored."""
