"""fkj: the governance documents of Felles kommunal journal, built from YAML."""

__version__ = "0.1.0"
