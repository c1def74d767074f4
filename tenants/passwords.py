"""Password hashing for users: the platform's argon2id hashing (platform/passwords.py), shared with
the online survey's respondents."""

from govstat.platform.passwords import MIN_LENGTH, hash_password, verify_and_upgrade, verify_password

__all__ = ["MIN_LENGTH", "hash_password", "verify_and_upgrade", "verify_password"]
