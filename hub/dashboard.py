"""/pilotage/: the panels of today's to-dos that the apps register, per staff role."""

from hub.registry import DashboardLine, DashboardPanel, registry
from hub.roles import Role, group_names


def visible_panels(user) -> list[DashboardPanel]:
    """Superusers and direction see every panel; other staff the panels of their roles."""
    panels = sorted(registry.dashboard, key=lambda panel: (panel.order, str(panel.title)))
    if user.is_superuser:
        return panels
    roles = group_names(user)
    if Role.DIRECTION in roles:
        return panels
    return [panel for panel in panels if panel.role in roles]


def dashboard_for(user) -> list[tuple[DashboardPanel, list[DashboardLine]]]:
    """Each visible panel with its lines for ``user``."""
    return [(panel, panel.lines(user)) for panel in visible_panels(user)]
