package dev.keyward.mfa;

import dev.keyward.common.KeywardIds;

/** Names the two-factor policy shares with the realm's configuration (user profile, flows, acr map). */
public final class TwoFactorConstants {
    /** User attribute, declared in the realm's user profile: {@code "true"} once two-factor sign-in is on. */
    public static final String ATTRIBUTE = KeywardIds.TWO_FACTOR_ATTRIBUTE;
    /** Value of {@link #ATTRIBUTE} when on. */
    public static final String ON = KeywardIds.TWO_FACTOR_ON;

    /**
     * Level of authentication of a two-factor login, as the realm's {@code acr.loa.map} names it
     * ({@code "two-factor"}); {@code 1} is {@code "single-factor"}, {@code 0} {@code "federated"}.
     */
    public static final int TWO_FACTOR_LOA = 2;

    static final String MSG_NEEDS_TWO_METHODS = "keywardTwoFactorNeedsTwoMethods";
    static final String MSG_NO_SECOND_FACTOR = "keywardTwoFactorNoSecondFactor";
    static final String MSG_MFA_SESSION_EXPIRED = "keywardTwoFactorSessionExpired";
    static final String MSG_PASSKEY_NEEDED = "keywardPasskeyNeededForTwoFactor";

    private TwoFactorConstants() {}
}
