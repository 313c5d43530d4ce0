"""Plotting helpers shared by the chapters (matplotlib; no widgets here)."""
