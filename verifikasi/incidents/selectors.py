"""Reading the breach register: an office's own incidents, 404 to anyone else."""

from django.http import Http404

from .models import Incident


def incidents_for(user):
    """The incidents ``user`` may see: their office's; every office's for the platform operator."""
    incidents = Incident.objects.select_related("office", "recorded_by")
    if user.is_superuser:
        return incidents
    return incidents.filter(office_id=user.office_id)


def incident_for(user, code) -> Incident:
    """One incident, or 404 for an incident of another office (it is not there for them)."""
    incident = incidents_for(user).filter(code=code).first()
    if incident is None:
        raise Http404
    return incident
