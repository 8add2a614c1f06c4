"""Fixed-shape querysets compiled once per database connection, then run with new values.

Building a queryset (``filter``, ``build_filter``) and compiling it (``as_sql``, ``get_select``,
``get_order_by``) costs far more than SQLite or PostgreSQL take to run the small queries of
a page. A ``Prepared`` query builds and compiles its queryset once per thread and database
connection with sentinel values, remembers where those values landed in the SQL parameters,
and later executes the cached SQL with the real values, building model instances the way
Django's ``ModelIterable`` does (``from_db``, the ``select_related`` populators, the
backend's converters).

Only the shapes it can reproduce exactly are accepted; anything else raises
``PreparedShapeError`` when first compiled:

* parameters are ``int``, ``str``, ``uuid.UUID`` or aware ``datetime`` values (never
  lists: an ``IN`` of varying length changes the SQL) used as plain lookup values;
* model instances only (no ``values()``/``values_list()``, annotations, ``prefetch_related``,
  querysets from related managers, models with their own ``from_db``);
* the built queryset depends on the parameters only: it is compiled twice with different
  sentinels, and the SQL and every other parameter must come out identical (a
  ``timezone.now()`` inside the builder is refused: pass it as a parameter).

Each thread has its own compiled copy per connection (Django's connections are per thread),
so gunicorn threads never share a compiler.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from uuid import UUID
from weakref import ref as weak_ref

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.query import ModelIterable, get_related_populators

_SENTINEL_INT = 2_000_000_000
_SENTINEL_DT = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)


class PreparedShapeError(TypeError):
    """The queryset's shape is one a ``Prepared`` query cannot reproduce exactly."""


def _sentinel(kind, i: int, round_: int):
    n = 1 + i + 100 * round_
    if kind is int:
        return _SENTINEL_INT + n
    if kind is str:
        return f"__prepared_sentinel_{n}__"
    if kind is datetime:
        return _SENTINEL_DT + timedelta(seconds=n, microseconds=n)
    if kind is UUID:
        return UUID(int=_SENTINEL_INT + n)
    raise PreparedShapeError(
        f"unsupported parameter kind {kind!r} (int, str, uuid.UUID or datetime)")


def _adapt(kind, value, connection):
    if kind is datetime:
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("a prepared datetime parameter must be an aware datetime")
        return connection.ops.adapt_datetimefield_value(value)
    if type(value) is not kind:
        raise ValueError(f"a prepared {kind.__name__} parameter got {type(value).__name__}")
    if kind is UUID:  # as UUIDField.get_db_prep_value
        return value if connection.features.has_native_uuid_field else value.hex
    return value


class _Compiled:
    __slots__ = ("connection", "sql", "params", "slots", "compiler", "converters",
                 "model", "start", "end", "init_list", "populators", "from_db", "fetch_mode")

    def __init__(self, prepared: Prepared, connection):
        self.connection = connection
        compiled = [self._compile(prepared, connection, round_) for round_ in (0, 1)]
        (sql, params, slots, compiler, fetch_mode), (sql2, params2, slots2, _, _) = compiled
        constants = [p for i, p in enumerate(params) if i not in slots]
        constants2 = [p for i, p in enumerate(params2) if i not in slots2]
        if sql != sql2 or slots != slots2 or constants != constants2:
            raise PreparedShapeError(
                f"{prepared.name}: the queryset depends on more than its parameters")
        self.sql, self.params, self.slots, self.compiler = sql, params, slots, compiler
        select, klass_info = compiler.select, compiler.klass_info
        fields = [s[0] for s in select[0:compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise PreparedShapeError(f"{prepared.name}: composite fields are not supported")
        self.converters = compiler.get_converters(fields)
        self.model = klass_info["model"]
        if self.model.from_db.__func__ is not Model.from_db.__func__:
            raise PreparedShapeError(f"{prepared.name}: {self.model.__name__} has its own from_db")
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start:self.end]]
        self.populators = get_related_populators(klass_info, select, compiler.using, fetch_mode)
        self.from_db, self.fetch_mode = self.model.from_db, fetch_mode

    @staticmethod
    def _compile(prepared, connection, round_):
        sentinels = {name: _sentinel(kind, i, round_)
                     for i, (name, kind) in enumerate(prepared.kinds.items())}
        qs = prepared.build(**sentinels)
        if qs._iterable_class is not ModelIterable:
            raise PreparedShapeError(f"{prepared.name}: only model instances (no values())")
        if qs._prefetch_related_lookups:
            raise PreparedShapeError(f"{prepared.name}: prefetch_related is not supported")
        if qs._known_related_objects:
            raise PreparedShapeError(
                f"{prepared.name}: build from Model.objects, not a related manager")
        if qs.query.annotation_select or qs.query.extra_select:
            raise PreparedShapeError(f"{prepared.name}: annotations are not supported")
        if prepared.first:
            if not (qs.ordered or not qs.query.default_ordering):
                qs = qs.order_by("pk")
            qs = qs[:1]
        compiler = qs.query.get_compiler(using=prepared.using)
        try:
            sql, params = compiler.as_sql()
        except Exception as e:  # EmptyResultSet, FullResultSet...
            raise PreparedShapeError(f"{prepared.name}: cannot compile ({e!r})") from e
        params = list(params)
        slots = {}
        for name, value in sentinels.items():
            kind = prepared.kinds[name]
            adapted = _adapt(kind, value, connection)
            where = [i for i, p in enumerate(params) if type(p) is type(adapted) and p == adapted]
            if not where:
                raise PreparedShapeError(
                    f"{prepared.name}: parameter {name!r} is not a plain lookup value")
            for i in where:
                slots[i] = name
        return sql, params, slots, compiler, qs._fetch_mode


class Prepared:
    """``Prepared(build, name=int, ...)``: ``build(**values)`` returns the queryset; calling
    the object with the same keyword values returns the list of instances the queryset
    would give. With ``first=True`` it returns what ``queryset.first()`` would."""

    def __init__(self, build, *, first: bool = False, using: str = DEFAULT_DB_ALIAS,
                 **kinds):
        self.build, self.first, self.using, self.kinds = build, first, using, kinds
        self.name = getattr(build, "__qualname__", repr(build))
        self._local = threading.local()
        for kind in kinds.values():
            _sentinel(kind, 0, 0)  # refuses an unsupported kind now, not on first use

    def _compiled(self) -> _Compiled:
        connection = connections[self.using]
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled.connection is not connection:
            compiled = self._local.compiled = _Compiled(self, connection)
        return compiled

    def all(self, **values) -> list:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"{self.name}: expected parameters {sorted(self.kinds)}")
        c = self._compiled()
        connection = c.connection
        params = list(c.params)
        for i, name in c.slots.items():
            params[i] = _adapt(self.kinds[name], values[name], connection)
        with connection.cursor() as cursor:
            cursor.execute(c.sql, params)
            rows = cursor.fetchall()
        if c.converters:
            rows = c.compiler.apply_converters(rows, c.converters)
        objs, peers = [], []
        db, start, end, init_list = self.using, c.start, c.end, c.init_list
        fetch_mode = c.fetch_mode
        track_peers = fetch_mode.track_peers
        for row in rows:
            obj = c.from_db(db, init_list, row[start:end], fetch_mode=fetch_mode)
            if track_peers:
                peers.append(weak_ref(obj))
                obj._state.peers = peers
            for populator in c.populators:
                populator.populate(row, obj)
            objs.append(obj)
        return objs

    def __call__(self, **values):
        objs = self.all(**values)
        if self.first:
            return objs[0] if objs else None
        return objs
