"""Garrison's benchmarks: each figure next to a baseline measured in the same run.

Run them with `make bench` or `.venv/bin/python bench/run.py [--quick] [--only NAME]`.
"""
