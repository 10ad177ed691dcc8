"""Benchmarks of Peta ILP (run from the checkout's root, e.g. ``python -m benchmarks.coverage_scale``)."""
