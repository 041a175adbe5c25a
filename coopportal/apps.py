from django.apps import AppConfig


class CoopPortalConfig(AppConfig):
    """The project itself, as an app only so that what it connects is connected when Django starts."""

    name = "coopportal"
    verbose_name = "CoopPortal"

    def ready(self) -> None:
        # The login stamp of the session's absolute lifetime (user_logged_in). Connected by importing the
        # middleware module, which otherwise happens on the first request: a login before it (the test
        # client's force_login in a fresh process) went unstamped, and the next request wrote the session.
        from coopportal import middleware  # noqa: F401
