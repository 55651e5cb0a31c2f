# -*- coding: utf-8 -*-
# Copyright: prime_hermod.stack contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A password file's text as its readers take it."""

from __future__ import annotations


def password_from_file_text(text):
    """text without the one line ending (LF or CRLF) that may follow the password.

    Tomcat reads certificateKeystorePasswordFile with a line reader and
    keytool -storepass:file takes the first line, so a password file written
    with or without a final newline holds the same password for both.
    """
    if text.endswith('\n'):
        text = text[:-1]
        if text.endswith('\r'):
            text = text[:-1]
    return text
