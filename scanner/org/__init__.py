"""Organisation-wide reports: merging many repositories' reports, and sweeping them."""
