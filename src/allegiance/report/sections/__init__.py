"""The sections of the report, one module each, in the order they appear."""
