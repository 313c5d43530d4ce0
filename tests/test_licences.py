"""The course can be reused: a licence for the code, one for the prose and figures, both declared
in pyproject.toml and the README, and a CITATION.cff that agrees with them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def project_field(name: str):
    """A value of pyproject.toml's [project] table (tomllib is Python 3.11+; we support 3.10)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(name)} = (.+)$", text, re.MULTILINE)
    assert match, f"pyproject.toml has no {name}"
    return ast.literal_eval(match.group(1).split("  #")[0].strip())


def test_the_licence_files_are_the_licences_they_claim_to_be():
    mit = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert mit.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in mit
    cc = (ROOT / "LICENSE-CC-BY-4.0.txt").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International Public License" in cc
    assert all(f"Section {n} --" in cc for n in range(1, 9)), "the legal code is complete"


def test_pyproject_declares_both_licences_and_ships_their_files():
    assert project_field("license") == "MIT AND CC-BY-4.0"
    for name in project_field("license-files"):
        assert (ROOT / name).is_file(), name


def test_citation_cff_has_what_cff_1_2_requires_and_the_same_licences():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["message"] and cff["title"] and cff["authors"]
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    assert set(cff["license"]) == set(project_field("license").split(" AND "))
    assert str(cff["version"]) == project_field("version")


def test_the_readme_states_both_licences():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Licences", 1)[1]
    assert re.search(r"MIT licence.*\(LICENSE\)", section, re.DOTALL)
    assert "CC BY 4.0" in section and "LICENSE-CC-BY-4.0.txt" in section
    assert "CITATION.cff" in section
