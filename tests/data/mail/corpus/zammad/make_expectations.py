#!/usr/bin/env python3
"""Derives expectations.tsv from Zammad's mailNNN.yml files (kept in /work/shared/corpora, not copied).

Usage: make_expectations.py <dir with mailNNN.yml> > expectations.tsv

One line per fact: <message> TAB <field> TAB <value>[ TAB <value2>], with backslash, tab, CR and LF in
values written as \\\\, \\t, \\r, \\n. Fields:
  from_email, from_display_name, subject       as Zammad stores them
  to_addresses, cc_addresses, reply_to_addresses   the addresses (lower case, sorted, comma-joined)
                                               found in Zammad's to / cc / reply-to strings
  body_words                                   the first 40 words of Zammad's body (its HTML with tags
                                               dropped and entities decoded), see words() below
  attachment                                   MD5 of the data, TAB, Zammad's filename; Zammad's own
                                               message.html (the HTML body it adds, marked
                                               content-alternative) is left out
"""
import base64
import hashlib
import html
import re
import sys
from pathlib import Path

import yaml


class Loader(yaml.SafeLoader):
    pass


def ruby_object(loader, suffix, node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


Loader.add_multi_constructor("!ruby/", ruby_object)
Loader.add_constructor("!binary", lambda loader, node: base64.b64decode(loader.construct_scalar(node)))


def esc(value):
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def words(text):
    """Runs of ASCII letters/digits, ASCII lower-cased, and every other non-ASCII character a word of its
    own (CJK has no spaces), after no-break, zero-width and ideographic spaces become spaces (the C++
    test does the same)."""
    for space in ("\u00a0", "\u200b", "\ufeff", "\u202f", "\u3000"):
        text = text.replace(space, " ")
    out, cur = [], ""
    for ch in text:
        if ch < "\x80" and ch.isalnum():
            cur += ch.lower()
            continue
        if cur:
            out.append(cur)
            cur = ""
        if ch >= "\x80":
            out.append(ch)
    if cur:
        out.append(cur)
    return out


def html_to_text(body):
    body = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", body)
    body = re.sub(r"(?s)<[^>]*>", " ", body)
    return html.unescape(body)


def addresses(value):
    if not value:
        return ""
    return ",".join(sorted({a.lower() for a in re.findall(r"[\w.+'-]+@[\w.-]+\w", str(value))}))


def main():
    src = Path(sys.argv[1])
    for yml in sorted(src.glob("mail*.yml")):
        name = yml.stem
        doc = yaml.load(yml.read_bytes(), Loader=Loader)
        out = []
        for field in ("from_email", "from_display_name", "subject"):
            if field in doc and doc[field] is not None:
                out.append((field, str(doc[field])))
        for field, key in (("to_addresses", "to"), ("cc_addresses", "cc"), ("reply_to_addresses", "reply-to")):
            if key in doc:
                out.append((field, addresses(doc[key])))
        body = doc.get("body") or ""
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        if doc.get("content_type") == "text/html":
            body = html_to_text(body)
        out.append(("body_words", " ".join(words(body)[:40])))
        for att in doc.get("attachments") or []:
            prefs = att.get("preferences") or {}
            if att.get("filename") == "message.html" and prefs.get("content-alternative"):
                continue
            data = att.get("data") or b""
            if isinstance(data, str):
                data = data.encode("utf-8")
            out.append(("attachment", hashlib.md5(data).hexdigest() + "\t" + esc(str(att.get("filename")))))
        for field, value in out:
            if field == "attachment":
                print(f"{name}\t{field}\t{value}")
            else:
                print(f"{name}\t{field}\t{esc(value)}")


if __name__ == "__main__":
    main()
