"""Names of the slots the actions share (declared in bot/domain/)."""

# What the bot just asked: consent, morning, evening or delete (bot/domain/questions.yml).
ASKED = "asked"
