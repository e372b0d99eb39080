"""The second factor (双因素认证): TOTP with one-time recovery codes, on django-otp.

Who must use it is :mod:`.policies`; every write (enrolment, verification, a recovery code, a
reset) is :mod:`.services` and writes its audit row; :mod:`.middleware` keeps a session that
has not passed the second factor away from every page but the two-factor ones.
"""
