package dev.keyward.it.harness;

/**
 * The three logins the load benchmark compares. All three realms have the same browser-flow
 * structure (Keycloak's default browser flow or a copy of it) and differ only in the
 * authenticator of its {@code forms} subflow, so the difference is the credential check.
 */
public enum LoginVariant {
    /** Keycloak's default browser flow: its username/password form, password hashed with Keycloak's default. */
    PASSWORD("a", "password form", "auth-username-password-form"),
    /** The OPAQUE form alone in the forms step. */
    OPAQUE("b", "OPAQUE form", "keyward-opaque-login"),
    /** Keycloak's username form alone: identifies the user, checks nothing (the ceiling). */
    NO_CHECK("c", "no credential check", "auth-username-form");

    public final String label;
    final String description;
    /** The authenticator in the forms subflow. */
    final String authenticator;

    LoginVariant(String label, String description, String authenticator) {
        this.label = label;
        this.description = description;
        this.authenticator = authenticator;
    }

    @Override
    public String toString() {
        return "(" + label + ") " + description;
    }
}
