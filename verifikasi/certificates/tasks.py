from django.tasks import task


@task()
def receipt_reminder(registration_code: str) -> str:
    """C.7: remind the vendor to confirm receipt of the certificate (once)."""
    from verifikasi.registrations.outcome import receipt_reminder_send

    return receipt_reminder_send(registration_code=registration_code)
