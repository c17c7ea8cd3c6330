"""The program's data files, installed as the package sclerochart.resources: fonts, handout text, licences.

The README's screenshots live here too but are not installed (see the package data in pyproject.toml).
"""
