"""Office boundaries in /admin: office A's admin reads and changes nothing of office B.

The sweep walks EVERY ModelAdmin in ``admin.site._registry`` (not a hand list), as
office A's admin holding every Django permission (the role decides, not a permission
granted by mistake): the changelist with search and filters, every object page of each
of B's rows (change, delete, history, password…) by GET and POST, the /admin/r/
shortcut, every action, the add form's choices and the add form posted with B's rows.
Nothing of B may show, and every row of B must be unchanged after.
"""

import importlib

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.test import Client, override_settings
from django.urls import URLPattern, reverse

from tests.conftest import login
from tests.core import admin_sweep_urls
from tests.core.admin_world import make_office, office_world
from verifikasi.accounts.models import User
from verifikasi.core.admin_base import OfficeScopedAdmin, PlatformOnlyAdmin
from verifikasi.offices.models import Office
from verifikasi.scheduling.models import Closure

# Made-up words no page contains by chance (long enough not to turn up in a CSRF token).
OWN, OTHER = "ykwafjm", "zqxbvkr"
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def worlds(office):
    return office_world(office, OWN), office_world(make_office(OTHER), OTHER)


@pytest.fixture
def own_admin(worlds):
    user = worlds[0][User][0]
    assert user.role == "admin" and user.is_staff and not user.is_superuser
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.fixture
def own_admin_client(own_admin):
    return login(Client(), own_admin)


def snapshot(world) -> dict:
    """Every field of every row of the world, as stored now."""
    rows = {}
    for model, objs in world.items():
        stored = {obj.pk: obj for obj in model._default_manager.filter(pk__in=[o.pk for o in objs])}
        for obj in objs:
            current = stored.get(obj.pk)
            rows[model, obj.pk] = None if current is None else {
                f.attname: getattr(current, f.attname) for f in model._meta.concrete_fields}
    return rows


def object_url_names(model_admin) -> list[str]:
    """Names of the admin URLs that take one object's id (change, delete, history…)."""
    return [p.name for p in model_admin.get_urls()
            if isinstance(p, URLPattern) and p.name and len(p.pattern.converters) == 1]


def assert_clean(response, model, other):
    """Nothing of the other office in this page: no row, no link to a row, no text."""
    html = response.content.decode(errors="replace")
    assert OTHER not in html.lower(), (response.request["PATH_INFO"], response.status_code)
    other_pks = {obj.pk for obj in other.get(model, [])}
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    for pk in other_pks:
        link = reverse(f"{prefix}_change", args=[quote(pk)])
        if link != response.request["PATH_INFO"]:  # pages may echo their own address
            assert link not in html, (response.request["PATH_INFO"], response.status_code)
    context = response.context or {}
    if "cl" in context:
        assert not other_pks & {obj.pk for obj in context["cl"].result_list}


def filter_params(model, other) -> list[dict]:
    """Changelist filters pointing at the other office's rows (asked for by hand too)."""
    params = []
    for field in model._meta.concrete_fields:
        if isinstance(field, ForeignKey):
            for obj in other.get(field.related_model, [])[:1]:
                params.append({f"{field.name}__{field.target_field.name}__exact": obj.pk})
    return params


def assert_office_boundaries(client, model, model_admin, own, other):
    """The sweep for one ModelAdmin (a function, so a test can show it catches a leak)."""
    assert other.get(model), f"{model._meta.label}: no rows of office B; add them to office_world"
    before = snapshot(other)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    changelist = reverse(f"{prefix}_changelist")

    # The changelist, its search (a part of the other office's word) and its filters.
    listing = client.get(changelist)
    for response in [listing, client.get(changelist, {"q": OTHER[1:]}),
                     *[client.get(changelist, p) for p in filter_params(model, other)],
                     client.get(reverse("admin:app_list", args=[model._meta.app_label])),
                     client.get(reverse("admin:index"))]:
        assert response.status_code in (200, 302, 403, 404)
        assert_clean(response, model, other)

    # Every page of one of the other office's rows, read and posted.
    for obj in other[model]:
        for name in object_url_names(model_admin):
            url = reverse(f"admin:{name}", args=[quote(obj.pk)])
            for response in (client.get(url),
                             client.post(url, {"post": "yes", "password1": "Sandi-baru-123456",
                                               "password2": "Sandi-baru-123456"})):
                assert response.status_code in (302, 403, 404), (url, response.status_code)
                assert_clean(response, model, other)

        # /admin/r/… redirects anyone with admin access to a row's get_absolute_url.
        content_type = ContentType.objects.get_for_model(model)
        shortcut = client.get(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))
        assert shortcut.status_code == 404, f"{model._meta.label} reveals B's address"

    # Every action (delete_selected included) on the other office's rows.
    actions = ["delete_selected", *[getattr(a, "__name__", a) for a in model_admin.actions or []]]
    for action in actions:
        response = client.post(changelist, {"action": action, "index": 0, "post": "yes",
                                            admin.helpers.ACTION_CHECKBOX_NAME:
                                                [str(o.pk) for o in other[model]]})
        assert_clean(response, model, other)

    # The add form offers none of the other office's rows (nor its office), and posted
    # with them it saves nothing and names none of them back.
    add = client.get(reverse(f"{prefix}_add"))
    assert_clean(add, model, other)
    if add.status_code == 200:
        posted = {}
        for name, field in add.context["adminform"].form.fields.items():
            if isinstance(field, ModelChoiceField):
                offered = set(field.queryset.values_list("pk", flat=True))
                foreign = [o.pk for o in other.get(field.queryset.model, [])]
                assert not offered & set(foreign), f"{model._meta.label}.{name} offers B's rows"
                posted.update({name: foreign[0]} if foreign else {})
        rows = model._default_manager.count()
        assert_clean(client.post(reverse(f"{prefix}_add"), posted), model, other)
        assert model._default_manager.count() == rows

    assert snapshot(other) == before, f"{model._meta.label}: office B's rows were changed"
    if isinstance(model_admin, OfficeScopedAdmin):
        # Not vacuous: the same pages do show the admin's own office.
        own_pks = {o.pk for o in own[model]}
        assert listing.status_code == 200
        assert own_pks & {o.pk for o in listing.context["cl"].result_list}, model._meta.label


def assert_declared(model, model_admin):
    assert isinstance(model_admin, (OfficeScopedAdmin, PlatformOnlyAdmin)), (
        f"{model._meta.label}: {type(model_admin).__name__} must be an OfficeScopedAdmin "
        "(rows of one office) or a PlatformOnlyAdmin (the operator's only)")


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY,
                         ids=[model._meta.label for model, _ in REGISTRY])
def test_an_office_admin_reaches_nothing_of_another_office(own_admin_client, worlds, model,
                                                           model_admin):
    own, other = worlds
    assert_declared(model, model_admin)
    assert_office_boundaries(own_admin_client, model, model_admin, own, other)


def test_the_sweep_covers_every_registered_model(worlds):
    own, other = worlds
    missing = {m._meta.label for m in admin.site._registry} - {m._meta.label for m in other}
    assert not missing, f"add rows of these models to tests/core/admin_world.py: {missing}"


class UnscopedClosureAdmin(admin.ModelAdmin):
    list_display = ["start_date", "end_date", "note", "office"]


def test_a_model_admin_registered_without_the_scoping_fails_the_sweep(own_admin_client, worlds):
    own, other = worlds
    original = admin.site._registry[Closure]
    unscoped = UnscopedClosureAdmin(Closure, admin.site)
    admin.site._registry[Closure] = unscoped
    try:
        with override_settings(ROOT_URLCONF="tests.core.admin_sweep_urls"):
            importlib.reload(admin_sweep_urls)  # its admin URLs now serve the unscoped one
            with pytest.raises(AssertionError, match="OfficeScopedAdmin"):
                assert_declared(Closure, unscoped)
            with pytest.raises(AssertionError):
                assert_office_boundaries(own_admin_client, Closure, unscoped, own, other)
    finally:
        admin.site._registry[Closure] = original
        importlib.reload(admin_sweep_urls)


def test_the_platform_operator_sees_every_office(client, operator, worlds):
    own, other = worlds
    login(client, operator)

    closures = client.get(reverse("admin:scheduling_closure_changelist"))
    offices = client.get(reverse("admin:offices_office_changelist"))
    tasks = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))

    assert f"Tutup {OTHER}" in closures.content.decode()
    assert f"Tutup {OWN}" in closures.content.decode()
    assert Office.objects.count() == len(offices.context["cl"].result_list)
    assert tasks.status_code == 200
