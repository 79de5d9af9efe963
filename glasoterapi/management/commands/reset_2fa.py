from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from glasoterapi.twofactor import two_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a staff member's authenticator app and backup codes (lost phone); "
        "they set up a new app at their next login."
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
        self.stdout.write(
            self.style.SUCCESS(
                f"Fjernet {removed} enheter; ny oppsett ved neste innlogging."
            )
        )
