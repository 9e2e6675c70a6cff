"""Opens a jwe-session cookie with jwcrypto, written from FORMAT.md alone (no code of ours).

Reads one JSON object from stdin:
  {"keys": "<SESSION_KEYS>", "cookieHeader": "...", "cookieName": "session",
   "purpose": "<expected pur>", "now": <seconds>, "idleTimeout": s, "absoluteTimeout": s,
   "tolerance": s}
Writes {"ok": true, "header": {...}, "claims": {...}, "d": {...}, "f": {...}} or
{"ok": false, "reason": "..."} to stdout.
"""

import base64
import json
import re
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from jwcrypto import jwe, jwk

KID = re.compile(r"^([A-Za-z0-9_-]{1,32})\.(\d{1,10})$")
MARKER = re.compile(r"^(0|[1-9]\d?)~")
HEADER_MEMBERS = {"alg", "enc", "kid", "zip"}
WINDOW_SECONDS = 3600


def fail(reason):
    print(json.dumps({"ok": False, "reason": reason}))
    sys.exit(0)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse_cookie_header(header):
    cookies = {}
    for pair in header.split(";"):
        name, sep, value = pair.strip().partition("=")
        if sep and name not in cookies:
            cookies[name] = value
    return cookies


def join_chunks(cookies, name):
    """FORMAT.md section 1: exact names, `<n>~` marker on the first value."""
    first = cookies.get(name)
    if not first:
        fail("no session cookie")
    marker = MARKER.match(first)
    if not marker:
        return first
    count = int(marker.group(1))
    if count < 2 or count > 16:
        fail("chunk count out of range")
    parts = [first[len(marker.group(0)):]]
    for i in range(1, count):
        part = cookies.get(f"{name}.{i}")
        if not part:
            fail(f"chunk {i} missing")
        parts.append(part)
    return "".join(parts)


def key_materials(keys_text):
    """FORMAT.md section 3: id -> (kind, material)."""
    keys = {}
    for entry in keys_text.split(","):
        entry = entry.strip()
        key_id, _, rest = entry.partition(":")
        if rest.startswith("passphrase:"):
            keys[key_id] = ("passphrase", rest[len("passphrase:"):].encode("utf-8"))
        else:
            keys[key_id] = ("key", b64url_decode(rest))
    return keys


def window_key(kind, material, window):
    """FORMAT.md section 3: HKDF-SHA-256, salt by kind, info naming the window."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=f"jwe-session/v1/{kind}".encode("ascii"),
        info=f"jwe-session/v1/dir+A256GCM/window/{window}".encode("ascii"),
    ).derive(material)


def is_time(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def main():
    request = json.load(sys.stdin)
    token = join_chunks(parse_cookie_header(request["cookieHeader"]), request["cookieName"])

    # FORMAT.md section 2: five segments, empty encrypted key, exactly the allowed members.
    segments = token.split(".")
    if len(segments) != 5 or segments[1] != "":
        fail("not a dir compact JWE")
    header = json.loads(b64url_decode(segments[0]))
    if set(header) - HEADER_MEMBERS or header.get("alg") != "dir" or header.get("enc") != "A256GCM":
        fail("header not allowed")
    kid = KID.match(header.get("kid", ""))
    if not kid:
        fail("bad kid")
    key_id, window = kid.group(1), int(kid.group(2))
    keys = key_materials(request["keys"])
    if key_id not in keys:
        fail("unknown key id")
    kind, material = keys[key_id]
    cek = window_key(kind, material, window)

    # jwcrypto does the JWE part: AAD, AES-256-GCM, and zip DEF when the header says so.
    key = jwk.JWK(kty="oct", k=base64.urlsafe_b64encode(cek).rstrip(b"=").decode("ascii"))
    token_object = jwe.JWE()
    token_object.allowed_algs = ["dir", "A256GCM"]
    try:
        token_object.deserialize(token, key=key)
    except Exception:
        fail("decryption failed")
    body = json.loads(token_object.payload.decode("utf-8"))

    # FORMAT.md sections 4 and 5: claims, then the checks.
    if not isinstance(body, dict) or not isinstance(body.get("d"), dict):
        fail("not a session payload")
    for name in ("iat", "exp", "ori"):
        if not is_time(body.get(name)):
            fail(f"bad {name}")
    if body.get("pur") != request["purpose"]:
        fail("wrong purpose")
    now, t = request["now"], request["tolerance"]
    absolute = min(request["absoluteTimeout"], body.get("abs", request["absoluteTimeout"]))
    if body["iat"] > now + t:
        fail("issued in the future")
    if now > body["exp"] + t:
        fail("idle lifetime passed")
    if now > body["ori"] + absolute + t:
        fail("absolute lifetime passed")

    claims = {k: v for k, v in body.items() if k not in ("d", "f")}
    print(json.dumps({
        "ok": True,
        "header": header,
        "window": window,
        "claims": claims,
        "d": body["d"],
        "f": body.get("f"),
    }))


if __name__ == "__main__":
    main()
