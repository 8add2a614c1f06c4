"""The fault run's printout: a row per fault (what fell in its window), the totals, the
client-side errors, the first findings of each kind, and the one-line verdict."""

from collections import Counter

from .checks import Report
from .client import Errors

KINDS = ("lost", "duplicated", "orphaned", "stuck", "broken")


def window_of(windows: list[tuple[str, float]], at: float) -> str:
    name = windows[0][0]
    for title, start in windows:
        if at >= start:
            name = title
    return name


def print_report(report: Report, windows, notes: dict[str, str], errors: Errors) -> int:
    table = {title: Counter() for title, _ in windows}
    for finding in report.findings:
        table[window_of(windows, finding.at)][finding.kind] += 1
    problems = {title: [0, 0] for title, _ in windows}
    for problem in errors.items:
        problems[window_of(windows, problem.at)][0 if problem.clear else 1] += 1
    print()
    print(f"{'window':<28}{'lost':>6}{'dup':>6}{'orphan':>8}{'stuck':>7}{'broken':>8}"
          f"   client errors (clear / unclear)")
    total = Counter()
    for title, _ in windows:
        row = table[title]
        clear, unclear = problems[title]
        row["broken"] += unclear  # an error page without a clear message is broken
        total.update(row)
        print(f"{title:<28}{row['lost']:>6}{row['duplicated']:>6}{row['orphaned']:>8}"
              f"{row['stuck']:>7}{row['broken']:>8}   {clear} / {unclear}")
    clear = sum(1 for p in errors.items if p.clear)
    print(f"{'total':<28}{total['lost']:>6}{total['duplicated']:>6}{total['orphaned']:>8}"
          f"{total['stuck']:>7}{total['broken']:>8}   {clear} / {len(errors.items) - clear}")
    print()
    print("faults as injected:")
    for title, note in notes.items():
        print(f"  {title}: {note}")
    print()
    print("client-side errors (what a person saw), by kind:")
    kinds = Counter((p.status or "no answer", p.clear, p.what.split(":")[0])
                    for p in errors.items)
    for (status, is_clear, what), n in kinds.most_common(20):
        label = "clear message" if is_clear else (
            "connection failed" if status == "no answer" else "no clear message")
        print(f"  {n:>4} × HTTP {status} on {what} ({label})")
    if not errors.items:
        print("  none")
    print()
    print("findings (first 8 of each kind):")
    for kind in (*KINDS, "redelivered"):
        found = [f for f in report.findings if f.kind == kind]
        for finding in found[:8]:
            print(f"  {kind:<10} [{window_of(windows, finding.at)}] {finding.what}")
        if len(found) > 8:
            print(f"  {kind:<10} … and {len(found) - 8} more")
    print()
    for name, value in report.facts.items():
        if name != "bytes":
            print(f"{name}: {value}")
    sizes = report.facts.get("bytes", {})
    if sizes:
        print("stored bytes: " + ", ".join(f"{k} {v / 1024:.0f} KiB"
                                           for k, v in sorted(sizes.items())))
    print()
    print(f"faults: lost {total['lost']}, duplicated {total['duplicated']}, "
          f"orphaned {total['orphaned']}, stuck {total['stuck']}, broken {total['broken']}")
    return 1 if any(total[k] for k in KINDS) else 0
