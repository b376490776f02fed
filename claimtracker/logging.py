"""Logging filters.

A 403 is the permission system working as designed: a consumer who opens a
reviewer page, a reviewer who tries to vet their own claim. Django logs each
one with the PermissionDenied's full traceback, which buries real errors in
the server log. `ExpectedRefusals` keeps the warning, on one line, with who
asked and the refusal's reason.
"""

import logging


class ExpectedRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            refusal = record.exc_info[1]
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
            reason = " ".join(str(refusal).split())
            record.msg = f"{record.getMessage()} (user: {who}){f': {reason}' if reason else ''}"
            record.args = ()
            record.exc_info = record.exc_text = None
        return True
