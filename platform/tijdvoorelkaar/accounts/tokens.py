from django.contrib.auth.tokens import PasswordResetTokenGenerator


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """One-use invitation links: the token stops working once a password is set."""

    key_salt = "tijdvoorelkaar.accounts.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()
