from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.choices import ChoiceDisplayMixin
from hub.images import validate_image
from hub.phones import PhoneField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account; the e-mail address is the login."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    phone = PhoneField(_("téléphone"), blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_session_auth_hash(self):
        # A user read from the cache (hub.user_cache) carries this hash instead of its
        # password; once the password is loaded or set, it is computed from it as usual.
        if "password" not in self.__dict__ and "_cached_session_auth_hash" in self.__dict__:
            return self._cached_session_auth_hash
        return super().get_session_auth_hash()


class StructureKind(models.TextChoices):
    SIAE = "siae", _("Structure d'insertion (SIAE)")
    ASSOCIATION = "association", _("Association")
    SCIC = "scic", _("Coopérative (SCIC)")
    COMPANY = "company", _("Entreprise")
    PUBLIC_BODY = "public_body", _("Organisme public")


class StructureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Structure(ChoiceDisplayMixin, models.Model):
    """A member organisation of the hub, with its public page."""

    name = models.CharField(_("nom"), max_length=150, unique=True)
    slug = models.SlugField(_("adresse de la page"), max_length=160, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=StructureKind.choices)
    summary = models.CharField(_("en une phrase"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    logo = models.ImageField(
        _("logo"), upload_to="structures/", blank=True, validators=[validate_image]
    )
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = PhoneField(_("téléphone"), blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    iae_club_member = models.BooleanField(_("membre du club IAE"), default=False)
    is_published = models.BooleanField(_("publiée"), default=True)

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hub:structure_detail", args=[self.slug])


class Heartbeat(models.Model):
    """When a background component was last seen alive (read by /healthz)."""

    class Component(models.TextChoices):
        WORKER = "worker", _("Worker Celery")
        BEAT = "beat", _("Planificateur (beat)")

    component = models.CharField(max_length=10, choices=Component.choices, unique=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signal de vie")
        verbose_name_plural = _("signaux de vie")

    def __str__(self):
        return f"{self.component} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class OutgoingEmail(models.Model):
    """An e-mail rendered inside a transaction and sent by a task after commit.

    The row makes sending idempotent: a send claims it first (hub.emails), a task run twice
    sends once, and ``dedupe_key`` lets a scheduled job run twice without mailing twice.
    """

    to = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=250)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    reply_to = models.CharField(_("répondre à"), max_length=254, blank=True)
    # Where the recipient stops such messages: sent as List-Unsubscribe (one click, RFC 8058).
    unsubscribe_url = models.URLField(_("lien de désabonnement"), max_length=500, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("envoi commencé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)

    class Meta:
        verbose_name = _("e-mail envoyé")
        verbose_name_plural = _("e-mails envoyés")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class IdempotencyRecord(models.Model):
    """The first answer given to an API request with a given ``Idempotency-Key``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=100)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_unique_key")
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.scope}:{self.key}"
