package dev.keyward.vault;

/** Who a stored secret belongs to: one user (a provider credential) or the realm (a vault entry). */
public enum SecretScope {
    /** A user's credential for an upstream provider; subject = user id, name = provider id. */
    USER("user"),
    /** A realm secret that {@code ${vault.NAME}} resolves; subject = realm id, name = entry name. */
    REALM("realm");

    private final String column;

    SecretScope(String column) {
        this.column = column;
    }

    /** @return the value stored in the SCOPE column and bound into the AAD */
    public String column() {
        return column;
    }

    static SecretScope fromColumn(String value) {
        for (SecretScope s : values()) {
            if (s.column.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope");
    }
}
