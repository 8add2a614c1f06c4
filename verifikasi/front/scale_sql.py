"""SQL expressions the national-scale seed (scale_seed.py) builds its rows with: codes,
fake file hashes and identifiers with valid check digits, each a pure function of a row
number (``hashint8extended``). ``%%`` is a literal ``%`` in the seed's parametrised SQL.
"""


def uuid_sql(key: str, salt: int) -> str:
    """SQL: a version-4-shaped UUID from two hashes of ``key`` and this run's random salt
    (unique as random ones are, and unpredictable from one seed to the next; the unique
    constraints check it). Two hashes cost PostgreSQL a third of one gen_random_uuid()."""
    return (f"encode(int8send((hashint8extended({key}, {salt}) & ~61440::bigint) | 16384)"
            f" || int8send((hashint8extended({key}, {salt + 1}) & 4611686018427387903)"
            f" | (-9223372036854775807 - 1)), 'hex')::uuid")


def hex64_sql(key: str) -> str:
    """SQL: 64 hex digits, a pure function of ``key`` (a document's fake SHA-256; four
    hashes cost a quarter of two md5() of text)."""
    return ("encode(" + " || ".join(f"int8send(hashint8extended({key}, {seed}))"
                                    for seed in (21, 22, 23, 24)) + ", 'hex')")


def luhn_sql(text: str) -> str:
    """SQL: the Luhn check digit of an 8-digit text (python-stdnum's NPWP check)."""
    terms = []
    for k in range(1, 9):
        digit = f"substr({text}, {k}, 1)::int"
        # From the right, the 1st, 3rd, … payload digits are doubled.
        terms.append(f"((2 * {digit}) %% 10 + (2 * {digit}) / 10)" if k % 2 == 0 else digit)
    return f"((10 - ({' + '.join(terms)}) %% 10) %% 10)::text"


def nik_sql(region: str, h: str) -> str:
    """SQL: a NIK with a known region, a real birth date (day + 40 for women), a serial."""
    return (f"((%(region)s::text[])[{region}] || lpad((1 + {h} %% 20)::text, 2, '0')"
            f" || lpad((1 + {h} %% 28 + CASE WHEN {h} %% 2 = 1 THEN 40 ELSE 0 END)::text, 2, '0')"
            f" || lpad((1 + ({h} / 3) %% 12)::text, 2, '0')"
            f" || lpad((60 + ({h} / 5) %% 40)::text, 2, '0')"
            f" || lpad((1 + ({h} / 7) %% 9999)::text, 4, '0'))")
