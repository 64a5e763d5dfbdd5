"""The package layout shows the pipeline: one sub-package per stage, each importing only from earlier ones."""

import ast

from conftest import REPO

PACKAGE = REPO / "src" / "ldnsite"
STAGES = ["content", "plan", "output", "commands"]
"""The stages in the order the data flows: reading content -> planning the site -> writing the output, then the commands."""


def ldnsite_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """Every ``ldnsite.*`` module a file imports, at the top or lazily inside a function."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ldnsite"):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name.startswith("ldnsite"))
    return found


def test_the_package_is_grouped_by_stage():
    folders = sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__")
    assert folders == sorted(STAGES)
    assert all((PACKAGE / stage / "__init__.py").is_file() for stage in STAGES)


def test_no_stage_imports_a_later_one():
    backwards = []
    for stage in STAGES:
        for file in sorted((PACKAGE / stage).rglob("*.py")):
            for line, module in ldnsite_imports(ast.parse(file.read_text(encoding="utf-8"))):
                parts = module.split(".")
                if len(parts) > 1 and parts[1] in STAGES and STAGES.index(parts[1]) > STAGES.index(stage):
                    backwards.append(f"{file.relative_to(PACKAGE)}:{line}: {module}")
    assert backwards == []


def test_the_shared_modules_at_the_top_import_no_stage_but_lazily():
    """cli.py, errors.py, problems.py... are used by every stage: at import time they need at most the model's pickling."""
    eager = []
    for file in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in tree.body:
            modules = [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            modules += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for module in modules:
                parts = module.split(".")
                if len(parts) > 1 and parts[1] in STAGES and module != "ldnsite.content.pickling":
                    eager.append(f"{file.name}:{node.lineno}: {module}")
    assert eager == []
