"""A stack's files as they were at a git ref, copied into a temporary folder: the stack file and
the catalogue it names, at the same paths relative to the repository root (`git show REF:path`)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from catalog.problems import ConfigurationError, Problem
from catalog.yamlfile import parse_yaml
from components.core.stack_file import stack_file_name

DEFAULT_CATALOG = "catalog"


@dataclass(frozen=True)
class BaseCheckout:
    project_dir: Path  # inside the temporary folder
    stack_exists: bool
    catalogue_files: dict[str, bytes]  # repository path -> content at the ref


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def _fail(ref: str, message: str) -> ConfigurationError:
    return ConfigurationError([Problem(f"--base {ref}", "", message)])


def checkout_base(project_dir: Path, stack: str, ref: str, into: Path) -> BaseCheckout:
    """Write the stack file and its catalogue at `ref` under `into`. Raises ConfigurationError
    when `project_dir` is not in a git repository or `ref` is not a commit."""
    try:
        prefix = _git(project_dir, "rev-parse", "--show-prefix")
    except OSError as exc:
        raise _fail(ref, f"cannot run git: {exc.strerror or exc} (install git)") from None
    if prefix.returncode != 0:
        raise _fail(ref, f"{project_dir} is not in a git repository (run inside a clone)")
    if _git(project_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode:
        raise _fail(ref, "no such commit (fetch it first, e.g. git fetch origin main)")
    base_dir = into / prefix.stdout.decode().strip()
    base_dir.mkdir(parents=True, exist_ok=True)
    project = PurePosixPath(prefix.stdout.decode().strip())

    file = stack_file_name(stack)
    shown = _git(project_dir, "show", f"{ref}:./{file}")
    if shown.returncode != 0:
        return BaseCheckout(base_dir, stack_exists=False, catalogue_files={})
    (base_dir / file).write_bytes(shown.stdout)

    catalog = _catalog_setting(shown.stdout)
    catalog_path = _normalised(project / catalog)
    files: dict[str, bytes] = {}
    if catalog_path is not None:
        listed = _git(
            project_dir,
            "ls-tree",
            "-r",
            "-z",
            "--full-name",
            "--name-only",
            ref,
            "--",
            f"./{catalog}",
        )
        names = listed.stdout.decode().split("\0")
        for name in (n for n in names if is_catalogue_data(n, catalog_path)):
            blob = _git(project_dir, "show", f"{ref}:{name}")
            if blob.returncode == 0:
                files[name] = blob.stdout
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(blob.stdout)
    return BaseCheckout(base_dir, stack_exists=True, catalogue_files=files)


def _catalog_setting(stack_text: bytes) -> str:
    """`entra-consent:catalog` as written, or the default; the settings checks report any
    problem with it when the base is planned."""
    data, _ = parse_yaml(stack_text, "")
    config = data.get("config") if isinstance(data, dict) else None
    value = config.get("entra-consent:catalog") if isinstance(config, dict) else None
    return value if isinstance(value, str) and value else DEFAULT_CATALOG


def _normalised(path: PurePosixPath) -> PurePosixPath | None:
    """`a/b/../c` -> `a/c`; None when the path leaves the repository."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return PurePosixPath(*parts)


def is_catalogue_data(name: str, catalog_path: PurePosixPath) -> bool:
    """The files `load_catalogue` reads: `<catalog>/apis/*.yaml` and `<catalog>/apps/*.yaml`."""
    path = PurePosixPath(name)
    return path.suffix == ".yaml" and path.parent in (catalog_path / "apis", catalog_path / "apps")


def catalogue_files_now(project_dir: Path, catalog: str) -> dict[str, bytes]:
    """The working tree's catalogue data files, by repository path."""
    top = _git(project_dir, "rev-parse", "--show-toplevel").stdout.decode().strip()
    root = (project_dir / catalog).resolve()
    out: dict[str, bytes] = {}
    for sub in ("apis", "apps"):
        for path in sorted((root / sub).glob("*.yaml")):
            try:
                out[path.relative_to(Path(top).resolve()).as_posix()] = path.read_bytes()
            except ValueError:
                continue
    return out
