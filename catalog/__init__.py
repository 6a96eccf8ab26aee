"""The catalogue: which scopes each third-party feature needs, per resource API."""

from catalog.catalogue import App, Catalogue, Feature, load_catalogue
from catalog.problems import ConfigurationError, Problem

__all__ = ["App", "Catalogue", "ConfigurationError", "Feature", "Problem", "load_catalogue"]
