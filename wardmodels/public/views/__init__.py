"""The residents' pages, one module per topic."""
