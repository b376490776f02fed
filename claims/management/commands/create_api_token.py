"""Print a user's API token, creating it if needed: `python manage.py create_api_token USERNAME`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from claims.api.permissions import may_use_api


class Command(BaseCommand):
    help = "Print the API token of USERNAME (created if missing). Refuses accounts that may not use the API."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace an existing token with a new one.")

    def handle(self, *args, username: str, rotate: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active or not may_use_api(user):
            raise CommandError(
                f"{username!r} may not use the API: add the account to the api-consumers group (or a staff role) first."
            )
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
