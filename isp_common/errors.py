"""Errors of the shared wire formats.

Every error has a stable `code` and an English `message` a customer may be shown; each side
translates the message by its code (the assistant's German is in its own catalogue). The
optional detail passed to the constructor is for logs only and never shown to a customer.

    IspCommonError
    ├── EntitlementError          a token that unlocks nothing
    │   ├── TokenMalformed        not one of our tokens (garbage, cut off, bad encoding)
    │   ├── UnknownSigningKey     signed by a key this side does not (yet) know
    │   ├── BadSignature          changed after it was signed, or signed by someone else
    │   ├── TokenExpired          its time is over
    │   ├── TokenNotYetValid      issued in the future: one of the two clocks is wrong
    │   ├── TokenLifetimeTooLong  meant to live longer than any genuine token does
    │   └── WrongDevice           issued for another computer
    ├── ProfileRefused            a provider profile this side does not take
    │   ├── ProfileMalformed      not a profile of this version (garbage, cut off, newer)
    │   ├── ProfileKeyUnknown     signed by a key this side does not trust (yet)
    │   └── ProfileSignatureInvalid  changed after it was signed, or signed by someone else
    ├── SigningKeyError           the server's signing keys cannot be read or written
    └── UnknownFeature            a feature id that is not in the catalogue
"""

from __future__ import annotations

from typing import ClassVar


class IspCommonError(Exception):
    code: ClassVar[str] = "error"
    message: ClassVar[str] = "Something went wrong. Please try again or call the hotline."

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.message)
        self.detail = detail


class EntitlementError(IspCommonError):
    code = "entitlement_invalid"
    message = "Premium could not be unlocked. Please call the hotline."


class TokenMalformed(EntitlementError):
    code = "token_malformed"
    message = "The premium unlock could not be read. Please try again or call the hotline."


class UnknownSigningKey(EntitlementError):
    code = "unknown_signing_key"
    message = (
        "The premium unlock could not be checked yet. Please connect to the internet and try again."
    )


class BadSignature(EntitlementError):
    code = "bad_signature"
    message = "The premium unlock is not genuine and was refused. Please call the hotline."


class TokenExpired(EntitlementError):
    code = "token_expired"
    message = (
        "Your premium access has expired. "
        "Please connect to the internet to renew it, or call the hotline."
    )


class TokenNotYetValid(EntitlementError):
    code = "token_not_yet_valid"
    message = (
        "Premium could not be unlocked because your computer's clock seems to be wrong. "
        "Please check the date and time."
    )


class TokenLifetimeTooLong(EntitlementError):
    code = "token_lifetime_too_long"
    message = BadSignature.message


class WrongDevice(EntitlementError):
    code = "wrong_device"
    message = "This premium unlock belongs to another computer. Please call the hotline."


class ProfileRefused(IspCommonError):
    code = "profile_refused"
    message = (
        "Your provider's settings could not be confirmed; the assistant's own test "
        "addresses are used."
    )


class ProfileMalformed(ProfileRefused):
    code = "profile_malformed"


class ProfileKeyUnknown(ProfileRefused):
    code = "profile_key_unknown"


class ProfileSignatureInvalid(ProfileRefused):
    code = "profile_signature_invalid"


class SigningKeyError(IspCommonError):
    code = "signing_key_error"
    message = "The server's signing keys could not be loaded."


class UnknownFeature(IspCommonError):
    code = "unknown_feature"
    message = "This feature is not available in this version of the assistant."


ALL_ERRORS: tuple[type[IspCommonError], ...] = (
    IspCommonError,
    EntitlementError,
    TokenMalformed,
    UnknownSigningKey,
    BadSignature,
    TokenExpired,
    TokenNotYetValid,
    TokenLifetimeTooLong,
    WrongDevice,
    ProfileRefused,
    ProfileMalformed,
    ProfileKeyUnknown,
    ProfileSignatureInvalid,
    SigningKeyError,
    UnknownFeature,
)

MESSAGES: dict[str, str] = {error.code: error.message for error in ALL_ERRORS}


def message_for_code(code: str) -> str:
    """The English message of an error code, e.g. one that arrived in a server's JSON answer."""
    return MESSAGES.get(code, IspCommonError.message)
