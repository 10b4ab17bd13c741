from __future__ import annotations

import factory

from accounts.models import User

PASSWORD = "a-long-quiet-passphrase"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"Member{n:04d}")
    email = ""
    current_step = 1
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
