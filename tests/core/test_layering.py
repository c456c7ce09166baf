"""The import-linter contracts in pyproject.toml (run by `lint-imports` in `make test`)
cover the whole tree: every app is analysed, and every module of an app's web layer
(views, forms, urls, template tags, API, admin) is protected by its app's contract."""

import re
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}
LAYERS = ("views", "forms", "urls", "templatetags", "api", "admin")
# A module of the web layer: a module or package named after a layer, or a flat
# `<feature>_<layer>` module (say a future `community.widget_views`).
WEB = re.compile(rf"(^|_)({'|'.join(LAYERS)})$")


def _local_apps() -> list[str]:
    return sorted(
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT and "." not in config.name
    )


def _modules(app: str) -> set[str]:
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.add(".".join(parts))
    return found


def _web_layer(app: str) -> set[str]:
    """The top of each piece of the web layer (a package, not each of its modules)."""
    modules = _modules(app)
    tops = {m for m in modules if any(WEB.search(part) for part in m.split(".")[1:])}
    return {m for m in tops if not any(m.startswith(f"{other}.") for other in tops)}


def _covered(module: str, protected: list[str]) -> bool:
    for entry in protected:
        if "**" in entry:
            app, layer = entry.split(".**.")
            parts = module.split(".")
            if parts[0] == app and len(parts) >= 3 and layer in parts[2:]:
                return True
        elif module == entry or module.startswith(f"{entry}."):
            return True
    return False


def test_every_app_of_the_project_is_analysed():
    assert {*_local_apps(), "core", "config", "demo", "bench"} <= set(CONFIG["root_packages"])


def test_the_web_layer_is_found_in_every_layout():
    assert {"rewards.fraud.views", "rewards.bounties.forms", "rewards.templatetags"} <= (
        _web_layer("rewards")
    )
    assert {"community.api", "community.views"} <= _web_layer("community")
    assert {"accounts.tokens.views", "accounts.tokens.api"} <= _web_layer("accounts")


def test_every_module_of_an_apps_web_layer_is_protected_by_its_contract():
    unprotected = {}
    for app in sorted(set(CONFIG["root_packages"]) - {"core", "config", "demo", "bench"}):
        web = _web_layer(app)
        contract = CONTRACTS.get(f"web-{app}", {"protected_modules": []})
        missing = sorted(m for m in web if not _covered(m, contract["protected_modules"]))
        if missing:
            unprotected[app] = missing

    assert unprotected == {}, "add these to the app's contract in pyproject.toml"


def test_only_the_app_itself_config_and_bench_import_a_web_layer():
    for contract_id, contract in CONTRACTS.items():
        if contract_id.startswith("web-"):
            app = contract_id.removeprefix("web-")
            assert contract["type"] == "protected"
            assert contract["allowed_importers"] == [app, "config", "bench"]
