"""The stand-in's command is for development only."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_the_stand_in_command_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("stripe_standin")
