"""Two sign-ups with the same address at the same moment (PostgreSQL).

Both pass the form's "is this address free?" check before either creates the
account; the second insert then breaks the unique constraint. It must not be a
500: the second person gets what any sign-up with a registered address gets
(the "check your email" page; allauth does not reveal which addresses have an
account), one account exists, and nothing of the second attempt is saved.
"""

import threading

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.urls import reverse

from verifikasi.accounts.forms import VendorSignupForm
from verifikasi.accounts.models import User
from verifikasi.notifications.models import OutboundEmail

EMAIL = "direktur@cvkembar.test"
PASSWORD = "Rahasia-Perusahaan-2025"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_sign_ups_make_one_account_and_no_error(office, monkeypatch):
    # Both requests have checked that the address is free before either saves.
    both_checked = threading.Barrier(2, timeout=20)
    save = VendorSignupForm.save

    def save_after_both_checked(form, request):
        both_checked.wait()
        return save(form, request)

    monkeypatch.setattr(VendorSignupForm, "save", save_after_both_checked)

    responses, errors = [], []

    def sign_up(ip):
        try:
            client = Client(REMOTE_ADDR=ip, raise_request_exception=True)
            responses.append(client.post(reverse("account_signup"), {
                "email": EMAIL, "password1": PASSWORD, "password2": PASSWORD,
            }))
        except BaseException as e:  # noqa: BLE001 - reported below, with the thread's error
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(ip,))
               for ip in ("203.0.113.10", "203.0.113.11")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {reverse("account_email_verification_sent")}
    assert User.objects.filter(email=EMAIL).count() == 1
    assert EmailAddress.objects.filter(email__iexact=EMAIL).count() == 1
    # One email to the address: the confirmation, or allauth's "this address already
    # has an account" for the other attempt, whichever came first (allauth sends
    # one email per address per three minutes, ACCOUNT_RATE_LIMITS["confirm_email"]).
    templates = list(OutboundEmail.objects.filter(to=[EMAIL]).values_list("template",
                                                                          flat=True))
    assert len(templates) == 1
    assert templates[0] in {"email_confirmation_signup", "account_already_exists"}

@pytest.mark.django_db
def test_a_later_sign_up_with_a_registered_address_gets_the_same_answer(client, office):
    data = {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
    first = client.post(reverse("account_signup"), data)
    again = Client(REMOTE_ADDR="203.0.113.12").post(reverse("account_signup"), data)

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=EMAIL).count() == 1
