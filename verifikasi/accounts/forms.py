"""The vendor sign-up form: allauth's, safe against two sign-ups with one address at once."""

from allauth.account.forms import SignupForm
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction


class VendorSignupForm(SignupForm):
    """allauth's sign-up form whose account is created in a savepoint.

    The form checks that the address is free, then creates the account. Two
    sign-ups with the same address at the same moment both pass the check; the
    second insert then breaks the unique constraint. Instead of a 500, the second
    gets exactly what any sign-up with a registered address gets (allauth's
    answer that does not reveal which addresses have accounts: the "check your
    email" page, and an email to the address saying it already has an account),
    and nothing of it is saved.
    """

    def try_save(self, request):
        if self.account_already_exists:
            return super().try_save(request)
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            # Only the lost race is answered this way; any other constraint
            # broken is a real error.
            email = self.cleaned_data.get("email") or ""
            if not get_user_model().objects.filter(email__iexact=email).exists():
                raise
            self.account_already_exists = True
            return super().try_save(request)

