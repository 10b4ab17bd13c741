from django.db import models
from django.urls import reverse


class Step(models.Model):
    """One of the Twelve Steps, described in Homegroup's own words."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=60)
    principle = models.CharField(max_length=60)
    summary = models.CharField(max_length=200)
    purpose = models.TextField(help_text="What the step is for.")
    prepares = models.TextField(help_text="What working it prepares a member for.")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Step {self.number}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("forum:step", kwargs={"number": self.number})
