from django import template

from ..holdings import mask as mask_value

register = template.Library()


@register.filter
def mask(value):
    """An identity number with only its last four digits shown."""
    return mask_value(str(value or ""))
