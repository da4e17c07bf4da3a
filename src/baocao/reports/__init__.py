"""Reports: the registry of report kinds, the shared kit and one module per report family."""
