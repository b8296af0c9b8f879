package dev.keyward.opaque.authenticator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The emails of a retirement, sent only once its deletions are committed: enlisted with
 * {@code enlistAfterCompletion}, so a rolled-back request sends nothing, and each email in a job
 * transaction of its own (Keycloak's email event listener does the same), so no database
 * transaction is open while the SMTP server answers and one failed email does not stop the others.
 * The action links are made in the request (they need its URI); a link for a deletion that did
 * not commit is never sent.
 */
final class RetirementMail extends AbstractKeycloakTransaction {
    private static final Logger LOG = Logger.getLogger(RetirementMail.class);

    /** One queued email: Keycloak's execute-actions email with {@code link}, or (link null) the two-factor notice. */
    record Queued(String userId, String link, long lifespanMinutes, boolean hasPasskey, boolean canSignIn) {}

    private final KeycloakSessionFactory factory;
    private final KeycloakContext context;
    private final String realmId;
    private final String realmName;
    private final HttpRequest request;
    private final String keyId;
    private final List<Queued> queued = new ArrayList<>();

    RetirementMail(KeycloakSession session, RealmModel realm, String keyId) {
        this.factory = session.getKeycloakSessionFactory();
        this.context = session.getContext();
        this.realmId = realm.getId();
        this.realmName = realm.getName();
        this.request = context.getHttpRequest();
        this.keyId = keyId;
    }

    void add(Queued mail) {
        queued.add(mail);
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    @Override
    protected void commitImpl() {
        int sent = 0;
        for (Queued mail : queued) {
            boolean[] ok = {false};
            try {
                KeycloakModelUtils.runJobInTransaction(factory, context, job -> ok[0] = send(job, mail));
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Realm %s: no email to user %s after retiring OPAQUE setup secret '%s': %s",
                        realmName, mail.userId(), keyId, e.getClass().getSimpleName());
            }
            if (ok[0]) {
                sent++;
            }
        }
        LOG.infof(
                "Realm %s: after retiring OPAQUE setup secret '%s', %d of %d emails sent",
                realmName, keyId, sent, queued.size());
    }

    @Override
    protected void rollbackImpl() {
        // nothing was deleted: nobody is told anything
        queued.clear();
    }

    private boolean send(KeycloakSession job, Queued mail) {
        job.getContext().setHttpRequest(request);
        RealmModel realm = job.realms().getRealm(realmId);
        job.getContext().setRealm(realm);
        UserModel user = job.users().getUserById(realm, mail.userId());
        if (user == null || user.getEmail() == null) {
            return false;
        }
        EmailTemplateProvider email =
                job.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(user);
        try {
            if (mail.link() != null) {
                email.setAttribute("requiredActions", List.of(OpaqueConstants.REGISTER_ACTION_ID))
                        .sendExecuteActions(mail.link(), mail.lifespanMinutes());
            } else {
                String displayName = realm.getDisplayName() != null
                                && !realm.getDisplayName().isBlank()
                        ? realm.getDisplayName()
                        : realm.getName();
                email.send(
                        OpaqueConstants.MSG_RETIRED_SUBJECT,
                        List.of(displayName),
                        OpaqueConstants.TEMPLATE_RETIRED_EMAIL,
                        // a mutable map: Keycloak adds its own attributes (realmName, locale) to it
                        new HashMap<>(Map.of(
                                OpaqueConstants.ATTR_RETIRED_PASSKEY, mail.hasPasskey(),
                                OpaqueConstants.ATTR_RETIRED_SIGN_IN, mail.canSignIn())));
            }
            return true;
        } catch (EmailException e) {
            // Keycloak's sender has logged the SMTP error; its message can hold the address
            LOG.warnf(
                    "Realm %s: no email to user %s after retiring OPAQUE setup secret '%s': %s",
                    realm.getName(),
                    user.getId(),
                    keyId,
                    e.getCause() == null
                            ? "SMTP error logged above"
                            : e.getCause().getClass().getSimpleName());
            return false;
        }
    }
}
