import factory

from accounts.tests.factories import UserFactory
from buyers import services
from buyers.models import Buyer


class BuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buyer

    owner = factory.SubFactory(UserFactory)
    first_name = factory.Sequence(lambda n: f"Ana{n}")
    last_name = "Gómez"
    email = factory.Sequence(lambda n: f"ana{n}@example.com")
    phone = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_buyer(**kwargs)
