import logging

from django.apps import AppConfig
from django.utils.crypto import salted_hmac

logger = logging.getLogger("staff.security")


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Ansatte"

    def ready(self):
        from axes.signals import user_locked_out

        user_locked_out.connect(log_lockout, dispatch_uid="staff.log_lockout")


def log_lockout(sender, request, username, ip_address, **kwargs):
    """One line per lockout: a keyed hash of the username, never it or the IP."""
    account = salted_hmac("glasoterapi.lockout", username or "").hexdigest()[:12]
    logger.warning("event=staff_login_locked_out account=%s", account)
