"""Great Expectations 1.x suites, kept as reviewable code, and a runner with a typed result."""
