"""Ship the repository's top-level templates/ inside the package, as fkj_cli/templates.

Everything else about the build is in pyproject.toml. The templates stay where the
project keeps them, at the top of the repository; a wheel carries a copy of the
whole folder in the package, where fkj_cli.resources looks first. An editable
install copies nothing and fkj_cli.resources finds the checkout's templates/.
MANIFEST.in puts templates/ in the sdist, so that a wheel built from the sdist
has them too.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = "templates"
TARGET = ("fkj_cli", "templates")


class build_py_with_templates(build_py):
    """build_py, plus a copy of templates/ at fkj_cli/templates in the build."""

    def _templates(self) -> list[tuple[str, str]]:
        """(source, destination in build_lib) for every file under templates/."""
        files = sorted(p for p in Path(SOURCE).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        dest = os.path.join(self.build_lib, *TARGET)
        return [(str(p), os.path.join(dest, *p.relative_to(SOURCE).parts)) for p in files]

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the checkout's own templates/ is used in place
            return
        for source, dest in self._templates():
            self.mkpath(os.path.dirname(dest))
            self.copy_file(source, dest, preserve_mode=False)

    def get_output_mapping(self) -> dict[str, str]:
        # A strict editable install (a link tree) links these too.
        return {**super().get_output_mapping(), **{dest: source for source, dest in self._templates()}}

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:  # the base class takes them from get_output_mapping
            return outputs
        return outputs + [dest for _, dest in self._templates()]

    def get_source_files(self) -> list[str]:
        return super().get_source_files() + [source for source, _ in self._templates()]


setup(cmdclass={"build_py": build_py_with_templates})
