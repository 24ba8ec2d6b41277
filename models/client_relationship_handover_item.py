import contextlib
import hashlib
import logging
import os
import tempfile

from cryptography.fernet import Fernet, InvalidToken

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import config

_logger = logging.getLogger(__name__)

KEY_OPTION = "client_relationship_key_file"
CREDENTIALS_GROUP = "client_relationship.group_relationship_credentials"


def secret_key_path():
    """The Fernet key lives outside the database: a file named in Odoo's
    configuration (client_relationship_key_file), or one in Odoo's data folder."""
    return config.get(KEY_OPTION) or os.path.join(
        config["data_dir"], "client_relationship", "secrets.key"
    )


def backup_key_path(fingerprint):
    """Where a rotation keeps the key it replaced, next to the current one."""
    return f"{secret_key_path()}.{fingerprint}.bak"


def key_fingerprint(key):
    """Names a key without revealing it, in messages and on each secret."""
    return hashlib.sha256(key).hexdigest()[:16]


def read_key(path):
    try:
        with open(path, "rb") as key_file:
            return key_file.read().strip()
    except FileNotFoundError:
        return None


def find_key(fingerprint):
    """The key that encrypted a secret: the current one, or the backup a rotation
    kept (other databases of the server may share the key file)."""
    for path in (secret_key_path(), backup_key_path(fingerprint)):
        key = read_key(path)
        if key and key_fingerprint(key) == fingerprint:
            return key
    return None


def _write_temporary_key(folder, key):
    """A whole key file, readable by Odoo's user only, not yet under its name."""
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd, temporary_path = tempfile.mkstemp(dir=folder, prefix=".secrets-", suffix=".tmp")
    with os.fdopen(fd, "wb") as key_file:
        key_file.write(key)
        # On disk before the secrets it encrypts are committed.
        key_file.flush()
        os.fsync(key_file.fileno())
    return temporary_path


def current_key():
    """The key new secrets are encrypted with, created with the first one.

    Workers may race to create it: each writes a whole key to a temporary file,
    then hard-links it under the final name, which fails if another worker did
    first; the loser reads the winner's key, so both encrypt with the same one.
    """
    path = secret_key_path()
    key = read_key(path)
    if key:
        return key
    temporary_path = _write_temporary_key(os.path.dirname(path), Fernet.generate_key())
    try:
        os.link(temporary_path, path)
    except FileExistsError:
        _logger.info("Another worker created the key of handover credentials first: %s", path)
    else:
        _logger.info("Created the key that encrypts handover credentials: %s", path)
    finally:
        os.unlink(temporary_path)
    return read_key(path)


def replace_key():
    """Make a new current key; the one it replaces stays readable as its backup."""
    path = secret_key_path()
    former_key = read_key(path)
    if former_key:
        # Already there when this key was rotated away before and then restored.
        with contextlib.suppress(FileExistsError):
            os.link(path, backup_key_path(key_fingerprint(former_key)))
    new_key = Fernet.generate_key()
    # Atomic: a worker reads the former key or the new one, never half a file.
    os.replace(_write_temporary_key(os.path.dirname(path), new_key), path)
    return new_key


class ClientRelationshipHandoverItem(models.Model):
    _name = "client.relationship.handover.item"
    _description = "Handover Item"
    _order = "partner_id, sequence, id"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    category = fields.Selection(
        [
            ("instruction", "Instruction"),
            ("credential", "Credential"),
            ("website", "Website"),
            ("file_location", "File Location"),
            ("deadline", "Recurring Deadline"),
            ("contact", "Contact"),
            ("other", "Other"),
        ],
        required=True,
        default="instruction",
    )
    name = fields.Char(string="What", required=True)
    url = fields.Char(string="URL")
    login = fields.Char()
    # Users may set a secret; only the credentials group reads it back, and each
    # reading is logged. The clear value is never stored, tracked or exported.
    secret = fields.Char(
        compute="_compute_secret",
        inverse="_inverse_secret",
        exportable=False,
        help="Password or code only you know. Encrypted; only users allowed to read handover "
        "credentials can read it back, and each reading is logged.",
    )
    secret_encrypted = fields.Char(readonly=True, copy=False, groups="base.group_system")
    key_fingerprint = fields.Char(
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="Start of the SHA-256 of the key that encrypted the secret.",
    )
    has_secret = fields.Boolean(compute="_compute_has_secret")
    secret_warning = fields.Char(compute="_compute_secret")
    location = fields.Char(help="Where the files or folders are.")
    notes = fields.Text()
    last_checked = fields.Date()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.depends("secret_encrypted")
    def _compute_has_secret(self):
        for item in self:
            item.has_secret = bool(item.sudo().secret_encrypted)

    @api.depends("secret_encrypted", "key_fingerprint")
    @api.depends_context("uid", "client_relationship_no_secret")
    def _compute_secret(self):
        self.secret = False
        self.secret_warning = False
        if self.env.context.get("client_relationship_no_secret") or not self.env.user.has_group(
            CREDENTIALS_GROUP
        ):
            return
        clear, warnings = self._decrypt_secrets()
        for item in self:
            item.secret = clear.get(item.id, False)
            item.secret_warning = warnings.get(item.id, False)

    def _decrypt_secrets(self):
        """({id: clear secret}, {id: why it cannot be decrypted}), whoever asks:
        callers check the credentials group."""
        clear, warnings, keys = {}, {}, {}
        for item in self.sudo().filtered("secret_encrypted"):
            fingerprint = item.key_fingerprint
            if fingerprint not in keys:
                keys[fingerprint] = find_key(fingerprint)
            if not keys[fingerprint]:
                warnings[item.id] = self.env._(
                    "The key %(fingerprint)s that encrypted this secret is missing: it is "
                    "expected in %(path)s. Restore that file from the server's backup; the "
                    "stored value is kept.",
                    fingerprint=fingerprint,
                    path=secret_key_path(),
                )
                continue
            try:
                clear[item.id] = (
                    Fernet(keys[fingerprint]).decrypt(item.secret_encrypted.encode()).decode()
                )
            except InvalidToken:
                warnings[item.id] = self.env._(
                    "This secret is damaged: the key %(fingerprint)s does not decrypt it. "
                    "Type it again.",
                    fingerprint=fingerprint,
                )
        return clear, warnings

    def _read_format(self, fnames, load="_classic_read"):
        # Logged here, once per read call, rather than in the compute: the compute
        # also runs for checks and reports that show nothing. A form that lists
        # a client's credentials logs one row per credential each time it loads.
        result = super()._read_format(fnames, load)
        if "secret" in fnames:
            # A new record's id is falsy: its secret was typed, not revealed.
            revealed_ids = [values["id"] for values in result if values["id"] and values["secret"]]
            self.env["client.relationship.handover.access"]._log(self.browse(revealed_ids), "read")
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        # The clear secret never leaves through an export, whoever exports, and
        # also when the items are exported from their client.
        return super(
            ClientRelationshipHandoverItem, self.with_context(client_relationship_no_secret=True)
        )._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    def _inverse_secret(self):
        key = self._encryption_key() if self.filtered("secret") else None
        for item in self:
            if item.secret:
                values = {
                    "secret_encrypted": Fernet(key).encrypt(item.secret.encode()).decode(),
                    "key_fingerprint": key_fingerprint(key),
                }
            else:
                values = {"secret_encrypted": False, "key_fingerprint": False}
            item.sudo().write(values)

    def _encryption_key(self):
        """The current key, unless secrets saved earlier wait for theirs: a key
        created in place of a lost one would hide the loss until someone needs
        those passwords, and mix two keys in the backups."""
        others = self.sudo()._read_group(
            [("secret_encrypted", "!=", False), ("id", "not in", self.ids)], ["key_fingerprint"]
        )
        for (fingerprint,) in others:
            if not find_key(fingerprint):
                raise UserError(
                    self.env._(
                        "The key %(fingerprint)s that encrypted the passwords already saved is "
                        "missing: it is expected in %(path)s. Restore that file from the "
                        "server's backup, then save again. If it is lost for good, clear those "
                        "passwords and type them again. No new key is made in its place.",
                        fingerprint=fingerprint,
                        path=secret_key_path(),
                    )
                )
        return current_key()

    @api.model
    def _check_credentials_reader(self):
        if not self.env.user.has_group(CREDENTIALS_GROUP):
            raise AccessError(
                self.env._(
                    "Only users with the “Handover credentials: read” right may read, print "
                    "or re-encrypt the passwords of handover dossiers. Ask your administrator."
                )
            )

    def _handover_secret_for_report(self, credentials):
        """What the dossier prints in place of the secret: the clear value only in
        the copy of _dossier_with_credentials_pdf, which passes it in."""
        self.ensure_one()
        if not self.has_secret:
            return ""
        if credentials and self.id in credentials:
            return credentials[self.id]
        return self.env._("communicated separately")

    @api.model
    def _dossier_with_credentials_url(self, partner):
        """Served by controllers/main.py: the copy with the passwords never goes
        through a report action, which mail templates and the chatter can attach."""
        return f"/client_relationship/handover_dossier/{partner.id}/credentials"

    @api.model
    def _dossier_with_credentials_pdf(self, partner):
        """(pdf, file name) of the dossier with the passwords in clear, for the
        user who asks. Rendered, logged, returned: never saved, even if someone
        sets the report to save its PDFs as attachments."""
        self._check_credentials_reader()
        items = partner.relationship_handover_item_ids.filtered("has_secret")
        credentials = {item.id: item.secret or item.secret_warning for item in items}
        self.env["client.relationship.handover.access"]._log(items.filtered("secret"), "print")
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_context(report_pdf_no_attachment=True)
            ._render_qweb_pdf(
                "client_relationship.action_report_handover_dossier",
                partner.ids,
                data={"credentials": credentials},
            )
        )
        filename = self.env._(
            "Handover dossier with passwords - %(client)s.pdf", client=partner.name
        )
        return pdf, filename

    @api.model
    def _rotate_key(self):
        """Re-encrypt every secret with a new key; returns (fingerprint, count).

        If this transaction fails after the new key is written, the secrets keep
        their former key, which still decrypts them from its backup.
        """
        self._check_credentials_reader()
        items = self.sudo().search([("secret_encrypted", "!=", False)])
        # One rotation at a time. A secret saved meanwhile with the former key
        # still decrypts through its backup.
        items.lock_for_update(allow_referencing=True)
        clear, warnings = items._decrypt_secrets()
        if warnings:
            raise UserError("\n".join(sorted(set(warnings.values()))))
        new_key = replace_key()
        fingerprint = key_fingerprint(new_key)
        fernet = Fernet(new_key)
        for item in items:
            item.write(
                {
                    "secret_encrypted": fernet.encrypt(clear[item.id].encode()).decode(),
                    "key_fingerprint": fingerprint,
                }
            )
        self.env["client.relationship.handover.access"]._log(items, "rotation")
        _logger.info(
            "User %s rotated the key of handover credentials: %s secrets re-encrypted with key %s",
            self.env.uid,
            len(items),
            fingerprint,
        )
        return fingerprint, len(items)
