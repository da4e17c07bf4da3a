"""Build: plans, the builder, its workers and warm kernels, notebook execution and HTML export."""
