"""ldnsite: an evidence-summary static-site generator."""

__version__ = "0.1.0"
