"""Template helpers: times in the office's zone with its label, the vendor's panel."""

from django import template

from .. import selectors
from ..slots import format_slot, format_time_range, slot_key

register = template.Library()


@register.simple_tag
def vendor_appointment(registration, known=None):
    """``{% vendor_appointment registration known as ap %}``: what the vendor's home shows
    (``known``: the view already built it, e.g. for core.pagememo's key)."""
    return known or selectors.vendor_appointment(registration)


@register.simple_tag
def slot_label(start, end, office):
    """"Senin, 7 Desember 2026, 09.00–09.30 WIB" in the office's zone."""
    if start is None:
        return ""
    return format_slot(start, end, office.tzinfo, office.timezone_label)


@register.simple_tag
def slot_time(start, end, office, with_label=False):
    """"09.00–09.30" (with " WIB" when asked)."""
    text = format_time_range(start, end, office.tzinfo, office.timezone_label)
    return text if with_label else text.rsplit(" ", 1)[0]


@register.filter
def slot_value(start, office):
    """A time as the form value the slot pickers use."""
    return slot_key(start.astimezone(office.tzinfo))
