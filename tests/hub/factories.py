import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from hub.models import Structure, StructureKind, User

PASSWORD = "un-mot-de-passe-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class StaffFactory(UserFactory):
    is_staff = True


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    slug = factory.Sequence(lambda n: f"structure-{n}")
    kind = StructureKind.ASSOCIATION
    summary = "Une structure membre du pôle."
    description = "Présentation de la structure."
