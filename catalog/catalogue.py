"""The merged catalogue and its loader: every file checked, every problem reported at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from catalog.catalogue_checks import feature_problems, previous_key_problems
from catalog.guid import DEFAULT_APP_ROLE_ID
from catalog.models import ApiFile, AppEntry, AppsFile, FeatureEntry
from catalog.problems import ConfigurationError, Problem, problems_from_validation
from catalog.yamlfile import read_yaml


@dataclass(frozen=True)
class App:
    key: str
    file: str
    entry: AppEntry

    @property
    def client_id(self) -> str:
        return self.entry.client_id


@dataclass(frozen=True)
class Feature:
    key: str
    file: str
    entry: FeatureEntry

    @property
    def app(self) -> str:
        return self.entry.app

    def scopes(self, api: str, optional: Iterable[str] = ()) -> frozenset[str]:
        """Required scopes on `api`, plus those of `optional` this feature offers there."""
        grant = self.entry.grants.get(api)
        if grant is None:
            return frozenset()
        return frozenset(grant.required) | (frozenset(grant.optional) & frozenset(optional))

    def optional_scopes(self) -> frozenset[str]:
        return frozenset(s for g in self.entry.grants.values() for s in g.optional)


@dataclass(frozen=True)
class Catalogue:
    root: Path
    apis: dict[str, ApiFile]
    apps: dict[str, App]
    features: dict[str, Feature]
    api_files: dict[str, str] = field(default_factory=dict)

    def api_by_app_id(self, app_id: str) -> ApiFile | None:
        return next((a for a in self.apis.values() if a.app_id == app_id.lower()), None)

    def app_by_client_id(self, client_id: str) -> App | None:
        return next((a for a in self.apps.values() if a.client_id == client_id.lower()), None)

    def features_of(self, app: str) -> list[Feature]:
        return [f for f in self.features.values() if f.app == app]

    def listed_scopes(self, app: str, api: str) -> frozenset[str]:
        """Every scope (required or optional) any feature of `app` lists on `api`."""
        out: set[str] = set()
        for feature in self.features_of(app):
            grant = feature.entry.grants.get(api)
            if grant is not None:
                out.update(grant.required, grant.optional)
        return frozenset(out)

    def app_role_id(self, app: str, role: str | None) -> str:
        if role is None:
            return DEFAULT_APP_ROLE_ID
        return self.apps[app].entry.app_roles[role].id


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def folder_exists(path: Path) -> bool:
    """False also for a name the system refuses (too long, a NUL byte), which a stack file can
    hold: it is then "not found", not a traceback."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def load_catalogue(root: Path | str, relative_to: Path | None = None) -> Catalogue:
    """File names in problems are shown relative to `relative_to` (the project folder, so they
    can be opened from there), by default relative to the catalogue folder's parent."""
    root = Path(root)
    base = relative_to if relative_to is not None else root.parent
    problems: list[Problem] = []
    if not folder_exists(root):
        shown = _display(root, relative_to) if relative_to is not None else str(root)
        raise ConfigurationError(
            [Problem(shown, "", "catalogue folder not found (check entra-consent:catalog)")]
        )

    apis: dict[str, ApiFile] = {}
    api_files: dict[str, str] = {}
    for path in sorted((root / "apis").glob("*.yaml")):
        file = _display(path, base)
        data, found = read_yaml(path, file)
        problems.extend(found)
        if data is None:
            continue
        try:
            api = ApiFile.model_validate(data)
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, file))
            continue
        if api.key != path.stem:
            problems.append(
                Problem(
                    file,
                    "key",
                    f"{api.key!r} differs from the file name (name the file {api.key}.yaml)",
                )
            )
        if api.key in apis:
            problems.append(
                Problem(file, "key", f"API {api.key!r} is already defined in {api_files[api.key]}")
            )
            continue
        other = next((k for k, a in apis.items() if a.app_id == api.app_id), None)
        if other is not None:
            problems.append(
                Problem(
                    file, "app_id", f"same app_id as API {other!r} in {api_files[other]} (keep one)"
                )
            )
        apis[api.key] = api
        api_files[api.key] = file

    apps: dict[str, App] = {}
    features: dict[str, Feature] = {}
    for path in sorted((root / "apps").glob("*.yaml")):
        file = _display(path, base)
        data, found = read_yaml(path, file)
        problems.extend(found)
        if data is None:
            continue
        try:
            vendor = AppsFile.model_validate(data)
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, file))
            continue
        for key, entry in vendor.apps.items():
            if key in apps:
                problems.append(
                    Problem(
                        file,
                        f"apps.{key}",
                        f"app key already used in {apps[key].file} (rename one)",
                    )
                )
                continue
            twin = next((a for a in apps.values() if a.client_id == entry.client_id), None)
            if twin is not None:
                problems.append(
                    Problem(
                        file,
                        f"apps.{key}.client_id",
                        f"client id already listed as app {twin.key!r} in {twin.file} "
                        "(one entry per enterprise app; list its features under that app)",
                    )
                )
            for role_key, role in entry.app_roles.items():
                if role.id == DEFAULT_APP_ROLE_ID:
                    problems.append(
                        Problem(
                            file,
                            f"apps.{key}.app_roles.{role_key}.id",
                            "the default role needs no entry (remove it)",
                        )
                    )
            apps[key] = App(key, file, entry)
        for key, fentry in vendor.features.items():
            if key in features:
                problems.append(
                    Problem(
                        file,
                        f"features.{key}",
                        f"feature key already used in {features[key].file} (feature keys are unique across the catalogue)",
                    )
                )
                continue
            features[key] = Feature(key, file, fentry)

    for feature in features.values():
        problems.extend(feature_problems(feature, apps, apis))
    problems.extend(
        previous_key_problems(
            "API", {k: (api_files[k], "previous_keys", a.previous_keys) for k, a in apis.items()}
        )
    )
    problems.extend(
        previous_key_problems(
            "app",
            {
                k: (a.file, f"apps.{k}.previous_keys", a.entry.previous_keys)
                for k, a in apps.items()
            },
        )
    )

    if problems:
        raise ConfigurationError(problems)
    return Catalogue(root=root, apis=apis, apps=apps, features=features, api_files=api_files)
