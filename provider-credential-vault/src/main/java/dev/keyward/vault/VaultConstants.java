package dev.keyward.vault;

/** Ids, option names and limits of the credential vault, in one place. */
public final class VaultConstants {
    /** SPI of the store: {@code --spi-keyward-vault--default--...}. */
    public static final String SPI = "keyward-vault";
    /** SPI through which other modules check a provider definition before it is saved. */
    public static final String DEFINITION_CHECK_SPI = "keyward-definition-check";
    /** The JPA store's provider id. */
    public static final String DEFAULT_PROVIDER = "default";
    /** User endpoint {@code /realms/{realm}/keyward-vault} and admin endpoint {@code /admin/realms/{realm}/keyward-vault}. */
    public static final String RESOURCE_ID = "keyward-vault";
    /** Client scope a client needs for the user endpoint (an admin assigns it); its mapper adds {@link #USER_AUDIENCE}. */
    public static final String USER_SCOPE = "keyward-vault";
    /** The {@code aud} the user endpoint requires, added by the scope's audience mapper. */
    public static final String USER_AUDIENCE = "keyward-vault";
    /** JpaEntityProvider id; Liquibase's changelog table becomes DATABASECHANGELOG_KEYWARD_VA. */
    public static final String JPA_PROVIDER_ID = "keyward-vault";
    /** The Vault SPI provider: {@code --vault=keyward}... see provider-credential-vault/README.md, "Realm secrets for ${vault.NAME}". */
    public static final String VAULT_PROVIDER_ID = "keyward";

    /** Option: comma-separated {@code id:base64(32 bytes)}. */
    public static final String CONFIG_KEYS = "keys";
    /** Option: the key id new writes use. */
    public static final String CONFIG_ACTIVE_KEY = "active-key";
    /** Option: where start-dev keeps its generated keyring. */
    public static final String CONFIG_DEV_KEYS_FILE = "dev-keys-file";
    /** Option: rows per rotation batch (one transaction each). */
    public static final String CONFIG_ROTATION_BATCH = "rotation-batch-size";

    /** Largest secret a user or admin can store, in UTF-8 bytes: comfortably above real tokens and cookies, far below header limits. */
    public static final int MAX_SECRET_BYTES = 4096;
    /** Largest request body the REST endpoints read. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    /** Realm attribute prefix under which provider definitions are kept (exported with the realm). */
    public static final String PROVIDER_ATTRIBUTE_PREFIX = "keyward.vault.provider.";

    private VaultConstants() {}
}
