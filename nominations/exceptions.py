"""Domain errors. Services raise them with a message a user can read; views, commands and the
API translate them once, at the edge (HTTP status in `http_status`)."""


class DomainError(Exception):
    http_status = 400

    def __init__(self, message, *, reasons=()):
        super().__init__(message)
        self.message = str(message)
        self.reasons = [str(r) for r in reasons]

    def __str__(self):
        if self.reasons:
            return f"{self.message} " + " ".join(self.reasons)
        return self.message


class TransitionRefused(DomainError):
    """The action is not possible from the nomination's current status, or a guard failed."""

    http_status = 409


class ReasonsRequired(TransitionRefused):
    """The action is possible only with the actor's reasons (e.g. approving despite an
    eligibility criterion not met or not yet known); the page asks for them on its form."""


class NotAllowed(DomainError):
    """The user may not do this."""

    http_status = 403


class ConflictingAction(DomainError):
    """Somebody else changed the nomination since the user loaded it."""

    http_status = 409


class InvalidInput(DomainError):
    http_status = 400
