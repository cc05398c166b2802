"""Alembic migrations of Askel's database, run with `askel db upgrade`."""
