import pytest

from delivery.models import DeliverySlot
from tests.delivery.factories import DeliverySlotFactory, RelayPointFactory
from tests.hub.factories import UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory

INSIDE = "18 Rue Mollien, 62100 Calais"
OUTSIDE = "Route de Boulogne, 62231 Sangatte"


@pytest.fixture
def shopper(db):
    return UserFactory(phone="06 12 34 56 78")


@pytest.fixture
def slot(db) -> DeliverySlot:
    return DeliverySlotFactory()


@pytest.fixture
def relay_point(db):
    return RelayPointFactory()


@pytest.fixture
def three_shops(db):
    """Three shops with one product each, stock 10 at 4,50 €."""
    return [ProductFactory(merchant=MerchantFactory()) for _ in range(3)]
