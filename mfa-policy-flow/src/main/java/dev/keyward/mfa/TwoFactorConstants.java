package dev.keyward.mfa;

/** Names the two-factor policy shares with the realm's configuration (user profile, flows). */
public final class TwoFactorConstants {
    /** User attribute, declared in the realm's user profile: {@code "true"} once two-factor sign-in is on. */
    public static final String ATTRIBUTE = "two_factor_enabled";
    /** Value of {@link #ATTRIBUTE} when on. */
    public static final String ON = "true";

    static final String MSG_NEEDS_TWO_METHODS = "keywardTwoFactorNeedsTwoMethods";
    static final String MSG_NO_SECOND_FACTOR = "keywardTwoFactorNoSecondFactor";
    static final String MSG_MFA_SESSION_EXPIRED = "keywardTwoFactorSessionExpired";

    private TwoFactorConstants() {
    }
}
