"""The SMTP server of Kefu's tests: an aiosmtpd handler that writes each message
to a JSON file in a directory (written whole, then renamed, so a reader never
sees half of one); `RCPT TO` a `refused@` address is refused for good (550).

    python -m aiosmtpd -n -l 127.0.0.1:PORT -c kefu_sink.Sink DIR

with this directory on PYTHONPATH. Used by the server's mail tests
(crates/server/tests/server/mail.rs) and the end-to-end tests
(tests/e2e/support/smtp.mjs).
"""
import email, json, os, time
from email import policy


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("kefu_sink.Sink takes the directory to write to")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused@"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=policy.default)
        part = msg.get_body(preferencelist=("plain",))

        def header(name):
            value = msg[name]
            return None if value is None else str(value)

        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "from": header("From"),
            "to": header("To"),
            "replyTo": header("Reply-To"),
            "subject": header("Subject"),
            "messageId": header("Message-ID"),
            "date": header("Date"),
            "autoSubmitted": header("Auto-Submitted"),
            "contentType": msg.get_content_type(),
            "charset": msg.get_content_charset(),
            # As a mail client shows it: lines end in "\n", not the wire's CRLF.
            "text": None if part is None else part.get_content().replace("\r\n", "\n"),
            "raw": raw.decode("utf-8", "replace"),
        }
        self.count += 1
        name = "%020d-%06d" % (time.time_ns(), self.count)
        tmp = os.path.join(self.directory, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(self.directory, name + ".json"))
        return "250 OK: queued as %s" % name
