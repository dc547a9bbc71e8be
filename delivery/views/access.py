"""Who may see what: the board for dispatch, the figures for dispatch and direction."""

from hub.services import Role, role_required

dispatch_required = role_required(Role.DISPATCH)
figures_required = role_required(Role.DISPATCH, Role.DIRECTION)
