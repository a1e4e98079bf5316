"""Reach resolvers: one module per provider, behind the Resolver protocol."""
