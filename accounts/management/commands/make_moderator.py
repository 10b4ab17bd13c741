from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from accounts.selectors import get_member_by_pseudonym
from forum.actions.moderation import set_moderator_role


class Command(BaseCommand):
    help = "Make a member a moderator (or, with --revoke, no longer one)."

    def add_arguments(self, parser):
        parser.add_argument("pseudonym")
        parser.add_argument("--revoke", action="store_true", help="remove the moderator role")

    def handle(self, *args, pseudonym: str, revoke: bool, **options):
        try:
            member = get_member_by_pseudonym(pseudonym)
        except Http404 as missing:
            raise CommandError(f"No member has the pseudonym {pseudonym!r}.") from missing
        set_moderator_role(by=None, member=member, granted=not revoke, reason="make_moderator")
        if revoke:
            self.stdout.write(f"{member.username} is no longer a moderator.")
        else:
            self.stdout.write(f"{member.username} is now a moderator.")
