from decimal import Decimal

import factory

from projects.tests.factories import ProjectFactory
from raffles import services
from raffles.models import RaffleSet


class RaffleSetFactory(factory.django.DjangoModelFactory):
    """A set 000-099 at 2.00, with its numbers, made through the service."""

    class Meta:
        model = RaffleSet

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Booklet {n}")
    kind = "paper"
    unit_price = Decimal("2.00")
    first_number = 0
    quantity = 100

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_raffle_set(**kwargs)
