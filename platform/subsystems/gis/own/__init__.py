"""Bring your own data, draw your own areas (GIS-1 §3): saved areas, uploaded points and their
aggregation into municipalities, meshes and the user's areas, and area-proportional allocation."""
