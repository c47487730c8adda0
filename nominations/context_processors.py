from django.conf import settings


def sign_in(request):
    """Whether a second factor is required of the roles that need one (off only in a demo, and
    then every page says so)."""
    return {"sign_in": {"require_2fa": settings.LAUREL_REQUIRE_2FA}}
