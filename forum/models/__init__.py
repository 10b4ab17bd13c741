from forum.models.steps import Step

__all__ = ["Step"]
