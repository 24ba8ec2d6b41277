import logging

from cryptography.fernet import Fernet, InvalidToken

from odoo import SUPERUSER_ID, api
from odoo.fields import Command

from odoo.addons.client_relationship.models.client_relationship_handover_item import (
    CREDENTIALS_GROUP,
    key_fingerprint,
    read_key,
    secret_key_path,
)

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    # As at install: managers no longer read the passwords, the administrator does.
    admin = env.ref("base.user_admin", raise_if_not_found=False)
    if admin:
        admin.group_ids = [Command.link(env.ref(CREDENTIALS_GROUP).id)]
    _fingerprint_former_secrets(cr)
    # Health is now per company: compute it before anyone reads it (deposit
    # rules included). A first computation only sets a baseline: no alert.
    _compute_health(env)


def _compute_health(env):
    Health = env["client.relationship.health"]
    for company in env["res.company"].search([]):
        env.cr.execute(Health._client_ids_sql(company))
        client_ids = [row[0] for row in env.cr.fetchall()]
        for start in range(0, len(client_ids), 5000):
            clients = env["res.partner"].browse(client_ids[start : start + 5000])
            Health.with_company(company)._recompute(clients, company)
            env.invalidate_all()
    # Former history: each client's snapshots now belong to its health row.
    env.cr.execute(
        """
        UPDATE client_relationship_health_snapshot snapshot
           SET health_id = h.id
          FROM client_relationship_health h
         WHERE snapshot.health_id IS NULL
           AND h.partner_id = snapshot.partner_id AND h.company_id = snapshot.company_id
        """
    )


def _fingerprint_former_secrets(cr):
    """Secrets saved before fingerprints were recorded were encrypted with the
    only key there was: the current key file, if it still decrypts them."""
    cr.execute(
        "SELECT id, secret_encrypted FROM client_relationship_handover_item"
        " WHERE secret_encrypted IS NOT NULL AND key_fingerprint IS NULL"
    )
    rows = cr.fetchall()
    if not rows:
        return
    key = read_key(secret_key_path())
    if not key:
        _logger.warning(
            "%s handover secrets cannot be fingerprinted: their key %s is missing",
            len(rows),
            secret_key_path(),
        )
        return
    fernet = Fernet(key)
    decrypted_ids = []
    for item_id, token in rows:
        try:
            fernet.decrypt(token.encode())
        except InvalidToken:
            continue
        decrypted_ids.append(item_id)
    cr.execute(
        "UPDATE client_relationship_handover_item SET key_fingerprint = %s WHERE id = ANY(%s)",
        [key_fingerprint(key), decrypted_ids],
    )
