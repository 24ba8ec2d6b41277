import logging
import os

from cryptography.fernet import Fernet, InvalidToken

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

_logger = logging.getLogger(__name__)

KEY_OPTION = "client_relationship_key_file"


def secret_key_path():
    """The Fernet key lives outside the database: a file named in Odoo's
    configuration (client_relationship_key_file), or one in Odoo's data folder."""
    return config.get(KEY_OPTION) or os.path.join(
        config["data_dir"], "client_relationship", "secrets.key"
    )


def load_fernet(create=False):
    path = secret_key_path()
    if not os.path.exists(path):
        if not create:
            return None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # Created readable by Odoo's user only.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as key_file:
            key_file.write(Fernet.generate_key())
        _logger.info("Created the key that encrypts handover credentials: %s", path)
    with open(path, "rb") as key_file:
        return Fernet(key_file.read().strip())


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
    # Users may set a secret; only relationship managers read it back. The
    # clear value is never stored, tracked, logged or exported.
    secret = fields.Char(
        compute="_compute_secret",
        inverse="_inverse_secret",
        exportable=False,
        help="Password or code only you know. Encrypted; only relationship managers can read it.",
    )
    secret_encrypted = fields.Char(readonly=True, copy=False, groups="base.group_system")
    has_secret = fields.Boolean(compute="_compute_secret")
    secret_warning = fields.Char(compute="_compute_secret")
    location = fields.Char(help="Where the files or folders are.")
    notes = fields.Text()
    last_checked = fields.Date()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.depends("secret_encrypted")
    @api.depends_context("uid", "client_relationship_no_secret")
    def _compute_secret(self):
        can_read = self.env.user.has_group(
            "client_relationship.group_relationship_manager"
        ) and not self.env.context.get("client_relationship_no_secret")
        fernet = load_fernet() if can_read else None
        for item in self:
            token = item.sudo().secret_encrypted
            item.has_secret = bool(token)
            item.secret = False
            item.secret_warning = False
            if not (token and can_read):
                continue
            try:
                if not fernet:
                    raise InvalidToken
                item.secret = fernet.decrypt(token.encode()).decode()
            except InvalidToken:
                item.secret_warning = self.env._(
                    "This secret cannot be decrypted: the key file %(path)s is missing or was "
                    "replaced. Restore it; the stored value is kept.",
                    path=secret_key_path(),
                )

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        # The clear secret never leaves through an export, whoever exports, and
        # also when the items are exported from their client.
        return super(
            ClientRelationshipHandoverItem, self.with_context(client_relationship_no_secret=True)
        )._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    def _inverse_secret(self):
        fernet = None
        for item in self:
            if item.secret:
                fernet = fernet or load_fernet(create=True)
                item.sudo().secret_encrypted = fernet.encrypt(item.secret.encode()).decode()
            else:
                item.sudo().secret_encrypted = False

    def _handover_secret_for_report(self, include_credentials):
        """What the dossier prints in place of the secret."""
        self.ensure_one()
        if not self.has_secret:
            return ""
        if include_credentials:
            if not self.env.user.has_group("client_relationship.group_relationship_manager"):
                raise UserError(
                    self.env._("Only a relationship manager may print the credentials.")
                )
            return self.secret or self.secret_warning
        return self.env._("communicated separately")
