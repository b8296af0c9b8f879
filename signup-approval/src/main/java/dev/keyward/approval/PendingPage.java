package dev.keyward.approval;

import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.IdentityProviderModel;

/** The pack's "waiting for approval" page ({@value #TEMPLATE}, shipped in this module's theme resources). */
final class PendingPage {
    static final String TEMPLATE = "keyward-signup-pending.ftl";

    private PendingPage() {}

    /** A page with no form: nothing the user does here moves the login on. */
    static Response of(AuthenticationFlowContext context, BrokeredIdentityContext broker) {
        IdentityProviderModel idp = broker.getIdpConfig();
        String name =
                idp.getDisplayName() == null || idp.getDisplayName().isBlank() ? idp.getAlias() : idp.getDisplayName();
        return context.form().setAttribute("keywardApprovalProvider", name).createForm(TEMPLATE);
    }
}
