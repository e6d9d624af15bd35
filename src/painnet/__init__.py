"""painnet."""
