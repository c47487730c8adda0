"""Mail backends that fail, for the retry tests."""

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """Refuses the first `failures` messages (as a mail server that is down), then delivers
    into `django.core.mail.outbox` as the test backend does."""

    failures = 1
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.attempts <= FlakyBackend.failures:
            raise ConnectionRefusedError("Connection refused by mail.example.org:587")
        return super().send_messages(messages)
