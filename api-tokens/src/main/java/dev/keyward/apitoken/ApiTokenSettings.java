package dev.keyward.apitoken;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * A realm's API-token settings, realm attributes an admin sets (the admin console's realm
 * attributes, the REST API or the realm export). Missing or malformed values fall back to the
 * defaults; out-of-range values are clamped to the range.
 *
 * @param client the client id exchanges run under; tokens are off in a realm without it
 * @param defaultDays a new token's lifetime when its creator names none
 * @param maxDays the longest lifetime a creator may pick
 * @param maxPerUser how many tokens a user may hold
 * @param freshSeconds how recent the sign-in behind a creation must be
 * @param accessTokenSeconds the longest life of an exchanged access token
 * @param basic whether the HTTP Basic check answers
 * @param pageClient the public client of the user's token page; the page is off without it
 */
record ApiTokenSettings(
        String client,
        int defaultDays,
        int maxDays,
        int maxPerUser,
        int freshSeconds,
        int accessTokenSeconds,
        boolean basic,
        String pageClient) {

    static final String PREFIX = "keyward.apiTokens.";

    static ApiTokenSettings of(RealmModel realm) {
        String client = realm.getAttribute(PREFIX + "client");
        String pageClient = realm.getAttribute(PREFIX + "pageClient");
        int maxDays = number(realm, "maxDays", 365, 1, 3650);
        return new ApiTokenSettings(
                client == null || client.isBlank() ? "keyward-api-tokens" : client.trim(),
                Math.min(number(realm, "defaultDays", 30, 1, 3650), maxDays),
                maxDays,
                number(realm, "maxPerUser", 20, 1, 1000),
                number(realm, "freshSeconds", 300, 10, 3600),
                number(realm, "accessTokenSeconds", 300, 10, 3600),
                "true".equalsIgnoreCase(realm.getAttribute(PREFIX + "basic")),
                pageClient == null || pageClient.isBlank() ? TokenPage.DEFAULT_CLIENT : pageClient.trim());
    }

    /**
     * @return the exchange client when it exists, is enabled and has full scope off (with full
     *     scope, every role of the user would ride along in an exchanged token); else null
     */
    ClientModel usableClient(RealmModel realm) {
        ClientModel c = realm.getClientByClientId(client);
        return c != null && c.isEnabled() && !c.isFullScopeAllowed() ? c : null;
    }

    private static int number(RealmModel realm, String name, int fallback, int min, int max) {
        String value = realm.getAttribute(PREFIX + name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(value.trim())));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
