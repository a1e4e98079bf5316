"""The provider knowledge base: loader, schema, model, KB-driven formats and data/."""
