import { registerMessageAction } from "@mail/core/common/message_actions";
import { _t } from "@web/core/l10n/translation";

// Two clicks from a client's message to an incident: this action, then Save.
registerMessageAction("client-relationship-log-incident", {
    condition: ({ message }) =>
        Boolean(message.author_id) &&
        !message.isSelfAuthored &&
        ["email", "comment"].includes(message.message_type),
    icon: "fa fa-exclamation-triangle",
    name: _t("Log an Incident"),
    onSelected: ({ message, owner }) =>
        owner.env.services.action.doAction(
            "client_relationship.action_client_relationship_incident_from_message",
            { additionalContext: { default_message_id: message.id } }
        ),
    sequence: 80,
});
