"""Demo mode only: a year of anonymous SKM answers, so the report shows something real."""

import datetime
import random

from django.utils import timezone

from .elements import CODES
from .models import SurveyResponse

SUGGESTIONS = [
    "Jam layanan video call mohon diperpanjang sampai sore.",
    "Petugas ramah dan jelas menjelaskan kekurangan dokumen.",
    "Notifikasi email kadang masuk folder spam.",
    "Proses cepat, tidak perlu datang ke kantor.",
    "",
]


def survey_demo_history(office, *, months: int = 12, seed: int = 19) -> int:
    """Answer sets for the last ``months`` months (none if the office already has some)."""
    if SurveyResponse.objects.filter(office=office).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    month = today.replace(day=1)
    rows = []
    for _ in range(months):
        for _ in range(rng.randint(4, 12)):
            # Mostly "baik", sometimes "sangat baik", rarely worse: a plausible office.
            values = {c: rng.choices((2, 3, 4), weights=(1, 6, 3))[0] for c in CODES}
            values["u4"] = 4  # the service is free: "Gratis"
            rows.append(SurveyResponse(office=office, month=month,
                                       suggestion=rng.choice(SUGGESTIONS), **values))
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    SurveyResponse.objects.bulk_create(rows)
    return len(rows)
