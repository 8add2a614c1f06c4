from allauth.mfa.adapter import DefaultMFAAdapter

from .crypto import decrypt_text, encrypt_text


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted (issue 13)."""

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)
