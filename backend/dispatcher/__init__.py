"""The outbox sender: takes stored messages and delivers them through the channels."""
