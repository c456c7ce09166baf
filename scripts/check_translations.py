"""The German catalogue must be complete: refresh it from the sources, then check it.

Runs `makemessages -l de`, so a new string that nobody translated shows up as
untranslated here, and checks that the compiled .mo matches the .po.
"""

import os
import re
import sys
from pathlib import Path

import django
import polib
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv/*", "var/*", "staticfiles/*", "tests/*", "bench/*", "scripts/*", "node_modules/*"]


# makemessages finds gettext, gettext_lazy, ngettext... and `_`; a string marked through
# any other alias (`_l = gettext_lazy`) is silently left out of the catalogue.
ALIAS = re.compile(r"import (?:n|p)?gettext\w* as (?!_\b)\w+|^\w+ = (?:n|p)?gettext\w*$", re.M)


def aliases() -> list[str]:
    skip = {".venv", ".git", "var", "staticfiles", "node_modules"}
    tops = [p for p in ROOT.iterdir() if p.is_dir() and p.name not in skip]
    return [
        f"{path.relative_to(ROOT)}: translation function aliased ({match[0]}); use its name or _"
        for top in tops
        for path in top.rglob("*.py")
        for match in ALIAS.finditer(path.read_text())
    ]


def main() -> int:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    django.setup()
    call_command(
        "makemessages", locale=["de"], ignore_patterns=IGNORE, no_obsolete=True, verbosity=0
    )
    po = polib.pofile(str(PO))
    problems = aliases()
    problems += [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    problems += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    stale = [
        e.msgid
        for e in po.translated_entries()
        if not e.msgid_plural and compiled.get((e.msgctxt, e.msgid)) != e.msgstr
    ]
    if stale:
        problems.append(
            f"locale/de/LC_MESSAGES/django.mo is stale ({len(stale)} entries differ): "
            "run `manage.py compilemessages`"
        )
    if problems:
        print("German catalogue incomplete:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"German catalogue complete: {len(po.translated_entries())} messages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
