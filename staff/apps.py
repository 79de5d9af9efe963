import logging

from django.apps import AppConfig
from django.utils.crypto import salted_hmac

logger = logging.getLogger("staff.security")


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Ansatte"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        user_locked_out.connect(log_lockout, dispatch_uid="staff.log_lockout")
        user_logged_in.connect(forget_pending_app, dispatch_uid="staff.pending_app")


def forget_pending_app(sender, request, user, **kwargs):
    """A new login never confirms a secret shown in an earlier one (Django keeps
    the session's data across a login in the same browser)."""
    from staff.twofactor import PENDING_TOTP_SESSION_KEY

    if request is not None and hasattr(request, "session"):
        request.session.pop(PENDING_TOTP_SESSION_KEY, None)


def log_lockout(sender, request, username, ip_address, **kwargs):
    """One line per lockout: a keyed hash of the username, never it or the IP."""
    account = salted_hmac("glasoterapi.lockout", username or "").hexdigest()[:12]
    logger.warning("event=staff_login_locked_out account=%s", account)
