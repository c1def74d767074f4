"""The e-Stat API 3.0, compatible (ESTAT-5): paths, parameters and responses as e-Stat has them."""
