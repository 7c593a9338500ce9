"""Helpers that build and edit RayCluster manifests as plain dicts."""
