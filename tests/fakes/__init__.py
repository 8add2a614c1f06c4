"""Test doubles of outside services, running for real on loopback."""
