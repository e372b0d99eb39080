"""A logging filter that masks ID numbers and mobile phone numbers in every log record, and
redacts credentials: those carried in a query string (``api_key=…``, ``token=…``), in an
``Authorization`` header written out, and anything shaped like a portal key (``cgp_…`` API
tokens, ``o311_…`` Open311 client keys; see ``accounts.token_services``) wherever it appears."""

import logging
import re

ID_NUMBER = re.compile(r"(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")
CREDENTIAL = re.compile(r"(?i)\b(api_key|access_token|token|key|password)=[^&\s\"']+")
AUTHORIZATION = re.compile(
    r"(?i)\b((?:http_)?authorization[\"']?\s*[:=]\s*[\"']?)(?:(token|bearer|basic)\s+)?[^\s\"',}]+"
)
KEY_SHAPE = re.compile(r"\b(cgp_|o311_)[A-Za-z0-9_-]{8,}")


def mask_text(text: str) -> str:
    text = CREDENTIAL.sub(lambda m: f"{m.group(1)}=[redacted]", text)
    text = AUTHORIZATION.sub(
        lambda m: f"{m.group(1)}{m.group(2) + ' ' if m.group(2) else ''}[redacted]", text
    )
    text = KEY_SHAPE.sub(lambda m: f"{m.group(1)}[redacted]", text)
    text = ID_NUMBER.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(2), text)
    return MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
