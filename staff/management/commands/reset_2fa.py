from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from core.norwegian import count
from staff.twofactor import two_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a staff member's authenticator apps, passkeys and backup codes "
        "(lost phone or key); they enrol again at their next login."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as error:
            raise CommandError(
                f"Fant ingen bruker med brukernavnet {username!r}."
            ) from error
        removed = count(two_factor_reset(user=user), "enhet", "enheter")
        self.stdout.write(
            self.style.SUCCESS(
                f"Fjernet {removed} og logget {username} ut overalt; "
                "innlogging i to trinn settes opp på nytt ved neste innlogging. "
                "Kan passordet også være kjent, sett et nytt: "
                f"manage.py changepassword {username}"
            )
        )
