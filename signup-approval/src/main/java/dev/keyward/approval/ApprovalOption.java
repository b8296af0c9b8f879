package dev.keyward.approval;

import java.util.Map;

/** Whether an identity provider's new accounts wait for approval: its config key {@value #KEY}. */
public final class ApprovalOption {
    /** The identity provider config key; {@code true} turns approval on for that provider. */
    public static final String KEY = "keyward.approvalRequired";

    private ApprovalOption() {}

    /**
     * @param idpConfig the identity provider's config map (may be null)
     * @return whether approval is required: only {@code true} (any case, trimmed) turns it on, so a
     *     typo leaves the provider as it was
     */
    public static boolean required(Map<String, String> idpConfig) {
        if (idpConfig == null) {
            return false;
        }
        String value = idpConfig.get(KEY);
        return value != null && value.trim().equalsIgnoreCase("true");
    }
}
