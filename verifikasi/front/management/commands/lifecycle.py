"""Print the lifecycle maps: every action, its states, who may, its conditions and effects."""

import io
import re
from pathlib import Path

from django.core.management.base import BaseCommand

from verifikasi.registrations import workflow
from verifikasi.scheduling import lifecycle as appointment_lifecycle


def _cell(values) -> str:
    return ", ".join(values) if values else "—"


class Command(BaseCommand):
    help = ("Print the registration lifecycle (and the appointment's) as the apps registered it: "
            "states, actions, who may act, conditions and effects.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "markdown", "mermaid"], default="text",
                            help="text for reading here, markdown for a table, mermaid for a "
                                 "state diagram")
        parser.add_argument("--update-doc", metavar="PATH",
                            help="rewrite the marked lifecycle sections of a Markdown file "
                                 "(docs/architecture.md) instead of printing")

    def handle(self, *args, format="text", update_doc=None, **options):
        if update_doc:
            path = Path(update_doc)
            path.write_text(doc_with_lifecycle(path.read_text()))
            return
        rows = workflow.describe()
        if format == "mermaid":
            self._mermaid(rows)
        elif format == "markdown":
            self._markdown(rows)
        else:
            self._text(rows)

    def _text(self, rows):
        out = self.stdout
        out.write("Registration lifecycle (verifikasi.registrations.workflow)\n")
        for row in rows:
            out.write(f"\n{row['action']}  [{row['spec']}]\n")
            out.write(f"  from:       {_cell(row['from'])}\n")
            out.write(f"  to:         {_cell(row['to'])}\n")
            out.write(f"  who:        {_cell(row['who'])}\n")
            for label in ("conditions", "effects"):
                items = row[label] or ["—"]
                out.write(f"  {label + ':':<11} {items[0]}\n")
                for item in items[1:]:
                    out.write(f"  {'':<11} {item}\n")
        out.write("\nOffice actions\n")
        for a in workflow.OFFICE_ACTIONS.values():
            out.write(f"  {a.name} [{a.spec}]: {_cell(sorted(a.roles))} of the office\n")
        out.write("\nAppointment lifecycle (verifikasi.scheduling.lifecycle)\n")
        for row in appointment_lifecycle.describe():
            out.write(f"  {row['action']}: {_cell(row['from'])} -> {_cell(row['to'])}; "
                      f"audit {row['audit']}; effects: {_cell(row['effects'])}\n")

    def _markdown(self, rows):
        out = self.stdout
        out.write("| action | from | to | who | spec | conditions | effects |\n")
        out.write("|---|---|---|---|---|---|---|\n")
        for row in rows:
            conditions = "<br>".join(c.split(" — ")[0] for c in row["conditions"]) or "—"
            effects = "<br>".join(e.split(" — ")[0] for e in row["effects"]) or "—"
            out.write(f"| `{row['action']}` | {_cell(row['from'])} | {_cell(row['to'])} | "
                      f"{_cell(row['who'])} | {row['spec']} | {conditions} | {effects} |\n")

    def _mermaid(self, rows):
        out = self.stdout
        out.write("stateDiagram-v2\n")
        for row in rows:
            if row["to"] == ["(status stays)"]:
                continue
            sources = row["from"] if len(row["from"]) < 6 else ["(any open state)"]
            for source in sources:
                for target in row["to"]:
                    name = source.replace("(any open state)", "open")
                    out.write(f"    {name} --> {target}: {row['action']}\n")


def render(format: str) -> str:
    out = io.StringIO()
    Command(stdout=out).handle(format=format)
    return out.getvalue()


def doc_with_lifecycle(text: str) -> str:
    """``text`` with its ``<!-- lifecycle:FORMAT -->`` sections replaced by the current map."""
    for format in ("mermaid", "markdown"):
        body = render(format)
        if format == "mermaid":
            body = f"```mermaid\n{body}```\n"
        text = re.sub(rf"(<!-- lifecycle:{format} -->\n).*?(<!-- /lifecycle:{format} -->)",
                      lambda m, body=body: m.group(1) + body + m.group(2), text, flags=re.S)
    return text
