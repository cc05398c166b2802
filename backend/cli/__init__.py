"""The `askel` command."""
