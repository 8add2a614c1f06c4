"""The rows of a national-scale database: offices, staff, vendors, registrations and their
documents, written by PostgreSQL itself (``generate_series`` and ``INSERT … SELECT``),
each big table in id ranges that several connections fill at once (scale_plan.py puts
the steps together; the history, the audit chain, is scale_history.py).

Every value is a pure function of the row number (``hashint8extended``), so two runs give
the same companies, statuses and dates relative to "now"; only the codes (UUIDs) hash
the row number with a salt drawn for each run. Rows are valid for the app:
statuses and forms pass the check constraints, NIKs carry a real region and birth date,
NPWPs have their Luhn digit, every NPWP is unique (one open registration per NPWP per
office), and documents are rows without files (a page image of one answers 404).
"""

# ruff: noqa: S608 -- the SQL is built from table names (_meta.db_table) and constants;
# every value goes in as a query parameter.

import math

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from verifikasi.accounts.models import User
from verifikasi.offices.models import Office
from verifikasi.registrations.defaults import LAMPIRAN_1
from verifikasi.registrations.models import (
    Document,
    DocumentType,
    Registration,
    RegistrationStatus,
)
from verifikasi.registrations.services import PRIVACY_NOTICE_VERSION

from . import scale_words as w
from .scale_sql import hex64_sql, luhn_sql, nik_sql, uuid_sql

# A non-negative 63-bit hash of (row, salt): the seed's only source of variety.
MASK = 0x7FFFFFFFFFFFFFFF
S = RegistrationStatus
# Share of each status in 1,000, oldest-closed first (a national backlog several years
# old: most registrations are done; about a quarter wait for a verifier).
STATUS_SHARE = [
    (S.COMPLETED, 530), (S.REJECTED, 30), (S.WITHDRAWN, 40), (S.DRAFT, 80),
    (S.SUBMITTED, 90), (S.REVISION_REQUESTED, 50), (S.LAPSED, 10), (S.DOCUMENTS_ACCEPTED, 50),
    (S.SCHEDULED, 40), (S.VERIFIED, 20), (S.CERTIFICATE_SENT, 60),
]
CLOSED = [S.COMPLETED, S.REJECTED, S.WITHDRAWN, S.LAPSED]
# Statuses a blacklist check and a verifier's acceptance lie behind.
ACCEPTED = [S.DOCUMENTS_ACCEPTED, S.SCHEDULED, S.VERIFIED, S.CERTIFICATE_SENT, S.COMPLETED]
CALL_HELD = [S.VERIFIED, S.CERTIFICATE_SENT, S.COMPLETED]
SLA_RUNNING = [S.SUBMITTED, S.DOCUMENTS_ACCEPTED, S.SCHEDULED, S.VERIFIED]
REGISTRATIONS_PER_VERIFIER = 4000


def office_sizes(registrations: int, offices: int) -> list[int]:
    """Registrations per office, large offices first (weight 1/(rank+3)): the largest
    of 650 offices gets about 6 %, the median about 0.1 %."""
    weights = [1 / (k + 3) for k in range(offices)]
    total = sum(weights)
    sizes = [math.floor(registrations * x / total) for x in weights]
    for k in range(registrations - sum(sizes)):
        sizes[k % offices] += 1
    return sizes


def _status_case(column: str) -> str:
    parts, upto = [], 0
    for status, share in STATUS_SHARE:
        upto += share
        parts.append(f"WHEN {column} %% 1000 < {upto} THEN '{status.value}'")
    assert upto == 1000
    return "CASE " + " ".join(parts) + " END"


def _in(statuses) -> str:
    return "(" + ", ".join(f"'{s.value}'" for s in statuses) + ")"


def write_offices(cursor, sizes: list[int], now) -> None:
    office = Office._meta.db_table
    lo, ks, los, verifiers = 1, [], [], []
    for k, size in enumerate(sizes, start=1):
        ks.append(k)
        los.append(lo)
        verifiers.append(max(2, min(12, math.ceil(size / REGISTRATIONS_PER_VERIFIER))))
        lo += size
    cursor.execute("""
        CREATE UNLOGGED TABLE scale_office (k int PRIMARY KEY, id bigint, n_regs int,
                                            lo bigint, n_verifiers int, region int)""")
    cursor.execute(f"""
        INSERT INTO {office} (code, public_id, name, short_name, letterhead, address, phone,
                              reply_to_email, spse_url, timezone, timezone_label)
        SELECT 'skala-' || lpad(k::text, 3, '0'), gen_random_uuid(),
               'LPSE Wilayah ' || lpad(k::text, 3, '0'), 'LPSE ' || lpad(k::text, 3, '0'),
               E'LAYANAN PENGADAAN SECARA ELEKTRONIK\\nLPSE WILAYAH ' || lpad(k::text, 3, '0'),
               'Jl. Jenderal Sudirman No. ' || k, '(0534) ' || (30000 + k),
               'lpse' || k || '@skala.lpse.test', 'https://lpse' || k || '.skala.lpse.test/',
               (ARRAY['Asia/Jakarta', 'Asia/Pontianak', 'Asia/Makassar', 'Asia/Jayapura'])
                   [1 + k %% 4],
               (ARRAY['WIB', 'WIB', 'WITA', 'WIT'])[1 + k %% 4]
        FROM unnest(%(ks)s::int[]) AS k""", {"ks": ks})
    cursor.execute(f"""
        INSERT INTO scale_office
        SELECT s.k, o.id, s.n, s.lo, s.v, s.k %% %(regions)s
        FROM unnest(%(ks)s::int[], %(ns)s::int[], %(los)s::bigint[], %(vs)s::int[])
             AS s(k, n, lo, v)
        JOIN {office} o ON o.code = 'skala-' || lpad(s.k::text, 3, '0')""",
                   {"ks": ks, "ns": sizes, "los": los, "vs": verifiers,
                    "regions": len(w.REGIONS)})
    # Lampiran 1 for every new office, as offices get it when an admin creates them.
    cursor.execute(f"""
        INSERT INTO {DocumentType._meta.db_table}
            (office_id, code, name, description, condition, "order", active)
        SELECT o.id, t.code, t.name, t.description, t.condition, t.ord, true
        FROM scale_office o CROSS JOIN unnest(%(codes)s::text[], %(names)s::text[],
             %(descriptions)s::text[], %(conditions)s::text[], %(orders)s::int[])
             AS t(code, name, description, condition, ord)""",
                   {"codes": [row[0] for row in LAMPIRAN_1],
                    "names": [row[1] for row in LAMPIRAN_1],
                    "descriptions": [row[2] for row in LAMPIRAN_1],
                    "conditions": [row[3] for row in LAMPIRAN_1],
                    "orders": list(range(1, len(LAMPIRAN_1) + 1))})


def write_staff(cursor, now, password_hash: str, totp_data: str) -> int:
    """One coordinator (n = 0) and 2–12 verifiers per office, all with TOTP enrolled."""
    user = User._meta.db_table
    cursor.execute(f"""
        INSERT INTO {user} (password, is_superuser, is_staff, is_active, date_joined, code,
                            email, full_name, role, office_id)
        SELECT %(pw)s, false, false, true, %(now)s - interval '400 days', gen_random_uuid(),
               CASE WHEN n = 0 THEN 'ketua' ELSE 'verifikator' || n END
                   || '@skala-' || lpad(o.k::text, 3, '0') || '.lpse.test',
               (%(first)s::text[])[1 + (o.k * 7 + n) %% %(nf)s] || ' '
                   || (%(last)s::text[])[1 + (o.k * 3 + n * 5) %% %(nl)s],
               CASE WHEN n = 0 THEN 'coordinator' ELSE 'verifier' END, o.id
        FROM scale_office o CROSS JOIN LATERAL generate_series(0, o.n_verifiers) AS n""",
                   {"pw": password_hash, "now": now, "first": w.FIRST_NAMES,
                    "nf": len(w.FIRST_NAMES), "last": w.LAST_NAMES, "nl": len(w.LAST_NAMES)})
    cursor.execute(f"""
        CREATE UNLOGGED TABLE scale_staff AS
        SELECT o.k, n, u.id AS user_id, u.email
        FROM scale_office o CROSS JOIN LATERAL generate_series(0, o.n_verifiers) AS n
        JOIN {user} u ON u.email = CASE WHEN n = 0 THEN 'ketua' ELSE 'verifikator' || n END
                                   || '@skala-' || lpad(o.k::text, 3, '0') || '.lpse.test'""")
    cursor.execute("CREATE UNIQUE INDEX ON scale_staff (k, n)")
    # Each office's verifiers in an array: a registration picks one by subscript.
    cursor.execute("ALTER TABLE scale_office ADD verifiers bigint[]")
    cursor.execute("""
        UPDATE scale_office o SET verifiers = (SELECT array_agg(user_id ORDER BY n)
                                               FROM scale_staff s WHERE s.k = o.k AND n > 0)""")
    cursor.execute(f"""
        INSERT INTO {EmailAddress._meta.db_table} (user_id, email, verified, "primary")
        SELECT user_id, email, true, true FROM scale_staff""")
    cursor.execute(f"""
        INSERT INTO {Authenticator._meta.db_table} (user_id, type, data, created_at)
        SELECT user_id, 'totp', %(data)s::jsonb, %(now)s FROM scale_staff""",
                   {"data": totp_data, "now": now})
    return cursor.rowcount


def reserve_ids(cursor, model, count: int) -> int:
    """Reserve ``count`` ids after the current highest (the sequence moves past them while
    the table is locked); returns the base: the ids are base + 1 … base + count."""
    table = model._meta.db_table
    cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
    base = cursor.fetchone()[0]
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)",
                   [base + count])
    return base


def write_vendors(cursor, lo: int, hi: int, *, base: int, now, salt: int) -> None:
    """Vendor accounts v = lo … hi (ids base + v, reserved), so registration i belongs
    to vendor base + 1 + (i - 1) mod count."""
    user = User._meta.db_table
    cursor.execute(f"""
        INSERT INTO {user} (id, password, is_superuser, is_staff, is_active, date_joined, code,
                            email, full_name, role, office_id)
        SELECT %(base)s + v, '!', false, false, true,
               %(now)s - make_interval(secs => h %% (1100 * 86400)), {uuid_sql("v", salt)},
               lower((%(first)s::text[])[1 + h %% %(nf)s]) || '.pu' || v || '@'
                   || (%(domains)s::text[])[1 + (h / 7) %% %(nd)s],
               (%(first)s::text[])[1 + h %% %(nf)s] || ' '
                   || (%(last)s::text[])[1 + (h / 11) %% %(nl)s],
               'vendor', NULL
        FROM generate_series(%(lo)s, %(hi)s) AS v,
             LATERAL (SELECT hashint8extended(v, 11) & {MASK} AS h) AS x""",
                   {"base": base, "now": now, "lo": lo, "hi": hi, "first": w.FIRST_NAMES,
                    "nf": len(w.FIRST_NAMES), "last": w.LAST_NAMES, "nl": len(w.LAST_NAMES),
                    "domains": w.MAIL_DOMAINS, "nd": len(w.MAIL_DOMAINS)})


def write_registrations(cursor, lo: int, hi: int, *, base: int, now, vendor_base: int,
                   vendors: int, salt: int) -> None:
    """Registrations i = lo … hi (ids base + i, reserved)."""
    table = Registration._meta.db_table
    forms = [i for i, (_, _, weight) in enumerate(w.FORMS, start=1) for _ in range(weight)]
    params = {
        "base": base, "lo": lo, "hi": hi, "now": now, "vbase": vendor_base,
        "vendors": vendors,
        "prefix": [f[0] for f in w.FORMS], "form": [f[1] for f in w.FORMS], "pick": forms,
        "npick": len(forms), "words": w.WORDS, "nw": len(w.WORDS),
        "first": w.FIRST_NAMES, "nf": len(w.FIRST_NAMES), "last": w.LAST_NAMES,
        "nl": len(w.LAST_NAMES), "domains": w.MAIL_DOMAINS, "nd": len(w.MAIL_DOMAINS),
        "region": [r[0] for r in w.REGIONS], "province": [r[1] for r in w.REGIONS],
        "regency": [r[2] for r in w.REGIONS], "postal": [r[3] for r in w.REGIONS],
        "streets": w.STREETS, "ns": len(w.STREETS), "notice": PRIVACY_NOTICE_VERSION,
    }
    cursor.execute(f"""
        INSERT INTO {table} (
            id, code, office_id, vendor_id, status, status_changed_at, created_at, updated_at,
            submitted_at, assigned_to_id, business_form, company_name, npwp, npwp_display, nib,
            address, province, regency, postal_code, phone, email, director_name, director_nik,
            represented, representative_name, representative_nik, has_akta_pendirian,
            has_akta_perubahan, spse_user_id, identifier_warnings, review_round,
            blacklist_checked_at, blacklist_checked_by_id, blacklist_listed, blacklist_note,
            closing_reason, call_held_on, spse_approved_at, spse_approved_by_id,
            spse_approved_user_id, countersigned_at, countersigned_by_id,
            receipt_reminder_sent_at, consent_version, consent_at, consent_ip,
            revision_deadline, revision_deadline_extension_reason, sla_used_days,
            sla_running_since, sla_due_on)
        SELECT %(base)s + i, {uuid_sql("i", salt)}, office_id,
            %(vbase)s + 1 + (i - 1) %% %(vendors)s,
            status, changed, created, changed,
            CASE WHEN status = 'draft' THEN NULL WHEN status = 'submitted' THEN changed
                 ELSE created + (changed - created) * 0.3 END,
            verifier, (%(form)s::text[])[f],
            CASE WHEN (%(prefix)s::text[])[f] = '' THEN director
                 ELSE (%(prefix)s::text[])[f] || ' ' || w1 || ' ' || w2
                      || CASE WHEN h5 %% 10 < 3 THEN ' ' || w3 ELSE '' END END,
            '0' || npwp15, substr(npwp15, 1, 2) || '.' || substr(npwp15, 3, 3) || '.'
                || substr(npwp15, 6, 3) || '.' || substr(npwp15, 9, 1) || '-'
                || substr(npwp15, 10, 3) || '.' || substr(npwp15, 13, 3),
            '912' || lpad(((i * 7933) %% 10000000000)::text, 10, '0'),
            (%(streets)s::text[])[1 + h6 %% %(ns)s] || ' No. ' || (1 + h6 %% 200),
            (%(province)s::text[])[region], (%(regency)s::text[])[region],
            (%(postal)s::text[])[region] || lpad((h6 %% 100)::text, 2, '0'),
            '+628' || (11 + h7 %% 8) || lpad(((h7 / 13) %% 100000000)::text, 8, '0'),
            lower(w1 || '.' || w2) || i || '@' || (%(domains)s::text[])[1 + h7 %% %(nd)s],
            director, {nik_sql('region', 'h8')}, h5 %% 10 = 0,
            CASE WHEN h5 %% 10 = 0 THEN (%(first)s::text[])[1 + h8 %% %(nf)s] || ' '
                 || (%(last)s::text[])[1 + h6 %% %(nl)s] ELSE '' END,
            CASE WHEN h5 %% 10 = 0 THEN {nik_sql(f'1 + (region %% {len(w.REGIONS)})', 'h6')}
                 ELSE '' END,
            (%(prefix)s::text[])[f] NOT IN ('', 'UD') AND h8 %% 10 < 8,
            (%(prefix)s::text[])[f] NOT IN ('', 'UD') AND h8 %% 10 < 3,
            CASE WHEN status = 'draft' THEN '' ELSE lower(w1 || w2) || i END, '[]'::jsonb,
            CASE WHEN status = 'draft' THEN 0 ELSE 1 + (h6 %% 5 = 0)::int END,
            CASE WHEN status IN {_in(ACCEPTED)} OR status = 'rejected'
                 THEN created + (changed - created) * 0.5 END,
            CASE WHEN status IN {_in(ACCEPTED)} OR status = 'rejected' THEN verifier END,
            CASE WHEN status IN {_in(ACCEPTED)} THEN false
                 WHEN status = 'rejected' THEN h7 %% 5 = 0 END,
            '',
            CASE WHEN status = 'rejected' THEN 'Dokumen tidak sesuai dengan data perusahaan.'
                 WHEN status = 'withdrawn' THEN 'Dibatalkan oleh Pelaku Usaha.' ELSE '' END,
            CASE WHEN status IN {_in(CALL_HELD)}
                 THEN (created + (changed - created) * 0.8)::date END,
            CASE WHEN status IN ('certificate_sent', 'completed')
                 THEN created + (changed - created) * 0.9 END,
            CASE WHEN status IN ('certificate_sent', 'completed') THEN verifier END,
            CASE WHEN status IN ('certificate_sent', 'completed') THEN lower(w1 || w2) || i
                 ELSE '' END,
            NULL, NULL, NULL,
            CASE WHEN status = 'draft' THEN '' ELSE %(notice)s END,
            CASE WHEN status = 'draft' THEN NULL
                 WHEN status = 'submitted' THEN changed
                 ELSE created + (changed - created) * 0.3 END,
            CASE WHEN status = 'draft' THEN NULL
                 ELSE ('36.' || (64 + h7 %% 64) || '.' || (h8 %% 256) || '.'
                       || (1 + h6 %% 254))::inet END,
            -- The deadline and the clock in calendar days (3 weeks; a week), close enough
            -- to working days for the queue's filters.
            CASE WHEN status IN ('revision_requested', 'lapsed')
                 THEN (changed + interval '21 days')::date END,
            '', CASE WHEN status IN {_in(SLA_RUNNING)} THEN h5 %% 3 ELSE 0 END,
            CASE WHEN status IN {_in(SLA_RUNNING)} THEN changed::date END,
            CASE WHEN status IN {_in(SLA_RUNNING)} THEN (changed + interval '7 days')::date END
        FROM (
            SELECT g.*, created + (%(now)s - created) * CASE WHEN status = 'draft' THEN 0.05
                        ELSE (h3 %% 1000) / 1000.0 END AS changed,
                   CASE WHEN status = 'draft' THEN NULL
                        WHEN status = 'submitted' AND h4 %% 2 = 0 THEN NULL
                        WHEN status = 'withdrawn' AND h4 %% 3 = 0 THEN NULL
                        ELSE g.verifiers[1 + h4 %% g.n_verifiers] END
                       AS verifier,
                   (%(first)s::text[])[1 + h6 %% %(nf)s] || ' '
                       || (%(last)s::text[])[1 + h7 %% %(nl)s] AS director,
                   (%(words)s::text[])[1 + h5 %% %(nw)s] AS w1,
                   (%(words)s::text[])[1 + (h5 %% %(nw)s + 1 + h6 %% (%(nw)s - 1)) %% %(nw)s]
                       AS w2,
                   (%(words)s::text[])[1 + h8 %% %(nw)s] AS w3,
                   base8 || {luhn_sql("base8")} || lpad((100 + h4 %% 900)::text, 3, '0')
                       || '000' AS npwp15
            FROM (
                SELECT i, o.k, o.id AS office_id, o.n_verifiers, o.verifiers,
                       1 + o.region AS region,
                       h.*, {_status_case("h.h1")} AS status,
                       (%(pick)s::int[])[1 + h.h2 %% %(npick)s] AS f,
                       lpad(((i * 7919 + 10000000) %% 100000000)::text, 8, '0') AS base8,
                       %(now)s - make_interval(secs => h.h2 %% (86400 * CASE
                           WHEN h.h1 %% 1000 < 600 THEN 1095
                           WHEN h.h1 %% 1000 < 680 THEN 365 ELSE 120 END)) AS created
                FROM scale_office o
                CROSS JOIN LATERAL generate_series(greatest(o.lo, %(lo)s),
                                                   least(o.lo + o.n_regs - 1, %(hi)s)) AS i
                CROSS JOIN LATERAL (SELECT hashint8extended(i, 1) & {MASK} AS h1,
                    hashint8extended(i, 2) & {MASK} AS h2, hashint8extended(i, 3) & {MASK} AS h3,
                    hashint8extended(i, 4) & {MASK} AS h4, hashint8extended(i, 5) & {MASK} AS h5,
                    hashint8extended(i, 6) & {MASK} AS h6, hashint8extended(i, 7) & {MASK} AS h7,
                    hashint8extended(i, 8) & {MASK} AS h8) AS h
                OFFSET 0
            ) AS g
            OFFSET 0  -- each derived value computed once per row, not once per use
        ) AS r""", params)


def write_documents(cursor, lo: int, hi: int, salt: int) -> None:
    """The applicable Lampiran 1 documents of every submitted registration (a draft has
    about two thirds of them), version 1, without files."""
    cursor.execute(f"""
        INSERT INTO {Document._meta.db_table} (
            code, registration_id, document_type_id, version, file, original_name, sha256,
            original_sha256, size, page_count, repaired, from_photos, check_warnings, thumbnail,
            uploaded_by_id, uploaded_at, purged_at, check_state, check_message, checked_at,
            incoming)
        SELECT {uuid_sql("x.key", salt)}, r.id, dt.id, 1, '', dt.code || '.pdf',
               x.sha, CASE WHEN x.h %% 7 = 0 THEN ''  -- made from photos: no original
                           WHEN x.h %% 25 = 0 THEN reverse(x.sha) ELSE x.sha END,
               80000 + x.h %% 3000000, 1 + x.h %% 4, x.h %% 25 = 0, x.h %% 7 = 0, '[]'::jsonb,
               '', r.vendor_id,
               coalesce(r.submitted_at, r.status_changed_at) - make_interval(mins => dt."order"),
               NULL, 'accepted', '',
               coalesce(r.submitted_at, r.status_changed_at) - make_interval(mins => dt."order"),
               '[]'::jsonb
        FROM {Registration._meta.db_table} r
        JOIN {DocumentType._meta.db_table} dt ON dt.office_id = r.office_id AND dt.active
             AND (dt.condition = 'always'
                  OR (dt.condition = 'has_akta_pendirian' AND r.has_akta_pendirian)
                  OR (dt.condition = 'has_akta_perubahan' AND r.has_akta_perubahan)
                  OR (dt.condition = 'represented' AND r.represented)),
             LATERAL (SELECT r.id * 16 + dt."order" AS key) AS k,
             LATERAL (SELECT k.key, hashint8extended(k.key, 9) & {MASK} AS h,
                             {hex64_sql("k.key")} AS sha) AS x
        WHERE r.id BETWEEN %(lo)s AND %(hi)s AND (r.status <> 'draft' OR x.h %% 3 <> 0)""",
                   {"lo": lo, "hi": hi})
