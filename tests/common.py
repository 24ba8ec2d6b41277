from odoo.tests import TransactionCase, new_test_user


class ClientRelationshipCase(TransactionCase):
    """Users of each role and a client, created by the tests themselves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="cr_manager",
            groups="base.group_user,client_relationship.group_relationship_manager",
            name="Claire Manager",
        )
        cls.user = new_test_user(
            cls.env,
            login="cr_user",
            groups="base.group_user,client_relationship.group_relationship_user",
            name="Ulysse User",
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Nuit Blanche SARL", "is_company": True, "email": "contact@nuit.example"}
        )
        cls.client_contact = cls.env["res.partner"].create(
            {"name": "Mme Nuit", "parent_id": cls.client.id}
        )
