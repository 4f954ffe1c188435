"""Speed and scale measurements; each script writes its own section of benchmarks/README.md."""
