"""Performance benchmarks (``make bench``)."""
