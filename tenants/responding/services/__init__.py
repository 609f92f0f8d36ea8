"""Writes of responding: responses and replies, reports, "did it work out?"."""
