package dev.keyward.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * A realm's provider definitions, each kept as JSON in the realm attribute
 * {@code keyward.vault.provider.<id>}: Keycloak's realm cache serves them on every node, and realm
 * export and import carry them like any other realm setting. Every definition handed out has passed
 * the vault's rules and every {@link ProviderDefinitionCheck#normalise} (the header proxy's rules for
 * its {@code proxy} section), and is in normal form.
 */
public final class ProviderDefinitions {
    private static final Logger LOG = Logger.getLogger(ProviderDefinitions.class);
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ProviderDefinitions() {}

    /** @return the realm's definitions, by id; an attribute that no longer parses is skipped and logged */
    public static List<ProviderDefinition> list(KeycloakSession session, RealmModel realm) {
        return realm.getAttributes().entrySet().stream()
                .filter(e -> e.getKey().startsWith(VaultConstants.PROVIDER_ATTRIBUTE_PREFIX))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> parseStored(session, e.getKey(), e.getValue()))
                .flatMap(Optional::stream)
                .toList();
    }

    /** @return one definition */
    public static Optional<ProviderDefinition> get(KeycloakSession session, RealmModel realm, String id) {
        if (id == null || !ProviderDefinition.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        String key = VaultConstants.PROVIDER_ATTRIBUTE_PREFIX + id;
        return Optional.ofNullable(realm.getAttribute(key)).flatMap(v -> parseStored(session, key, v));
    }

    /**
     * Says what is wrong with a definition's JSON without quoting it, as the admin API does; for a
     * module that binds its own part of a definition ({@link ProviderDefinitionCheck#normalise}).
     */
    public static String describe(JsonProcessingException e) {
        return RestErrors.describe(e);
    }

    /**
     * Parses and validates a definition sent to the admin API, with every module's rules.
     *
     * @param pathId the id in the request path
     * @param json the body
     * @return the validated, normalised definition
     * @throws InvalidInputException with a message safe to return
     */
    static ProviderDefinition parse(KeycloakSession session, String pathId, String json) throws InvalidInputException {
        return normalise(session, parse(pathId, json));
    }

    /**
     * Parses a definition and checks the vault's own rules only (the {@code proxy} section is left as sent).
     *
     * @throws InvalidInputException with a message safe to return
     */
    static ProviderDefinition parse(String pathId, String json) throws InvalidInputException {
        ProviderDefinition d;
        try {
            d = JSON.readValue(json, ProviderDefinition.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(RestErrors.describe(e));
        }
        if (d == null) {
            throw new InvalidInputException("body must be a JSON object");
        }
        return d.validated(pathId);
    }

    /** Every module's {@link ProviderDefinitionCheck#normalise}, then what the vault needs: an upstream origin. */
    private static ProviderDefinition normalise(KeycloakSession session, ProviderDefinition d)
            throws InvalidInputException {
        ProviderDefinition out = d;
        for (ProviderDefinitionCheck check : session.getAllProviders(ProviderDefinitionCheck.class)) {
            out = check.normalise(out);
        }
        try {
            out.upstreamOrigin();
        } catch (IllegalArgumentException e) {
            // the header proxy names the broken rule first; this is the vault's own floor without it
            throw new InvalidInputException("proxy.baseUrl must be an absolute https URL (http only with allowHttp)");
        }
        return out;
    }

    /** @return true if it was new */
    static boolean save(RealmModel realm, ProviderDefinition d) {
        String key = VaultConstants.PROVIDER_ATTRIBUTE_PREFIX + d.id();
        boolean created = realm.getAttribute(key) == null;
        try {
            realm.setAttribute(key, JSON.writeValueAsString(d));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a provider definition", e);
        }
        return created;
    }

    /** @return true if it existed */
    static boolean remove(RealmModel realm, String id) {
        String key = VaultConstants.PROVIDER_ATTRIBUTE_PREFIX + id;
        boolean existed = realm.getAttribute(key) != null;
        realm.removeAttribute(key);
        return existed;
    }

    private static Optional<ProviderDefinition> parseStored(KeycloakSession session, String key, String value) {
        String id = key.substring(VaultConstants.PROVIDER_ATTRIBUTE_PREFIX.length());
        try {
            return Optional.of(normalise(session, parse(id, value)));
        } catch (InvalidInputException e) {
            // e.g. a hand-edited realm import: the provider is unusable until an admin fixes it
            LOG.warnf("Keyward vault: realm attribute %s is not a valid provider definition; ignored", key);
            return Optional.empty();
        }
    }
}
