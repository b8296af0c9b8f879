package dev.keyward.apitoken;

/** Names shared by the module's parts and documented in its README. */
final class ApiTokenConstants {
    static final String SPI = "keyward-api-tokens";
    static final String JPA_PROVIDER_ID = "keyward-api-tokens";

    /** The grant type of the exchange at the token endpoint. */
    static final String GRANT_TYPE = "urn:keyward:params:oauth:grant-type:api-token";
    /** Keycloak encodes the grant in the access token's id by a two-letter shortcut. */
    static final String GRANT_SHORTCUT = "kt";
    /** The token endpoint's parameter carrying the token's text. */
    static final String PARAM = "api_token";

    /** Claim of an exchanged access token: the API token's id, checked on every bearer use. */
    static final String CLAIM = "keyward_api_token";
    /** The acr of an exchanged access token: never a sign-in level. */
    static final String ACR = "api-token";

    /** Credential type named in events. */
    static final String EVENT_CREDENTIAL_TYPE = "keyward-api-token";

    static final String DETAIL_TOKEN_ID = "api_token_id";

    private ApiTokenConstants() {}
}
