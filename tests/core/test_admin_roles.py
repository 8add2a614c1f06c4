"""The two /admin roles (docs/roles.md): the office admin, bounded by their office and
their role, and the platform operator, the only superuser."""

import ast
import io
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import PASSWORD, login, make_user
from verifikasi.accounts.models import STAFF_ROLES, Role, User
from verifikasi.core.admin_base import ReadOnlyAdmin
from verifikasi.front.management.commands.seed_demo import DEMO_USERS
from verifikasi.offices.models import Office
from verifikasi.scheduling.models import Closure

ROOT = Path(__file__).resolve().parents[2] / "verifikasi"


def test_an_office_admin_neither_sees_nor_changes_the_platform_operator(
    office_admin_client, operator
):
    # The operator belongs to the same office (createsuperuser puts them there).
    listing = office_admin_client.get(reverse("admin:accounts_user_changelist"))
    change = office_admin_client.get(reverse("admin:accounts_user_change", args=[operator.pk]))
    password = office_admin_client.post(
        reverse("admin:auth_user_password_change", args=[operator.pk]),
        {"password1": "Sandi-baru-123456", "password2": "Sandi-baru-123456"})

    assert listing.status_code == 200
    assert operator.email not in listing.content.decode()
    assert change.status_code == 302  # "does not exist", to the admin index
    assert password.status_code == 404
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)


def test_an_office_admin_cannot_grant_superuser_or_staff_powers(
    office_admin_client, verifier, office
):
    url = reverse("admin:accounts_user_change", args=[verifier.pk])
    form = office_admin_client.get(url).context["adminform"].form

    response = office_admin_client.post(url, {
        "email": verifier.email, "full_name": verifier.full_name, "role": Role.VERIFIER,
        "office": office.pk, "is_active": "on", "is_staff": "on", "is_superuser": "on",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert {"is_staff", "is_superuser", "groups", "user_permissions"}.isdisjoint(form.fields)
    assert [value for value, _ in form.fields["role"].choices if value] == list(STAFF_ROLES)
    verifier.refresh_from_db()
    assert (verifier.is_staff, verifier.is_superuser) == (False, False)


def _new_staff(office, role=Role.ADMIN, email="baru@lpse.test"):
    return {"email": email, "full_name": "Staf Baru", "role": role, "office": office.pk,
            "password1": "Sandi-awal-987654", "password2": "Sandi-awal-987654"}


def test_an_office_admin_adds_staff_to_their_own_office_only(office_admin_client, office,
                                                              other_office):
    refused = office_admin_client.post(reverse("admin:accounts_user_add"),
                                _new_staff(other_office, email="luar@lpse.test"))
    vendor = office_admin_client.post(reverse("admin:accounts_user_add"),
                               _new_staff(office, Role.VENDOR, email="vendor@lpse.test"))
    added = office_admin_client.post(reverse("admin:accounts_user_add"), _new_staff(office))

    assert refused.status_code == 200
    assert "office" in refused.context["adminform"].form.errors
    assert vendor.status_code == 200
    assert "role" in vendor.context["adminform"].form.errors
    assert not User.objects.filter(email__in=["luar@lpse.test", "vendor@lpse.test"]).exists()
    assert added.status_code == 302
    user = User.objects.get(email="baru@lpse.test")
    # An Admin LPSE made by an office admin can use /admin, as an office admin only.
    assert (user.office, user.is_staff, user.is_superuser) == (office, True, False)


def test_an_office_admin_cannot_delete_an_account(office_admin_client, verifier):
    url = reverse("admin:accounts_user_delete", args=[verifier.pk])

    assert office_admin_client.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=verifier.pk).exists()


def test_an_office_admin_cannot_file_a_row_under_another_office(office_admin_client, other_office):
    response = office_admin_client.post(reverse("admin:scheduling_closure_add"), {
        "office": other_office.pk, "start_date": "2026-12-24", "end_date": "2026-12-26",
        "note": "Libur"})

    assert response.status_code == 200
    assert "office" in response.context["adminform"].form.errors
    assert not Closure.objects.exists()


def test_an_office_admin_edits_their_office_but_never_adds_or_removes_one(
    office_admin_client, office
):
    url = reverse("admin:offices_office_change", args=[office.pk])
    data = {f: getattr(office, f) for f in ("code", "name", "short_name", "letterhead",
                                            "address", "phone", "reply_to_email", "spse_url",
                                            "timezone", "timezone_label", "service_days",
                                            "revision_deadline_days", "sla_working_days")}

    assert office_admin_client.get(reverse("admin:offices_office_add")).status_code == 403
    delete = office_admin_client.post(reverse("admin:offices_office_delete", args=[office.pk]),
                               {"post": "yes"})
    changed = office_admin_client.post(url, {**data, "phone": "(0534) 123456"})

    assert delete.status_code == 403
    assert changed.status_code == 302
    office.refresh_from_db()
    assert office.phone == "(0534) 123456"


def test_other_staff_reach_no_admin_page_even_with_is_staff(client, office):
    verifier = make_user("staf@lpse.test", Role.VERIFIER, office, totp=True, is_staff=True)
    login(client, verifier)

    index = client.get(reverse("admin:index"))
    closures = client.get(reverse("admin:scheduling_closure_changelist"))

    assert index.status_code == 200
    assert index.context["app_list"] == []
    assert closures.status_code == 403


@pytest.mark.parametrize("label", ["core.AuditEvent", "core.WorkerHeartbeat", "core.RetentionRun",
                                   "certificates.Certificate", "certificates.CertificateSequence",
                                   "scheduling.Appointment", "scheduling.SlotBooking"])
def test_records_the_application_writes_are_read_only_even_for_the_operator(
    rf, operator, label
):
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label == label)
    request = rf.get("/admin/")
    request.user = operator

    assert isinstance(model_admin, ReadOnlyAdmin)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_demo_has_no_superuser(settings, db):
    settings.DEMO_MODE = True
    admin_email = next(email for email, _, role, _ in DEMO_USERS if role == Role.ADMIN)
    make_user(admin_email, Role.ADMIN, Office.objects.get(code="ketapang"), totp=True,
              is_staff=True, is_superuser=True)  # as seeded before the roles were split

    call_command("seed_demo", stdout=io.StringIO())

    assert not User.objects.filter(is_superuser=True).exists()
    assert User.objects.get(email=admin_email).is_staff


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):  # function-local imports too
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_offices_app_imports_no_other_app():
    # The bottom layer: a new office's defaults are set by registrations' admin.
    upward = {(str(path.relative_to(ROOT)), name)
              for path in (ROOT / "offices").rglob("*.py")
              for name in _imported_modules(path)
              if name.startswith("verifikasi.") and not name.startswith("verifikasi.offices")}
    assert not upward


def test_an_office_admin_sees_an_emails_envelope_but_not_its_body(client, admin_user, operator,
                                                                  office):
    from verifikasi.notifications.models import OutboundEmail

    email = OutboundEmail.objects.create(
        office=office, template="password_reset_key", from_email="noreply@lpse.test",
        to=["staf@lain.test"], subject="Atur ulang kata sandi",
        body_text="https://verifikasi.test/akun/password/reset/key/RAHASIA-TOKEN/")
    url = reverse("admin:notifications_outboundemail_change", args=[email.pk])

    office_view = login(client, admin_user).get(url).content.decode()
    operator_view = login(client, operator).get(url).content.decode()

    assert "Atur ulang kata sandi" in office_view
    assert "RAHASIA-TOKEN" not in office_view
    assert "RAHASIA-TOKEN" in operator_view


def test_createsuperuser_makes_the_platform_operator(monkeypatch, db):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Operator-sandi-2026!")

    call_command("createsuperuser", "--noinput", "--email", "Operator@Platform.test",
                 stdout=io.StringIO())

    user = User.objects.get(email="operator@platform.test")
    assert (user.is_superuser, user.is_staff, user.role) == (True, True, Role.ADMIN)
    assert user.office == Office.objects.get(code="ketapang")  # DEFAULT_OFFICE_CODE


@pytest.mark.parametrize("name", ["Staf\nBaru", "Staf \u202eBaru"])
def test_a_staff_name_is_one_line_whoever_types_it(office_admin_client, office, name):
    # Issue 13: a staff name is printed on certificates and in invites.
    response = office_admin_client.post(reverse("admin:accounts_user_add"),
                                        {**_new_staff(office), "full_name": name})
    assert response.status_code == 200
    assert not User.objects.filter(email="baru@lpse.test").exists()
    with pytest.raises(CommandError):
        call_command("create_staff", "--email", "cli@lpse.test", "--role", "verifier",
                     "--office", office.code, "--name", name, stdout=io.StringIO())
    assert not User.objects.filter(email="cli@lpse.test").exists()


def test_the_office_name_is_one_line(office_admin_client, office):
    url = reverse("admin:offices_office_change", args=[office.pk])
    form = office_admin_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["name"] = "LPSE Kabupaten Ketapang (baru)"
    assert office_admin_client.post(url, data).status_code == 302  # the form itself is valid
    data["name"] = "LPSE\r\nPalsu"
    response = office_admin_client.post(url, data)
    assert response.status_code == 200
    assert "karakter" in response.content.decode() or "baris" in response.content.decode()
    office.refresh_from_db()
    assert office.name == "LPSE Kabupaten Ketapang (baru)"
