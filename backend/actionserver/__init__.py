"""The action server: runs Askel's custom actions and renders responses for Rasa (NLG)."""
