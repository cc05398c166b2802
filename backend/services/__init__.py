"""Business rules. Each module holds one concern and takes a session and the time it needs."""
