"""The gateway: owns the channels, stores every message first, and talks to the Rasa server."""
