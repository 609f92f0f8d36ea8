"""The survey's writes, by topic: `answers` (by link, from paper) and `invitations` (asking)."""
