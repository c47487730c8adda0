"""How the application names a person: one rule for pages, forms, messages and records."""


def display_name(user) -> str:
    """The person's full name, or their username when no name is on file.

    (The audit trail labels actors as "Full Name (username)": that is `audit.services.label`.)"""
    return user.get_full_name() or user.get_username()
