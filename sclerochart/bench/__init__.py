"""Benchmarks a developer runs by hand (`python -m sclerochart.bench NAME`); they print figures, never pass/fail."""
