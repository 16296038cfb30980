import factory

from accounts.tests.factories import UserFactory
from projects import services
from projects.models import Project


class ProjectFactory(factory.django.DjangoModelFactory):
    """Projects made through the service, so refs are handed out as in use."""

    class Meta:
        model = Project

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Raffle {n}")
    description = "Prizes for the spring fair."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_project(**kwargs)
