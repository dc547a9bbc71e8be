"""Deployment checks (``manage.py check --deploy``) for what Django's own checks cannot know."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from anima.security import secret_key_problem
from hub.demo import DEMO_DOMAIN


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    problem = secret_key_problem(settings.SECRET_KEY)
    return [checks.Error(problem, id="hub.E001")] if problem else []


@checks.register(checks.Tags.security, deploy=True)
def check_no_demo_account(app_configs, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """A demo account signs in with the password published in the README."""
    from hub.models import User

    try:
        demo_accounts = User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}", is_active=True)
        count = demo_accounts.count()
    except DatabaseError:
        # No readable database (a build step, a host not yet migrated): no account to find.
        return []
    if not count:
        return []
    return [
        checks.Error(
            f"{count} active demo account(s) (@{DEMO_DOMAIN}): their password is published.",
            hint="Deactivate or delete them; seed_demo never creates them in production.",
            id="hub.E002",
        )
    ]
