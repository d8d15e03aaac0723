#!/usr/bin/python3
"""An SMTP sink for tests: accepts mail on loopback and writes it to files.

    smtp_sink.py DIR

Listens on 127.0.0.1 on a port the kernel chooses, offers STARTTLS with DIR/cert.pem + DIR/key.pem
and AUTH PLAIN/LOGIN for one test user (DIR/credentials: "user:password"), and writes each accepted
message as DIR/sink/<n>.eml (the DATA bytes after dot-unstuffing, CRLF kept) and the envelope as
DIR/sink/<n>.json ({"mail_from", "rcpt_tos", "auth_user", "tls"}). Writes go through a temporary
name and a rename, so a reader never sees half a file; the .json is written last.

Recipients select failures, so tests can check how replies are mapped:
    reject-5xx@...  RCPT answered "550 5.1.1 <addr>: Recipient address rejected: User unknown"
    defer-4xx@...   RCPT answered "451 4.3.0 <addr>: Temporarily unable to accept, try again"
Messages are accepted without AUTH, too (auth_user is then null); a failed AUTH gets 535.

Once listening it writes its port to DIR/port (then DIR/pid); SIGTERM stops it.
Needs aiosmtpd (Debian: python3-aiosmtpd), hence the system interpreter in the #! line.
"""

import asyncio
import itertools
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def write_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


class SinkHandler:
    def __init__(self, sink_dir):
        self.sink_dir = sink_dir
        self.counter = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.lower()
        if local.startswith("reject-5xx@"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local.startswith("defer-4xx@"):
            return "451 4.3.0 <%s>: Temporarily unable to accept, try again" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        base = os.path.join(self.sink_dir, str(n))
        user = None
        if session.authenticated and isinstance(session.auth_data, LoginPassword):
            user = session.auth_data.login.decode("utf-8", "replace")
        write_atomically(base + ".eml", envelope.original_content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_user": user,
            "tls": session.ssl is not None,
        }
        write_atomically(base + ".json", json.dumps(meta).encode("utf-8"))
        return "250 2.0.0 Ok: queued as sink-%d" % n


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode("utf-8")
        self.password = password.encode("utf-8")

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
              and auth_data.password == self.password)
        # handled=False: aiosmtpd itself answers a failure with "535 5.7.8 Authentication credentials invalid".
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: smtp_sink.py DIR")
    directory = sys.argv[1]
    sink_dir = os.path.join(directory, "sink")
    os.makedirs(sink_dir, exist_ok=True)
    with open(os.path.join(directory, "credentials")) as f:
        user, password = f.read().strip().split(":", 1)

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem"))

    handler = SinkHandler(sink_dir)
    authenticator = Authenticator(user, password)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(handler, hostname="sink.test", tls_context=tls, require_starttls=False,
                    auth_required=False, auth_require_tls=False, authenticator=authenticator,
                    timeout=60, loop=loop)

    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=0))
    port = server.sockets[0].getsockname()[1]
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    write_atomically(os.path.join(directory, "port"), b"%d\n" % port)
    write_atomically(os.path.join(directory, "pid"), b"%d\n" % os.getpid())
    try:
        loop.run_forever()
    finally:
        server.close()
        os.unlink(os.path.join(directory, "pid"))


if __name__ == "__main__":
    main()
