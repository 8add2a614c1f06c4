"""Scheduling pages: ``vendor`` (B.8 proposal, B.8.b answer, C.8.b reschedule) and
``staff`` (B.8.a–c decisions, the team calendar, the office's availability)."""

from verifikasi.core.http import safe_next_url
from verifikasi.registrations import workflow


def require_action(registration, action: str, user) -> None:
    """Refuse (403) before reading a form when the role or state does not allow ``action``.

    The access helpers already gave 404 to outsiders, so what is left is the role
    (e.g. an admin) or the registration's state.
    """
    if workflow.can(registration, action, user):
        return
    if getattr(user, "role", None) not in workflow.TRANSITIONS[action].roles:
        raise workflow.WorkflowError(workflow.ERR_WRONG_ROLE)
    raise workflow.WorkflowError(
        workflow.ERR_WRONG_STATE % {"status": registration.get_status_display()})


def next_url(request, default: str) -> str:
    return safe_next_url(request, default)
