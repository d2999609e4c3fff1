"""Multi-factor sign-in (issue 13): who needs a second factor, the factor pages, and the gate in front of the rest.

Libraries, not hand-written crypto: django-otp (TOTP authenticator apps, one-time recovery codes, code
throttling, the OTP-aware admin site) and django-otp-webauthn (passkeys and security keys, on py_webauthn).
"""
