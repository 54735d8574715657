"""Exit 0 when this interpreter's installed distributions satisfy every line of a
requirements file (extras included); otherwise print what is missing and exit 1.

Fast (no network, no resolver): it only reads installed metadata, so `npm test` can ask it
on every run. pip's vendored `packaging` is used so nothing beyond pip is needed.
"""

import sys
from importlib import metadata

try:
    from packaging.requirements import Requirement
except ImportError:  # pragma: no cover - packaging is not always installed on its own
    from pip._vendor.packaging.requirements import Requirement


def unmet(requirement: Requirement, extras_of_parent: frozenset = frozenset()) -> list:
    if requirement.marker and not any(
        requirement.marker.evaluate({"extra": extra}) for extra in (extras_of_parent or {""})
    ):
        return []
    try:
        version = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return [f"{requirement} (not installed)"]
    if requirement.specifier and not requirement.specifier.contains(version, prereleases=True):
        return [f"{requirement} (installed: {version})"]
    problems = []
    if requirement.extras:
        for line in metadata.requires(requirement.name) or []:
            dependency = Requirement(line)
            if dependency.marker and any(
                dependency.marker.evaluate({"extra": extra}) for extra in requirement.extras
            ):
                dependency.marker = None
                problems += unmet(dependency)
    return problems


def main(path: str) -> int:
    problems = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if line:
                problems += unmet(Requirement(line))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
