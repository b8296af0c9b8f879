package dev.keyward.approval;

import dev.keyward.common.RenderedMail;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailSenderProvider;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The approvers' mail about a new pending account. Approvers: enabled users of the realm holding
 * realm-management's {@code manage-users} or {@code realm-admin} directly, with a verified address
 * (at most {@value #MAX_APPROVERS}). Each mail is rendered on the request (the email theme needs its
 * context) and sent by Keycloak's SMTP sender on the managed executor {@value #EXECUTOR} once the
 * request's transaction has committed, so a slow or failing SMTP server neither delays nor breaks
 * the user's page and a rolled-back request mails nothing. Failures are logged without the
 * server's message, which can quote addresses.
 */
final class ApproverNotice {
    static final String EXECUTOR = "keyward-signup-approval";
    static final String TEMPLATE = "keyward-signup-approval-request.ftl";
    static final String SUBJECT = "keywardSignupApprovalSubject";
    static final int MAX_APPROVERS = 50;

    private static final Logger LOG = Logger.getLogger(ApproverNotice.class);

    private ApproverNotice() {}

    static void queue(AuthenticationFlowContext context, UserModel user, PendingSignup pending) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        Map<String, String> smtp = realm.getSmtpConfig();
        if (smtp == null || smtp.get("host") == null || smtp.get("host").isBlank()) {
            return; // no SMTP: the event is the notice
        }
        List<RenderedMail> mails = new ArrayList<>();
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("pendingUsername", user.getUsername());
        attributes.put("pendingEmail", user.getEmail() == null ? "" : user.getEmail());
        attributes.put("identityProvider", pending.identityProvider());
        attributes.put(
                "approvalsUrl",
                session.getContext()
                        .getUri()
                        .getBaseUriBuilder()
                        .path("admin/{realm}/console/")
                        .fragment("/" + realm.getName() + "/users/" + user.getId() + "/settings")
                        .build(realm.getName())
                        .toString());
        String realmName =
                realm.getDisplayName() == null || realm.getDisplayName().isBlank()
                        ? realm.getName()
                        : realm.getDisplayName();
        for (UserModel approver : approvers(session, realm).toList()) {
            RenderedMail.Renderer renderer = new RenderedMail.Renderer(session);
            try {
                renderer.setRealm(realm).setUser(approver).send(SUBJECT, List.of(realmName), TEMPLATE, attributes);
                mails.add(renderer.rendered());
            } catch (EmailException e) {
                LOG.warnf(
                        "Realm %s: an approval request mail could not be rendered (%s)",
                        realm.getName(), e.getClass().getSimpleName());
            }
        }
        if (mails.isEmpty()) {
            return;
        }
        String realmId = realm.getId();
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        ExecutorService executor = session.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                try {
                    executor.execute(() -> run(factory, realmId, mails));
                } catch (RejectedExecutionException e) {
                    LOG.warnf("Realm %s: approval request mails were dropped (the node is stopping)", realmId);
                }
            }

            @Override
            protected void rollbackImpl() {
                // the account was not stored: nothing to approve
            }
        });
    }

    /** Direct holders of the realm's user-management roles, each once, with a verified address. */
    static Stream<UserModel> approvers(KeycloakSession session, RealmModel realm) {
        ClientModel management = session.clients().getClientByClientId(realm, Constants.REALM_MANAGEMENT_CLIENT_ID);
        if (management == null) {
            return Stream.empty(); // the master realm manages itself through other clients
        }
        Map<String, UserModel> found = new LinkedHashMap<>();
        for (String name : List.of(AdminRoles.MANAGE_USERS, AdminRoles.REALM_ADMIN)) {
            RoleModel role = management.getRole(name);
            if (role == null) {
                continue;
            }
            session.users()
                    .getRoleMembersStream(realm, role, 0, MAX_APPROVERS)
                    .filter(u -> u.isEnabled()
                            && u.isEmailVerified()
                            && u.getEmail() != null
                            && !u.getEmail().isBlank())
                    .forEach(u -> found.putIfAbsent(u.getId(), u));
        }
        return found.values().stream().limit(MAX_APPROVERS);
    }

    private static void run(KeycloakSessionFactory factory, String realmId, List<RenderedMail> mails) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> send(session, realmId, mails));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Realm %s: approval request mails failed (%s)",
                    realmId, e.getClass().getSimpleName());
        }
    }

    private static void send(KeycloakSession session, String realmId, List<RenderedMail> mails) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return; // removed meanwhile
        }
        // the SMTP password may be a vault reference, resolved against the context's realm
        session.getContext().setRealm(realm);
        EmailSenderProvider sender = session.getProvider(EmailSenderProvider.class);
        int failed = 0;
        for (RenderedMail mail : mails) {
            try {
                mail.send(sender, realm);
            } catch (EmailException e) {
                failed++;
            }
        }
        if (failed > 0) {
            // Keycloak's sender logged the SMTP error; its message can hold addresses, so it stays out
            LOG.warnf(
                    "Realm %s: %d of %d approval request mail(s) could not be sent",
                    realm.getName(), failed, mails.size());
        }
    }
}
