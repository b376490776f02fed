from django.core.management.base import BaseCommand

from claims.demo import DEMO_ACCOUNTS, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: Le Monde's 29 January 2026 article on Turkey and Mali, claim by claim, "
        "with the later reports on the Akinci drone, and the demo accounts. An earlier demo is upgraded "
        "in place; running it twice changes nothing."
    )

    def handle(self, *args, **options):
        written = load_demo()
        if written:
            summary = ", ".join(f"{count} {what}" for what, count in written.items())
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: {summary}."))
        else:
            self.stdout.write("Demo data already loaded; nothing changed.")
        self.stdout.write("Demo accounts (username / password / role):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username} / {account.password} / {account.group}")
