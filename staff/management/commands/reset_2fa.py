from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

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
        removed = two_factor_reset(user=user)
        devices = "enhet" if removed == 1 else "enheter"
        self.stdout.write(
            self.style.SUCCESS(
                f"Fjernet {removed} {devices}; {username} setter opp innlogging i "
                "to trinn på nytt ved neste innlogging."
            )
        )
