"""The commands beyond check and build: serve, new, init, theme, diff, import.

``ldnsite/cli.py`` is the thin click layer over them (and over ``output.build``).
"""
