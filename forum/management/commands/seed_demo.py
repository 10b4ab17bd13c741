import time
from dataclasses import replace

from django.core.management.base import BaseCommand

from forum.demo.seeding import DEMO_PASSWORD, SIZES, seed_demo
from forum.models import Topic


class Command(BaseCommand):
    help = "Fill the forum with realistic demo members, topics, replies, reactions and chat."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
        parser.add_argument("--members", type=int, help="how many members to create")
        parser.add_argument(
            "--boards", type=int, help="how many boards to fill (default: the size's)"
        )
        parser.add_argument("--topics-per-board", type=int)
        parser.add_argument("--posts-per-topic", type=int, help="opening post plus replies")
        parser.add_argument("--reactions-per-post", type=float)
        parser.add_argument(
            "--rooms", type=int, help="rooms to fill (extra demo rooms are created)"
        )
        parser.add_argument("--chat-messages", type=int, help="chat messages in all")
        parser.add_argument("--seed", type=int, default=12, help="random seed, for repeatable data")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the forum already has topics"
        )

    def handle(self, *args, size: str, if_empty: bool, seed: int, **options):
        if if_empty and Topic.objects.exists():
            self.stdout.write("The forum already has topics; no demo data added.")
            return
        overrides = {
            name: options[name]
            for name in (
                "members",
                "boards",
                "topics_per_board",
                "posts_per_topic",
                "reactions_per_post",
                "rooms",
                "chat_messages",
            )
            if options.get(name) is not None
        }
        chosen = replace(SIZES[size], **overrides)
        started = time.monotonic()
        report = seed_demo(size=chosen, seed=seed)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Seeded {report.members} members, {report.topics} topics, {report.posts} posts, "
            f"{report.reactions} reactions, {report.chat_messages} chat messages in "
            f"{report.rooms} rooms in {elapsed:.1f}s. Demo members log in with the password "
            f"{DEMO_PASSWORD!r}."
        )
