"""Registered general users (一般利用者): sign-up, My page and their application ids (appId) for the
public e-Stat API (ESTAT-4/5, AUTH)."""
