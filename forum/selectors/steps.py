from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from forum.models import Step


def all_steps() -> QuerySet[Step]:
    return Step.objects.all()


def get_step(number: int) -> Step:
    return get_object_or_404(Step, number=number)
