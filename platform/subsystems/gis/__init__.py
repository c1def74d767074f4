"""統計地理情報システム: the statistical GIS (GIS-1): boundaries in PostGIS, standard regional meshes,
vector tiles and choropleths of published tables, and area-proportional allocation."""
