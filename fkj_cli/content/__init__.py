"""The content tree: YAML files with positions, their models, and the checks across them.

This package's own module holds only the names of the files every content
tree has, so that importing a model (``fkj_cli.content.types``) loads nothing
else. Loading and validating a tree is :mod:`fkj_cli.content.load`.
"""

PROGRAM_FILE = "program.yaml"
REGISTER_FILE = "kommuner.yaml"
ECONOMICS_FILE = "economics.yaml"
COMMITMENTS_FILE = "commitments.yaml"
OVERRIDES_DIR = "overrides"
